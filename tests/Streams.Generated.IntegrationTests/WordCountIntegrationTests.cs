using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Xunit.Abstractions;
using static Streams.Generated.IntegrationTests.IntegrationTopologies;
using static Streams.Generated.IntegrationTests.KafkaTestHelpers;

namespace Streams.Generated.IntegrationTests;

/// <summary>
/// The Kafka runtime against a real Kafka protocol peer (the embedded broker): two instances sharing the work,
/// at-least-once commits, and the failures a user must see clearly.
/// </summary>
public class WordCountIntegrationTests(ITestOutputHelper output)
{
    private const int InputPartitions = 4;

    /// <param name="commitIntervalSeconds">
    /// 1: periodic commits do most of the work. 600: everything is committed at stop, and the second instance's final
    /// commit meets the rebalance that the first one's leaving started (it must wait it out, not give up).
    /// </param>
    [Theory]
    [InlineData(1)]
    [InlineData(600)]
    public async Task Two_instances_share_the_tasks_count_every_word_and_commit_every_input_offset(int commitIntervalSeconds)
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(WordCountInput, InputPartitions);
        kafka.CreateTopic(WordCountOutput, InputPartitions);
        var applicationId = "wordcount-" + Guid.NewGuid().ToString("N")[..8];

        await using var first = new StreamsApp(WordCount, Options(kafka, applicationId, "first", commitIntervalSeconds));
        await using var second = new StreamsApp(WordCount, Options(kafka, applicationId, "second", commitIntervalSeconds));
        await first.StartAsync();
        await WaitUntil(() => first.State == StreamsState.Running, () => $"first {first.State}");
        await second.StartAsync();

        // Counts live in task-local memory (no changelog yet): produce only once the group is stable.
        string[] allTasks = [.. Enumerable.Range(0, 2).SelectMany(s => Enumerable.Range(0, InputPartitions).Select(p => $"{s}_{p}"))];
        await WaitUntil(() => first.State == StreamsState.Running && second.State == StreamsState.Running
            && first.AssignedTasks.Count > 0 && second.AssignedTasks.Count > 0
            && !first.AssignedTasks.Intersect(second.AssignedTasks).Any()
            && first.AssignedTasks.Concat(second.AssignedTasks).Order().SequenceEqual(allTasks.Order()),
            () => $"first {first.State} [{string.Join(",", first.AssignedTasks)}], second {second.State} [{string.Join(",", second.AssignedTasks)}]");
        output.WriteLine($"first owns {string.Join(",", first.AssignedTasks)}; second owns {string.Join(",", second.AssignedTasks)}");

