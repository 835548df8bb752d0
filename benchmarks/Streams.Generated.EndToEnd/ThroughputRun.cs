using System.Diagnostics;

namespace Streams.Generated.EndToEnd;

/// <summary>Wall clock, CPU time of the whole process and bytes allocated on the managed heap, at one moment.</summary>
public readonly record struct Usage(long Timestamp, TimeSpan Cpu, long AllocatedBytes)
{
    public static Usage Now() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(precise: true));

    public static Usage operator -(Usage end, Usage start) =>
        new(end.Timestamp - start.Timestamp, end.Cpu - start.Cpu, end.AllocatedBytes - start.AllocatedBytes);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Timestamp);
}

/// <summary>One measured run: the resources used from partition assignment (<paramref name="Start"/>) until every input offset was committed (<paramref name="End"/>).</summary>
public sealed record ThroughputResult(Scenario Scenario, Implementation Implementation, int Records, Usage Start, Usage End, TimeSpan Startup, double InputProducedPerSecond)
{
    public Usage Used => End - Start;

    public double RecordsPerSecond => Records / Used.Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerRecord => Used.Cpu.TotalMicroseconds / Records;

    public double AllocatedBytesPerRecord => (double)Used.AllocatedBytes / Records;
}

/// <summary>
/// Throughput of one implementation of one scenario: on a new embedded cluster, produce the input, start the
/// pipeline, and measure from its partition assignment until it has committed the end of the input (and of its
/// repartition topic): consume, process, produce, acknowledge and commit, everything. Then check the output, record by
/// record; a run whose output is wrong throws, its numbers are void.
/// </summary>
public static class ThroughputRun
{
    public static async Task<ThroughputResult> RunAsync(Scenario scenario, Implementation implementation, RunSettings settings, (byte[] Key, byte[] Value)[] input)
    {
        using var kafka = ClusterTools.StartCluster(settings);
        var produced = ClusterTools.ProduceInput(kafka, input, settings.Partitions);

        // Each run starts with a clean heap: garbage of the last run is not collected on this one's time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var assigned = new TaskCompletionSource<Usage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Usage.Now();
        await using var pipeline = IPipeline.Create(scenario, implementation, kafka, settings);
        await pipeline.StartAsync(() => assigned.TrySetResult(Usage.Now()));
        if (!await ClusterTools.WaitUntilCommittedAsync(kafka, pipeline.GroupId, pipeline.InternalTopics, settings.Partitions, settings.Timeout))
            throw new TimeoutException($"{implementation.Name()} {scenario.Name()}: the input was not committed within {settings.Timeout}.");
        var done = Usage.Now();
        var processing = await assigned.Task;
        await pipeline.StopAsync();

        var problems = ClusterTools.CheckOutput(kafka, scenario, input.Length, pipeline.InternalTopics, settings.Partitions);
        if (problems.Count > 0)
            throw new InvalidOperationException($"{implementation.Name()} {scenario.Name()} wrote wrong output:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        return new ThroughputResult(scenario, implementation, input.Length, processing, done, (processing - started).Elapsed, produced);
    }
}
