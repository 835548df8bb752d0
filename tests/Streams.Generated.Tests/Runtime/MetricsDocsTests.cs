using Streams.Generated.Kafka;

namespace Streams.Generated.Tests.Runtime;

public class MetricsDocsTests
{
    /// <summary>The metrics page lists every instrument the runtime publishes, by its exact name.</summary>
    [Fact]
    public void Every_instrument_has_a_row_in_docs_metrics_md()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "metrics.md"));
        string[] instruments =
        [
            StreamsInstruments.RecordsConsumed, StreamsInstruments.RecordsProcessed, StreamsInstruments.RecordsProduced,
            StreamsInstruments.RecordsFailed, StreamsInstruments.ProcessDuration, StreamsInstruments.EndToEndLatency,
            StreamsInstruments.BufferedBytes, StreamsInstruments.PausedPartitions, StreamsInstruments.CommitDuration,
            StreamsInstruments.CommitFailures, StreamsInstruments.Rebalances,
        ];
        Assert.All(instruments, name => Assert.Contains($"| `{name}` |", page));
        Assert.Contains($"**`{StreamsInstruments.MeterName}`**", page);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Streams.Generated.sln"))) return directory.FullName;
        throw new InvalidOperationException("Streams.Generated.sln not found above " + AppContext.BaseDirectory);
    }
}
