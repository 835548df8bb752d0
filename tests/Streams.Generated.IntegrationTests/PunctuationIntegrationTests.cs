using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using Streams.Generated.Kafka;
using Streams.Generated.Testing;
using Xunit.Abstractions;
using static Streams.Generated.IntegrationTests.KafkaTestHelpers;

namespace Streams.Generated.IntegrationTests;

/// <summary>Counts records and reports the count on stream time and on wall-clock time.</summary>
[Topology("ticks")]
public static partial class TicksTopology
{
    public const string Input = "tick-in";
    public const string Output = "tick-out";

    [Processor(From = Input)]
    public partial class Tally
    {
        private long _seen;

        public void Process(string key, string value) => _seen++;

        [Punctuate("1s", PunctuationType.StreamTime)]
        public void OnStreamTime(long timestamp) => Tick("stream", _seen);

        [Punctuate("10s", PunctuationType.WallClockTime)]
        public void OnWallClock(long timestamp) => Tick("wall", _seen);

        [To(Output)] private partial void Tick(string key, long seen);
    }
}

/// <summary>Punctuation on the embedded broker, with the app's clock (<see cref="StreamsOptions.TimeProvider"/>) in the test's hands.</summary>
public class PunctuationIntegrationTests(ITestOutputHelper output)
{
    private const long T0 = 1_700_000_000_000;

    [Fact]
    public async Task Stream_time_punctuation_follows_record_timestamps_and_wall_clock_punctuation_follows_the_time_provider()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(TicksTopology.Input, 1);
        kafka.CreateTopic(TicksTopology.Output, 1);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(2_000_000_000_000));
        var applicationId = "ticks-" + Guid.NewGuid().ToString("N")[..8];
        var options = TestOptions(kafka, applicationId, output, "ticks");
        options.TimeProvider = clock;
        await using var app = new StreamsApp(TicksTopology.Definition, options);
        await app.StartAsync();
        await WaitUntil(() => app.State == StreamsState.Running && app.AssignedTasks.Count == 1, () => $"{app.State} [{string.Join(",", app.AssignedTasks)}]");

        // Stream time: the first punctuation is due at T0 + 1 s (the first whole second after the first record); the
        // record at T0 + 3.5 s jumps over 2 s and 3 s and fires once.
        Produce(kafka, T0 + 100, T0 + 400, T0 + 900, T0 + 1_200, T0 + 3_500);
        using var ticks = new TickReader(kafka);
        Assert.Equal([("stream", 4L, T0 + 1_200), ("stream", 5L, T0 + 3_500)], ticks.Read(2));

        // Wall-clock time: nothing until the app's clock moves 10 s past the task's creation, however long the test takes.
        Assert.Empty(ticks.Read(0, quiet: TimeSpan.FromMilliseconds(500)));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([("wall", 5L, clock.GetUtcNow().ToUnixTimeMilliseconds())], ticks.Read(1));

        await app.StopAsync();
        var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, TicksTopology.Input, 1);
        Assert.Equal(end, committed);
    }

    private static void Produce(EmbeddedKafka kafka, params long[] timestamps)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        foreach (var timestamp in timestamps)
            producer.Produce(TicksTopology.Input, new Message<string, string> { Key = "k", Value = "v", Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Reads the output topic from the beginning, keeping its position between calls.</summary>
    private sealed class TickReader : IDisposable
    {
        private readonly IConsumer<string, byte[]> _consumer;

        public TickReader(EmbeddedKafka kafka)
        {
            _consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = kafka.BootstrapServers,
                GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
            }).Build();
            _consumer.Assign(new TopicPartitionOffset(TicksTopology.Output, 0, Offset.Beginning));
        }

        /// <summary>The next <paramref name="expected"/> records, and any that arrive within <paramref name="quiet"/> after them.</summary>
        public List<(string Key, long Seen, long Timestamp)> Read(int expected, TimeSpan? quiet = null)
        {
            var records = new List<(string, long, long)>();
            var clock = Stopwatch.StartNew();
            while (records.Count < expected && clock.Elapsed < Patience)
                if (_consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: { } message }) records.Add(Tick(message));
            var extra = Stopwatch.StartNew();
            while (extra.Elapsed < (quiet ?? TimeSpan.FromMilliseconds(200)))
                if (_consumer.Consume(TimeSpan.FromMilliseconds(50)) is { Message: { } message }) records.Add(Tick(message));
            return records;
        }

        private static (string, long, long) Tick(Message<string, byte[]> message) =>
            (message.Key, Serialization.Serdes.Int64.Deserialize(message.Value), message.Timestamp.UnixTimestampMs);

        public void Dispose() => _consumer.Dispose();
    }
}