        var (lines, expected) = Text(2000);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build())
        {
            for (var i = 0; i < lines.Count; i++)
                producer.Produce(WordCountInput, new Message<string, string> { Key = "line-" + i, Value = lines[i] });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        var counts = ReadCountsUntil(kafka, expected);
        Assert.Equal(expected.OrderBy(kv => kv.Key), counts.OrderBy(kv => kv.Key));
        Assert.Equal(StreamsState.Running, first.State);
        Assert.Equal(StreamsState.Running, second.State);

        await first.StopAsync();
        await second.StopAsync();
        Assert.Equal(StreamsState.Stopped, first.State);
        Assert.Equal(StreamsState.Stopped, second.State);

        var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, WordCountInput, InputPartitions);
        Assert.All(end, e => Assert.True(e > 0, "every input partition got data"));
        Assert.Equal(end, committed);
        var repartition = applicationId + "-" + CountsRepartition;
        var (committedRepartition, endRepartition) = CommittedAndEndOffsets(kafka, applicationId, repartition, InputPartitions);
        Assert.Equal(endRepartition, committedRepartition);
    }

    [Fact]
    public async Task Unreachable_bootstrap_servers_fail_start_within_the_startup_timeout_naming_the_servers()
    {
        await using var app = new StreamsApp(WordCount, new StreamsOptions
        {
            ApplicationId = "unreachable",
            BootstrapServers = "127.0.0.1:1",
            StartupTimeout = TimeSpan.FromSeconds(3),
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StreamsException>(() => app.StartAsync());

        output.WriteLine($"{clock.Elapsed}: {error.Message}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.Contains("Cannot reach", error.Message);
        Assert.Equal(StreamsState.Error, app.State);
        await Assert.ThrowsAsync<StreamsException>(() => app.Completion);
    }

    [Fact]
    public async Task A_missing_input_topic_fails_start_naming_the_topic()
    {
        using var kafka = EmbeddedKafka.Start();
        await using var app = new StreamsApp(WordCount, Options(kafka, "missing-input", "app"));

        var error = await Assert.ThrowsAsync<StreamsException>(() => app.StartAsync());

        Assert.Contains($"'{WordCountInput}'", error.Message);
        Assert.Contains("do not exist", error.Message);
    }

    [Fact]
    public async Task Three_bytes_read_as_a_long_stop_the_app_naming_topic_partition_offset_and_type()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(NumbersInput, 3);
        kafka.CreateTopic(NumbersOutput, 3);
        using (var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            var partition = new TopicPartition(NumbersInput, new Partition(2));
            producer.Produce(partition, new Message<byte[]?, byte[]> { Value = Serdes.Int64.ToBytes(1) });
            producer.Produce(partition, new Message<byte[]?, byte[]> { Value = Serdes.Int64.ToBytes(2) });
            producer.Produce(partition, new Message<byte[]?, byte[]> { Value = [1, 2, 3] });
            producer.Produce(partition, new Message<byte[]?, byte[]> { Value = Serdes.Int64.ToBytes(4) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        var applicationId = "numbers-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = new StreamsApp(Numbers, Options(kafka, applicationId, "numbers"));
        var states = new List<StreamsState>();
        app.StateChanged += (_, e) => { lock (states) states.Add(e.NewState); };

        await app.StartAsync();
        var completed = await Task.WhenAny(app.Completion, Task.Delay(Patience));

        Assert.Same(app.Completion, completed);
        var error = await Assert.ThrowsAsync<RecordProcessingException>(() => app.Completion);
        output.WriteLine(error.Message);
        Assert.StartsWith($"Cannot deserialize record {NumbersInput}[2]@2 (task 0_2): Cannot deserialize long: expected exactly 8 bytes, got 3", error.Message);
        Assert.Equal((NumbersInput, 2, 2L), (error.Topic, error.Partition, error.Offset));
        Assert.True(error.IsDeserializationError);
        Assert.Equal(StreamsState.Error, app.State);
        lock (states) Assert.Equal(StreamsState.Error, states[^1]);
        await Assert.ThrowsAsync<RecordProcessingException>(() => app.StopAsync());

        // The records before the bad one were processed, acknowledged and committed; the bad one was not.
        var (committed, _) = CommittedAndEndOffsets(kafka, applicationId, NumbersInput, 3);
        Assert.Equal(2, committed[2]);
        Assert.Equal([2L, 4L], ReadLongs(kafka, NumbersOutput, 3, expectedCount: 2).Order()); // null keys: any partitions
    }

    [Fact]
    public async Task A_record_the_broker_does_not_accept_stops_the_app_and_commits_nothing()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(NumbersInput, 1); // the output topic is missing, and the producer may not create it
        using (var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 5; i++)
                producer.Produce(NumbersInput, new Message<byte[]?, byte[]> { Value = Serdes.Int64.ToBytes(i) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        var applicationId = "undeliverable-" + Guid.NewGuid().ToString("N")[..8];
        var options = Options(kafka, applicationId, "undeliverable");
        options.ConfigureProducer = producer =>
        {
            producer.AllowAutoCreateTopics = false;
            producer.MessageTimeoutMs = 2000;
        };
        await using var app = new StreamsApp(Numbers, options);

        await app.StartAsync();
        var completed = await Task.WhenAny(app.Completion, Task.Delay(Patience));

        Assert.Same(app.Completion, completed);
        var error = await Assert.ThrowsAsync<StreamsException>(() => app.Completion);
        output.WriteLine(error.Message);
        Assert.Contains($"'{NumbersOutput}'", error.Message);
        Assert.Equal(StreamsState.Error, app.State);
        var (committed, _) = CommittedAndEndOffsets(kafka, applicationId, NumbersInput, 1);
        Assert.Equal(Offset.Unset.Value, committed[0]);
    }

    private StreamsOptions Options(EmbeddedKafka kafka, string applicationId, string name, int commitIntervalSeconds = 1) =>
        TestOptions(kafka, applicationId, output, name, LogLevel.Debug, commitIntervalSeconds);

    /// <summary>Deterministic text whose lines hash to every partition; returns the lines and the word counts.</summary>
    private static (List<string> Lines, Dictionary<string, long> Counts) Text(int lineCount)
    {
        string[] vocabulary = ["kafka", "streams", "generated", "dotnet", "span", "topic", "partition", "offset", "commit", "task",
            "record", "broker", "count", "word", "line", "hello", "world", "Fast", "SAFE", "aot"];
        var lines = new List<string>(lineCount);
        var counts = new Dictionary<string, long>();
        for (var i = 0; i < lineCount; i++)
        {
            var words = new List<string>();
            for (var j = 0; j <= i % 7; j++) words.Add(vocabulary[(i * 7 + j * 3) % vocabulary.Length]);
            lines.Add(string.Join(i % 3 == 0 ? "  " : " ", words));
            foreach (var word in words)
                counts[word.ToLowerInvariant()] = counts.GetValueOrDefault(word.ToLowerInvariant()) + 1;
        }
        return (lines, counts);
    }

    /// <summary>Reads the output topic until the last count of every word equals the expected one (or times out).</summary>
    private Dictionary<string, long> ReadCountsUntil(EmbeddedKafka kafka, Dictionary<string, long> expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, InputPartitions).Select(p => new TopicPartitionOffset(WordCountOutput, p, Offset.Beginning)));
        var counts = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();
        var records = 0;
        while (!expected.All(kv => counts.GetValueOrDefault(kv.Key) == kv.Value))
        {
            Assert.True(clock.Elapsed < Patience,
                $"after {records} output records, counts differ: " +
                string.Join(", ", expected.Where(kv => counts.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key}={counts.GetValueOrDefault(kv.Key)}/{kv.Value}")));
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null) continue;
            records++;
            var word = Encoding.UTF8.GetString(result.Message.Key);
            var count = Serdes.Int64.Deserialize(result.Message.Value);
            Assert.True(count > counts.GetValueOrDefault(word), $"count of '{word}' went from {counts.GetValueOrDefault(word)} to {count}");
            counts[word] = count;
        }
        output.WriteLine($"{records} output records in {clock.Elapsed}");
        return counts;
    }
}

/// <summary>Writes runtime logs to the test's output (shown when a test fails), with elapsed seconds and the app's name.</summary>
internal sealed class TestOutputLoggerFactory(ITestOutputHelper output, string name, LogLevel minimum = LogLevel.Debug) : ILoggerFactory
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public ILogger CreateLogger(string categoryName) => new Logger(output, name, minimum);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(ITestOutputHelper output, string name, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            try
            {
                output.WriteLine($"{Clock.Elapsed.TotalSeconds,8:0.000} {name} {logLevel}: {formatter(state, exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished (a late log from a background thread).
            }
        }
    }
}
