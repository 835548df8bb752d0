using System.Text;

namespace Streams.Generated.EndToEnd;

/// <summary>Markdown tables of the medians over rounds, with ratios Streams.Generated / hand-written.</summary>
public static class Report
{
    public static string Markdown(IReadOnlyList<ThroughputResult> throughput, IReadOnlyList<LatencyResult> latency)
    {
        var text = new StringBuilder();
        var compared = throughput.Where(r => !r.Scenario.IsClientBoundaryProbe()).GroupBy(r => r.Scenario).ToList();
        if (compared.Count > 0)
        {
            text.AppendLine("| scenario | records/s: ours | hand-written | ratio | process CPU us/record: ours | hand-written | ratio " +
                "| pipeline thread CPU us/record: ours | hand-written | ratio | allocated B/record: ours | hand-written | ratio |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var runs in compared)
            {
                var ours = runs.Where(r => r.Implementation == Implementation.StreamsGenerated).ToList();
                var theirs = runs.Where(r => r.Implementation == Implementation.Baseline).ToList();
                text.Append($"| {runs.Key.Name()} ");
                Compare(text, ours, theirs, r => r.RecordsPerSecond, "N0");
                Compare(text, ours, theirs, r => r.CpuMicrosecondsPerRecord, "0.00");
                Compare(text, ours, theirs, r => r.ThreadCpuMicrosecondsPerRecord, "0.00");
                Compare(text, ours, theirs, r => r.AllocatedBytesPerRecord, "0");
                text.AppendLine("|");
            }
            text.AppendLine();
        }

        var probes = throughput.Where(r => r.Scenario.IsClientBoundaryProbe()).GroupBy(r => r.Scenario).ToList();
        if (probes.Count > 0)
        {
            text.AppendLine("| client boundary probe (hand-written) | records/s | process CPU us/record | pipeline thread CPU us/record | allocated B/record |");
            text.AppendLine("|---|--:|--:|--:|--:|");
            foreach (var runs in probes)
                text.AppendLine($"| {runs.Key.Name()} | {Median(runs, r => r.RecordsPerSecond):N0} | {Median(runs, r => r.CpuMicrosecondsPerRecord):0.00} " +
                    $"| {Median(runs, r => r.ThreadCpuMicrosecondsPerRecord):0.00} | {Median(runs, r => r.AllocatedBytesPerRecord):0} |");
            text.AppendLine();
        }

        if (latency.Count > 0)
        {
            text.AppendLine("| scenario | p50 ms: ours | hand-written | ratio | p99 ms: ours | hand-written | ratio | p99.9 ms: ours | hand-written |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var runs in latency.GroupBy(r => r.Scenario))
            {
                var ours = runs.Where(r => r.Implementation == Implementation.StreamsGenerated).ToList();
                var theirs = runs.Where(r => r.Implementation == Implementation.Baseline).ToList();
                text.Append($"| {runs.Key.Name()} ");
                Compare(text, ours, theirs, r => r.P50, "0.00");
                Compare(text, ours, theirs, r => r.P99, "0.00");
                text.AppendLine($"| {Median(ours, r => r.P999):0.00} | {Median(theirs, r => r.P999):0.00} |");
            }
        }
        return text.ToString();
    }

    private static void Compare<T>(StringBuilder text, List<T> ours, List<T> theirs, Func<T, double> metric, string format)
    {
        var a = Median(ours, metric);
        var b = Median(theirs, metric);
        text.Append($"| {a.ToString(format)} | {b.ToString(format)} | {(b == 0 ? "n/a" : (a / b).ToString("0.00"))} ");
    }

    public static double Median<T>(IEnumerable<T> runs, Func<T, double> metric)
    {
        var values = runs.Select(metric).Order().ToList();
        if (values.Count == 0) return double.NaN;
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
