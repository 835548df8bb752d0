using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Driver;

public class WordCountDriverTests
{
    private readonly TopologyTestDriver _driver = new(WordCount.Definition);

    [Fact]
    public void Counts_every_word_and_emits_each_update_in_order()
    {
        var input = _driver.CreateInputTopic(WordCount.Input, Serdes.String, Serdes.String);
        var output = _driver.CreateOutputTopic(WordCount.Output, Serdes.String, Serdes.Int64);

        input.PipeInput("Hello Kafka Streams");
        input.PipeInput("All streams lead to Kafka");
        input.PipeInput("Join Kafka Summit");

        string[] expected =
        [
            "hello=1", "kafka=1", "streams=1",
            "all=1", "streams=2", "lead=1", "to=1", "kafka=2",
            "join=1", "kafka=3", "summit=1",
        ];
        Assert.Equal(expected, output.ReadKeyValuesToList().Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.True(output.IsEmpty);
    }

    [Fact]
    public void The_store_holds_the_final_counts()
    {
        var input = _driver.CreateInputTopic(WordCount.Input, Serdes.String, Serdes.String);
        input.PipeInput("a b a");
        input.PipeInput("b a");

        var counts = _driver.GetKeyValueStore<string, long>("counts");
        Assert.Equal(3, counts.Get("a"));
        Assert.Equal(2, counts.Get("b"));
        Assert.Equal(2, counts.Count);
    }

    [Fact]
    public void Input_keys_are_ignored_and_words_become_keys()
    {
        var input = _driver.CreateInputTopic(WordCount.Input, Serdes.String, Serdes.String);
        var output = _driver.CreateOutputTopic(WordCount.Output, Serdes.String, Serdes.Int64);
        input.PipeInput("line-1", "x y");

        Assert.Equal(new Dictionary<string, long> { ["x"] = 1, ["y"] = 1 }, output.ReadKeyValuesToMap());
    }

    [Fact]
    public void Invalid_utf8_fails_with_a_serde_exception()
    {
        var error = Assert.Throws<SerdeException>(() => _driver.PipeInput(WordCount.Input, null, [0x61, 0xFF]));
        Assert.Equal("string", error.TypeName);
    }

    [Fact]
    public void A_topic_the_topology_does_not_read_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => _driver.PipeInput("nope", null, [1]));
        Assert.Contains(WordCount.Input, error.Message);
    }

    [Fact]
    public void Definition_describes_two_subtopologies_cut_at_the_repartition_topic()
    {
        var definition = WordCount.Definition;
        Assert.Equal("wordcount", definition.Name);
        Assert.Equal(2, definition.Subtopologies.Count);
        Assert.Equal([WordCount.Input], definition.InputTopics);
        Assert.Equal([WordCount.Output], definition.OutputTopics);
        Assert.Equal(["Counts-repartition"], definition.InternalTopics);
        Assert.Equal(["counts"], definition.Subtopologies[1].Stores);
        Assert.Contains("Sub-topology: 1", definition.Description);
        Assert.StartsWith("flowchart", definition.Mermaid);
    }
}
