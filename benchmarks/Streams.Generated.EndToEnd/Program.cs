using System.Globalization;
using System.Runtime.InteropServices;
using Streams.Generated.EndToEnd;

// End-to-end comparison on the embedded broker: Streams.Generated vs a hand-written Confluent.Kafka loop.
// Usage: dotnet run -c Release --project benchmarks/Streams.Generated.EndToEnd -- [options]; --help lists them.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(HarnessOptions.Help);
    return 2;
}
if (options.ShowHelp)
{
    Console.WriteLine(HarnessOptions.Help);
    return 0;
}

Console.WriteLine($"# End-to-end: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, " +
    $".NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}");
Console.WriteLine($"# load average at start: {LoadAverage()}");
Console.WriteLine($"# {options.Settings.Records:N0} records, {options.Settings.Partitions} partitions, commit every " +
    $"{options.Settings.CommitInterval.TotalMilliseconds:0} ms, {options.Rounds} round(s), scenarios {string.Join(", ", options.Scenarios.Select(s => s.Name()))}");

var throughput = new List<ThroughputResult>();
if (options.Rounds > 0)
{
    // A short unmeasured run of each pipeline first: measured runs then execute tiered-up (steady-state) code.
    var warmUpInput = Workload.Input(Math.Min(options.Settings.Records, 32_000));
    foreach (var scenario in options.Scenarios)
        foreach (var implementation in options.Implementations)
            if (implementation == Implementation.Baseline || !scenario.IsClientBoundaryProbe())
                await ThroughputRun.RunAsync(scenario, implementation, options.Settings, warmUpInput);
    Console.WriteLine("# warmed up");

    var input = Workload.Input(options.Settings.Records);
    for (var round = 0; round < options.Rounds; round++)
    {
        foreach (var scenario in options.Scenarios)
        {
            // Alternate who goes first, so drift on a shared machine does not favour one side.
            Implementation[] order = scenario.IsClientBoundaryProbe() ? [Implementation.Baseline]
                : round % 2 == 0 ? [Implementation.StreamsGenerated, Implementation.Baseline]
                : [Implementation.Baseline, Implementation.StreamsGenerated];
            foreach (var implementation in order.Where(options.Implementations.Contains))
            {
                var result = await ThroughputRun.RunAsync(scenario, implementation, options.Settings, input);
                throughput.Add(result);
                Console.WriteLine($"round {round + 1} {scenario.Name(),-13} {implementation.Name(),-17} {result.RecordsPerSecond,9:N0} records/s " +
                    $"CPU/record {result.CpuMicrosecondsPerRecord,5:0.00} us (thread {result.ThreadCpuMicrosecondsPerRecord,5:0.00} us) {result.AllocatedBytesPerRecord,5:0} B/record " +
                    $"(processing {result.Used.Elapsed.TotalSeconds:0.00} s, startup {result.Startup.TotalSeconds:0.00} s)");
                if (options.PrintWindows)
                    Console.WriteLine($"  window for perf report -k mono --time: {Seconds(result.Start)},{Seconds(result.End)}");
            }
        }
    }
}

var latency = new List<LatencyResult>();
if (options.LatencyRate > 0)
{
    foreach (var scenario in options.Scenarios.Where(s => !s.IsClientBoundaryProbe()))
    {
        foreach (var implementation in options.Implementations)
        {
            var result = await LatencyRun.RunAsync(scenario, implementation, options.Settings, options.LatencyRate, options.LatencyDuration, options.LatencyWarmUp);
            latency.Add(result);
            Console.WriteLine($"latency {scenario.Name(),-13} {implementation.Name(),-17} p50 {result.P50,6:0.00} ms  p99 {result.P99,6:0.00} ms  " +
                $"p99.9 {result.P999,6:0.00} ms  max {result.Max,6:0.00} ms  ({result.Measured:N0} records measured, sent at {result.SentPerSecond:N0}/s)");
        }
    }
}

Console.WriteLine($"# load average at end: {LoadAverage()}");
Console.WriteLine();
Console.Write(Report.Markdown(throughput, latency));
return 0;

// Stopwatch reads CLOCK_MONOTONIC on Linux: the clock `perf record -k mono` stamps samples with.
static string Seconds(Usage usage) => ((double)usage.Timestamp / System.Diagnostics.Stopwatch.Frequency).ToString("0.000000");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
