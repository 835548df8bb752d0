using Streams.Generated.Generator.Tests.Infrastructure;
using Streams.Generated.Stores;
using Streams.Generated.Topology;
using Streams.Generated.Serialization;
using Serde = Streams.Generated.Serialization.Serdes;

namespace Streams.Generated.Generator.Tests;

public class WordCountTests
{
    [Fact]
    public void Generates_one_file_that_compiles()
    {
        var result = CSharpGeneratorRunner.GenerateAndAssertCompiles(Sources.WordCount);
        Assert.Equal(["Samples.WordCount.g.cs"], result.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void Definition_has_two_subtopologies_cut_at_the_repartition_topic()
    {
        using var loaded = CSharpGeneratorRunner.CompileAndLoad(Sources.WordCount);
        var definition = loaded.Definition("Samples.WordCount");

        Assert.Equal("wordcount", definition.Name);
        Assert.Equal(2, definition.Subtopologies.Count);
        var split = definition.Subtopologies[0];
        var count = definition.Subtopologies[1];
        Assert.Equal([new TopicReference("streams-plaintext-input", false)], split.Sources);
        Assert.Equal([new TopicReference("Counts-repartition", true)], split.Sinks);
        Assert.Empty(split.Stores);
        Assert.Equal([new TopicReference("Counts-repartition", true)], count.Sources);
        Assert.Equal([new TopicReference("streams-wordcount-output", false)], count.Sinks);
        Assert.Equal(["counts"], count.Stores);
        Assert.Equal(["streams-plaintext-input"], definition.InputTopics);
        Assert.Equal(["streams-wordcount-output"], definition.OutputTopics);
        Assert.Equal(["Counts-repartition"], definition.InternalTopics);
    }

    [Fact]
    public void Subtopology_0_writes_each_word_keyed_by_itself_to_the_repartition_topic()
    {
        using var loaded = CSharpGeneratorRunner.CompileAndLoad(Sources.WordCount);
        var collector = new RecordingCollector();
        var task = loaded.Definition("Samples.WordCount").Subtopologies[0].CreateTask(new TaskContext("app", 0, 3, collector));

        task.Process(0, new ConsumedRecord("streams-plaintext-input", 3, 10, 1234, [1, 2], Serde.String.ToBytes("Hello Kafka hello")));

        Assert.Equal(3, collector.Sent.Count);
        Assert.All(collector.Sent, sent =>
        {
            Assert.Equal("app-Counts-repartition", sent.Topic);
            Assert.Equal(1234, sent.Timestamp);
            Assert.Equal(sent.Key, sent.Value);
        });
        Assert.Equal(["hello", "kafka", "hello"], collector.Sent.Select(s => Serde.String.Deserialize(s.Key!)));
    }

    [Fact]
    public void Subtopology_1_counts_per_word_and_emits_big_endian_longs()
    {
        using var loaded = CSharpGeneratorRunner.CompileAndLoad(Sources.WordCount);
        var collector = new RecordingCollector();
        var task = loaded.Definition("Samples.WordCount").Subtopologies[1].CreateTask(new TaskContext("app", 1, 0, collector));

        var offset = 0L;
        foreach (var word in new[] { "hello", "kafka", "hello" })
        {
            var bytes = Serde.String.ToBytes(word);
            task.Process(0, new ConsumedRecord("app-Counts-repartition", 0, offset++, 77, bytes, bytes));
        }

        Assert.Equal(["hello=1", "kafka=1", "hello=2"],
            collector.Sent.Select(s => $"{Serde.String.Deserialize(s.Key!)}={Serde.Int64.Deserialize(s.Value!)}"));
        Assert.All(collector.Sent, s => Assert.Equal("streams-wordcount-output", s.Topic));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 2 }, collector.Sent[2].Value);

        var store = Assert.IsType<KeyValueStore<string, long>>(task.GetStore("counts"));
        Assert.Equal(2, store.Get("hello"));
        Assert.Null(task.GetStore("other"));
    }
}
