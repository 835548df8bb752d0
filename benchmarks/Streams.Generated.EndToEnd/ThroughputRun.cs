using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Streams.Generated.EndToEnd;

/// <summary>Wall clock, CPU time of the whole process and bytes allocated on the managed heap, at one moment.</summary>
public readonly record struct Usage(long Timestamp, TimeSpan Cpu, long AllocatedBytes)
{
    public static Usage Now() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(precise: true));

    public static Usage operator -(Usage end, Usage start) =>
        new(end.Timestamp - start.Timestamp, end.Cpu - start.Cpu, end.AllocatedBytes - start.AllocatedBytes);

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Timestamp);
}

/// <summary>
/// CPU time of one thread, from Linux's /proc/self/task/{tid}/schedstat (nanoseconds on CPU): the thread that runs the
/// pipeline is where framework overhead shows, without the broker and client threads that share the process.
/// </summary>
public static class ThreadCpu
{
    /// <summary>The OS id of the calling thread, or -1 where it cannot be read.</summary>
    public static int CurrentThreadId() => OperatingSystem.IsLinux() ? GetTid() : -1;

    /// <summary>CPU time of thread <paramref name="tid"/> so far; zero where it cannot be read.</summary>
    public static TimeSpan Of(int tid)
    {
        var path = $"/proc/self/task/{tid}/schedstat";
        if (tid < 0 || !File.Exists(path)) return TimeSpan.Zero;
        var nanoseconds = long.Parse(File.ReadAllText(path).Split(' ')[0]); // "<on-CPU ns> <waiting ns> <time slices>"
        return TimeSpan.FromTicks(nanoseconds / 100);
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}

/// <summary>One measured run: the resources used from partition assignment until every input offset was committed.</summary>
/// <param name="Start">At partition assignment, on the pipeline's thread.</param>
/// <param name="End">When the last input offset was seen committed.</param>
/// <param name="ThreadCpu">CPU time of the thread that ran the pipeline (polled, processed, produced, committed) in between.</param>
/// <param name="Startup">From creating the pipeline to its partition assignment (not part of the measured window).</param>
public sealed record ThroughputResult(Scenario Scenario, Implementation Implementation, int Records, Usage Start, Usage End, TimeSpan ThreadCpu, TimeSpan Startup)
{
    public Usage Used => End - Start;

    public double ThreadCpuMicrosecondsPerRecord => ThreadCpu.TotalMicroseconds / Records;

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
        using var kafka = ClusterTools.StartCluster(scenario, settings);
        ClusterTools.ProduceInput(kafka, input, settings.Partitions);

        // Each run starts with a clean heap: garbage of the last run is not collected on this one's time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var assigned = new TaskCompletionSource<(Usage Usage, int Thread, TimeSpan ThreadCpu)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Usage.Now();
        await using var pipeline = IPipeline.Create(scenario, implementation, kafka, settings);
        await pipeline.StartAsync(() =>
        {
            var thread = ThreadCpu.CurrentThreadId(); // called on the processing thread
            assigned.TrySetResult((Usage.Now(), thread, ThreadCpu.Of(thread)));
        });
        if (!await ClusterTools.WaitUntilCommittedAsync(kafka, pipeline.GroupId, pipeline.InternalTopics, settings.Partitions, settings.Timeout))
            throw new TimeoutException($"{implementation.Name()} {scenario.Name()}: the input was not committed within {settings.Timeout}.");
        var done = Usage.Now();
        var processing = await assigned.Task;
        var threadCpu = ThreadCpu.Of(processing.Thread) - processing.ThreadCpu;
        await pipeline.StopAsync();

        var problems = ClusterTools.CheckOutput(kafka, scenario, input.Length, pipeline.InternalTopics, settings.Partitions);
        if (problems.Count > 0)
            throw new InvalidOperationException($"{implementation.Name()} {scenario.Name()} wrote wrong output:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        return new ThroughputResult(scenario, implementation, input.Length, processing.Usage, done, threadCpu, (processing.Usage - started).Elapsed);
    }
}
