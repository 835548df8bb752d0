using System.Buffers.Binary;
using Streams.Generated.Generator.Tests.Infrastructure;
using Streams.Generated.Serialization;
using Streams.Generated.Stores;
using Streams.Generated.Topology;
using Serde = Streams.Generated.Serialization.Serdes;

namespace Streams.Generated.Generator.Tests;

/// <summary>One sub-topology: outputs that keep the key, int, long and double along the chain, a count of long keys.</summary>
public class NumberChainTests
{
    [Fact]
    public void Keys_are_kept_along_the_chain_and_values_change_type()
    {
        using var loaded = CSharpGeneratorRunner.CompileAndLoad(Sources.NumberChain);
        var definition = loaded.Definition("Samples.NumberChain");
        var subtopology = Assert.Single(definition.Subtopologies);
        Assert.Equal([new TopicReference("numbers", false)], subtopology.Sources);
        Assert.Equal([new TopicReference("rounded", false), new TopicReference("even-counts", false)], subtopology.Sinks);
        Assert.Equal(["even-counts"], subtopology.Stores);
        Assert.Empty(definition.InternalTopics);

        var collector = new RecordingCollector();
        var task = subtopology.CreateTask(new TaskContext("app", 0, 0, collector));
        // 3 * 1.5 = 4.5 rounds to 4 (even); 5 * 1.5 = 7.5 rounds to 8 (even); 1 * 1.5 = 1.5 rounds to 2 (even); 7 -> 10.5 -> 10
        Pipe(7, 3);
        Pipe(7, 5);
        Pipe(8, 1);
        Pipe(7, 7);

        Assert.Equal(
            ["rounded 7=4", "even-counts 7=1", "rounded 7=8", "even-counts 7=2", "rounded 8=2", "even-counts 8=1", "rounded 7=10", "even-counts 7=3"],
            collector.Sent.Select(s => $"{s.Topic} {BinaryPrimitives.ReadInt64BigEndian(s.Key)}={BinaryPrimitives.ReadInt64BigEndian(s.Value)}"));
        var store = Assert.IsType<KeyValueStore<long, long>>(task.GetStore("even-counts"));
        Assert.Equal(3, store.Get(7));

        void Pipe(long key, int value) =>
            task.Process(0, new ConsumedRecord("numbers", 0, 0, 0, Serde.Int64.ToBytes(key), Serde.Int32.ToBytes(value)));
    }

    [Fact]
    public void Description_and_mermaid_show_sources_processors_stores_and_sinks()
    {
        using var loaded = CSharpGeneratorRunner.CompileAndLoad(Sources.NumberChain);
        var definition = loaded.Definition("Samples.NumberChain");
        var description = definition.Description.Split('\n');
        Assert.Equal("Topologies:", description[0]);
        Assert.Contains("   Sub-topology: 0", description);
        Assert.Contains("    Source: numbers-source (topics: [numbers])", description);
        Assert.Contains("    Processor: Round (stores: [])", description);
        Assert.Contains("      --> rounded-sink, CountEven", description);
        Assert.Contains("    Processor: CountEven (stores: [even-counts])", description);
        Assert.Contains("    Sink: even-counts-sink (topic: even-counts)", description);

        var mermaid = definition.Mermaid.Split('\n');
        Assert.Equal("flowchart LR", mermaid[0]);
        Assert.Contains("    t0([\"numbers\"])", mermaid);
        Assert.Contains("        n_Round[\"Round\"]", mermaid);
        Assert.Contains("    n_Scale -->|Scaled| n_Round", mermaid);
        Assert.Contains("    n_Round -->|Rounded| t1", mermaid);
    }
}
