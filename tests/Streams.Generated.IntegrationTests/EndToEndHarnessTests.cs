using System.Diagnostics;
using Streams.Generated.EndToEnd;
using Xunit.Abstractions;

namespace Streams.Generated.IntegrationTests;

/// <summary>
/// Smoke test of the end-to-end benchmark harness (benchmarks/Streams.Generated.EndToEnd) on tiny inputs, so it cannot
/// rot: every scenario, with both implementations, must write exactly the expected output. A throughput run checks its
/// output record by record (each mapped record once, every count 1..n in order per key, each joined record once and
/// nothing for keys without a table entry) and throws when it is wrong.
/// </summary>
public class EndToEndHarnessTests(ITestOutputHelper output)
{
    private static readonly RunSettings Tiny = new() { Records = 1_600, Partitions = 16, Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task Every_scenario_writes_the_expected_output_with_both_implementations()
    {
        var input = Workload.Input(Tiny.Records);
        var runs = new List<(Scenario, Implementation)>();
        foreach (var scenario in Enum.GetValues<Scenario>())
            foreach (var implementation in Enum.GetValues<Implementation>())
                if (implementation == Implementation.Baseline || !scenario.IsClientBoundaryProbe())
                    runs.Add((scenario, implementation));
        var clock = Stopwatch.StartNew();

        // Each run has its own embedded cluster; running them side by side keeps the test short.
        var results = await Task.WhenAll(runs.Select(run => Task.Run(() => ThroughputRun.RunAsync(run.Item1, run.Item2, Tiny, input))));

        output.WriteLine($"{results.Length} runs in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(runs, results.Select(r => (r.Scenario, r.Implementation)));
        Assert.All(results, r => Assert.True(r.RecordsPerSecond > 0 && r.AllocatedBytesPerRecord > 0, $"{r}"));
        var report = Report.Markdown(results, []);
        output.WriteLine(report);
        Assert.Contains("| count-rekeyed |", report);
        Assert.Contains("| join |", report);
    }

    [Fact]
    public async Task A_latency_run_measures_every_record_sent_after_the_warm_up()
    {
        var runs = Enum.GetValues<Implementation>().Select(implementation => Task.Run(() =>
            LatencyRun.RunAsync(Scenario.Count, implementation, Tiny, rate: 500, duration: TimeSpan.FromSeconds(2), warmUp: TimeSpan.FromSeconds(1))));

        var results = await Task.WhenAll(runs);

        foreach (var result in results)
        {
            output.WriteLine(result.ToString());
            Assert.InRange(result.Measured, 300, 700); // about the second half of 1,000 records
            Assert.True(result.P50 > 0 && result.P50 <= result.P99 && result.P99 <= result.Max, result.ToString());
        }
    }
}
