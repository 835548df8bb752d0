using System.Diagnostics;
using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Xunit.Abstractions;
using static Streams.Generated.IntegrationTests.KafkaTestHelpers;

namespace Streams.Generated.IntegrationTests;

/// <summary>Readings per sensor in 10 s windows, with 2 s of grace, one final count per window.</summary>
[Topology("sensor-windows")]
public static partial class SensorWindows
{
    public const string Readings = "readings";
    public const string Counts = "readings-per-10s";

    [Count(From = Readings, Store = "per-10s", Window = "tumbling 10s", Grace = "2s", Emit = Emit.Final, To = Counts)]
    public partial class Per10Seconds;
}

/// <summary>A windowed count on the embedded broker: final results by record time, a late record dropped, logged and counted.</summary>
public class WindowedIntegrationTests(ITestOutputHelper output)
{
    private const long T0 = 1_700_000_000_000; // a multiple of 10 s: a window starts there

    [Fact]
    public async Task Final_counts_follow_record_timestamps_and_a_late_record_is_dropped_and_counted()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(SensorWindows.Readings, 1);
        kafka.CreateTopic(SensorWindows.Counts, 1);
        var applicationId = "windows-" + Guid.NewGuid().ToString("N")[..8];
        using var metrics = new MetricsRecorder(applicationId);
        await using var app = new StreamsApp(SensorWindows.Definition, TestOptions(kafka, applicationId, output, "windows"));
        await app.StartAsync();

        Produce(kafka, ("a", T0 + 1_000), ("a", T0 + 4_000), ("b", T0 + 5_000),
            ("a", T0 + 13_000),  // stream time T0 + 13 s: [T0, T0 + 10 s) closes (10 s + 2 s grace)
            ("a", T0 + 3_000),   // late: its window has closed
            ("b", T0 + 25_000)); // closes [T0 + 10 s, T0 + 20 s)
        var counts = ReadCounts(kafka, 3);
        await WaitUntil(() => metrics.Total(StreamsInstruments.RecordsDropped) == 1, () => $"dropped: {metrics.Total(StreamsInstruments.RecordsDropped)}");
        await app.StopAsync();

        Assert.Equal(
        [
            (new Windowed<string>("a", T0, T0 + 10_000), 2L, T0 + 9_999),
            (new Windowed<string>("b", T0, T0 + 10_000), 1L, T0 + 9_999),
            (new Windowed<string>("a", T0 + 10_000, T0 + 20_000), 1L, T0 + 19_999),
        ], counts);
        var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, SensorWindows.Readings, 1);
        Assert.Equal(end, committed);
    }

    private static void Produce(EmbeddedKafka kafka, params (string Sensor, long Timestamp)[] readings)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        foreach (var (sensor, timestamp) in readings)
            producer.Produce(SensorWindows.Readings, new Message<string, string> { Key = sensor, Value = "21.5", Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private static List<(Windowed<string> Key, long Count, long Timestamp)> ReadCounts(EmbeddedKafka kafka, int expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        consumer.Assign(new TopicPartitionOffset(SensorWindows.Counts, 0, Offset.Beginning));
        var keys = new TimeWindowedSerde<string>(Serdes.String, 10_000);
        var counts = new List<(Windowed<string>, long, long)>();
        var clock = Stopwatch.StartNew();
        while (counts.Count < expected && clock.Elapsed < Patience)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
                counts.Add((keys.Deserialize(message.Key), Serdes.Int64.Deserialize(message.Value), message.Timestamp.UnixTimestampMs));
        }
        if (consumer.Consume(TimeSpan.FromMilliseconds(300)) is { Message: { } extra })
            counts.Add((keys.Deserialize(extra.Key), Serdes.Int64.Deserialize(extra.Value), extra.Timestamp.UnixTimestampMs));
        return counts;
    }
}
