using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Xunit.Abstractions;

namespace Streams.Generated.IntegrationTests;

/// <summary>Reads what the runtime left on the embedded cluster: output records, committed offsets.</summary>
internal static class KafkaTestHelpers
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Options for an app on the embedded cluster, logging to the test's output.</summary>
    public static StreamsOptions TestOptions(EmbeddedKafka kafka, string applicationId, ITestOutputHelper output, string name,
        LogLevel logLevel = LogLevel.Information, int commitIntervalSeconds = 1) => new()
    {
        LoggerFactory = new TestOutputLoggerFactory(output, name, logLevel),
        ApplicationId = applicationId,
        BootstrapServers = kafka.BootstrapServers,
        TopicCreator = kafka,
        CommitInterval = TimeSpan.FromSeconds(commitIntervalSeconds),
        // The mock cluster ends every rebalance that follows a join or leave only after session.timeout.ms - 1 s
        // (45 s by default): keep it short so rebalances take ~5 s.
        ConfigureConsumer = consumer => consumer.SessionTimeoutMs = 6000,
    };

    public static List<long> ReadLongs(EmbeddedKafka kafka, string topic, int partitions, int expectedCount) =>
        ReadValues(kafka, topic, partitions, expectedCount, Serdes.Int64);

    /// <summary>The values of a topic's records from the beginning: the expected count, and any one more that follows soon.</summary>
    public static List<T> ReadValues<T>(EmbeddedKafka kafka, string topic, int partitions, int expectedCount, ISerde<T> serde)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<T>();
        var clock = Stopwatch.StartNew();
        while (values.Count < expectedCount && clock.Elapsed < Patience)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
                values.Add(serde.Deserialize(message.Value));
        // Anything beyond the expected records would be a record that should not exist (processed after a failure, an unmatched join).
        if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: { } extra })
            values.Add(serde.Deserialize(extra.Value));
        return values;
    }

    public static (long[] Committed, long[] End) CommittedAndEndOffsets(EmbeddedKafka kafka, string groupId, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var committed = consumer.Committed(tps, TimeSpan.FromSeconds(10)).OrderBy(t => t.Partition.Value).Select(t => t.Offset.Value).ToArray();
        var end = tps.Select(tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value).ToArray();
        return (committed, end);
    }

    public static async Task WaitUntil(Func<bool> condition, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, "timed out waiting: " + describe());
            await Task.Delay(50);
        }
    }
}
