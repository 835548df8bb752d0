using System.Diagnostics;
using System.Net.Sockets;
using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Testing;
using Xunit.Abstractions;

namespace Streams.Generated.IntegrationTests;

/// <summary>
/// The embedded broker (librdkafka's mock cluster) with real Confluent.Kafka clients: the Kafka behaviour the runtime
/// and the other integration tests rely on. Every wait is bounded so a broken broker fails a test instead of hanging it.
/// </summary>
public sealed class EmbeddedKafkaTests(ITestOutputHelper output)
{
    private const string Topic = "embedded-test";
    private const int Partitions = 4;
    private const int Records = 1000;
    private const int Keys = 50;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Start_reports_one_bootstrap_address_per_broker_and_topics_have_the_requested_partitions()
    {
        using var kafka = EmbeddedKafka.Start(brokers: 3);
        Assert.Equal(3, kafka.Brokers);
        var addresses = kafka.BootstrapServers.Split(',');
        Assert.Equal(3, addresses.Length);
        Assert.All(addresses, a => Assert.StartsWith("127.0.0.1:", a));

        Assert.True(kafka.CreateTopic(Topic, Partitions, replicationFactor: 3));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10));
        Assert.Equal(3, metadata.Brokers.Count);
        var topic = Assert.Single(metadata.Topics);
        Assert.False(topic.Error.IsError, topic.Error.Reason);
        Assert.Equal(Enumerable.Range(0, Partitions), topic.Partitions.Select(p => p.PartitionId).Order());
        Assert.All(topic.Partitions, p => Assert.Equal(3, p.Replicas.Length));
        // The mock picks leaders at random: all four on one broker happens (1 in 27), so only check they are real brokers.
        var brokerIds = metadata.Brokers.Select(b => b.BrokerId).ToHashSet();
        Assert.All(topic.Partitions, p => Assert.Contains(p.Leader, brokerIds));
    }

    [Fact]
    public void Keyed_records_are_consumed_by_a_group_completely_and_in_partition_order_and_commits_are_visible()
    {
        using var kafka = EmbeddedKafka.Start(brokers: 3);
        kafka.CreateTopic(Topic, Partitions);
        var groupId = "group-" + Guid.NewGuid().ToString("N")[..8];

        var T = Stopwatch.StartNew();
        var delivered = Produce(kafka, 0, Records);
        output.WriteLine($"T produced {T.Elapsed}");

        // Consume everything with a group member.
        var consumed = new List<(int Partition, long Offset, string Key, int Value)>();
        List<TopicPartitionOffset> committed;
        using (var consumer = NewConsumer(kafka, groupId))
        {
            consumer.Subscribe(Topic);
            var clock = Stopwatch.StartNew();
            while (consumed.Count < Records)
            {
                Assert.True(clock.Elapsed < Patience, $"consumed {consumed.Count} of {Records} records in {Patience}");
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: { } m } r)
                    consumed.Add((r.Partition.Value, r.Offset.Value, m.Key, m.Value));
            }
            Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300))); // nothing beyond what was produced
            Assert.Equal(Partitions, consumer.Assignment.Count);
            output.WriteLine($"T consumed {T.Elapsed}");
            committed = CommitWithRetry(consumer);
            output.WriteLine($"T committed {T.Elapsed}");
            consumer.Close();
            output.WriteLine($"T closed {T.Elapsed}");
        }
        output.WriteLine($"consumed {consumed.Count}; committed {string.Join(", ", committed)}");

        // Complete: exactly the records the broker acknowledged, each at the partition/offset it was acknowledged at.
        Assert.Equal(
            delivered.Select(d => (d.Partition, d.Offset, d.Key, d.Value)).OrderBy(d => d.Partition).ThenBy(d => d.Offset),
            consumed.OrderBy(c => c.Partition).ThenBy(c => c.Offset));
        // In order: per partition, offsets 0, 1, 2, ... in consumption order; per key, values in production order.
        foreach (var partition in consumed.GroupBy(c => c.Partition))
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(c => c.Offset));
        foreach (var key in consumed.GroupBy(c => c.Key))
        {
            Assert.Single(key.Select(c => c.Partition).Distinct());
            Assert.Equal(key.Select(c => c.Value).Order(), key.Select(c => c.Value));
        }
        Assert.True(consumed.Select(c => c.Partition).Distinct().Count() == Partitions, "keys should cover every partition");

        // Committed offsets are visible to another client of the group, and equal the end of each partition.
        using (var probe = NewConsumer(kafka, groupId))
        {
            var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Topic, p)).ToList();
            var visible = probe.Committed(partitions, TimeSpan.FromSeconds(10));
            foreach (var tp in partitions)
            {
                var end = probe.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High;
                Assert.Equal(end, visible.Single(v => v.TopicPartition == tp).Offset);
            }
        }

        // A new member of the group resumes after the committed offsets: it sees only records produced later.
        output.WriteLine($"T probed {T.Elapsed}");
        var later = Produce(kafka, Records, 20);
        output.WriteLine($"T later {T.Elapsed}");
        using (var resumed = NewConsumer(kafka, groupId))
        {
            resumed.Subscribe(Topic);
            var values = new List<int>();
            var clock = Stopwatch.StartNew();
            while (values.Count < later.Count)
            {
                Assert.True(clock.Elapsed < Patience, $"resumed consumer saw {values.Count} of {later.Count} new records");
                if (resumed.Consume(TimeSpan.FromMilliseconds(100)) is { Message: { } m })
                    values.Add(m.Value);
            }
            output.WriteLine($"T resumed {T.Elapsed}");
            Assert.Null(resumed.Consume(TimeSpan.FromMilliseconds(300)));
            Assert.Equal(later.Select(d => d.Value).Order(), values.Order());
            resumed.Close();
            output.WriteLine($"T end {T.Elapsed}");
        }
    }

    [Fact]
    public void A_second_group_member_gets_a_share_of_the_partitions_after_a_rebalance()
    {
        using var kafka = EmbeddedKafka.Start(brokers: 3);
        kafka.CreateTopic(Topic, Partitions);
        Produce(kafka, 0, Records);
        var groupId = "group-" + Guid.NewGuid().ToString("N")[..8];

        using var first = NewConsumer(kafka, groupId);
        first.Subscribe(Topic);
        var firstCount = 0;
        var clock = Stopwatch.StartNew();
        while (first.Assignment.Count < Partitions || firstCount == 0)
        {
            Assert.True(clock.Elapsed < Patience, $"first member alone has {first.Assignment.Count} partitions");
            if (first.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null }) firstCount++;
        }

        output.WriteLine($"T first has all {clock.Elapsed}");
        using var second = NewConsumer(kafka, groupId);
        second.Subscribe(Topic);
        var secondCount = 0;
        // Both must keep polling: the first member takes part in the rebalance from inside Consume.
        while (!(first.Assignment.Count > 0 && second.Assignment.Count > 0
                 && first.Assignment.Count + second.Assignment.Count == Partitions
                 && !first.Assignment.Intersect(second.Assignment).Any()
                 && secondCount > 0))
        {
            Assert.True(clock.Elapsed < Patience,
                $"after {clock.Elapsed}: first [{string.Join(",", first.Assignment)}], second [{string.Join(",", second.Assignment)}], second consumed {secondCount}");
            if (first.Consume(TimeSpan.FromMilliseconds(50)) is { Message: not null }) firstCount++;
            if (second.Consume(TimeSpan.FromMilliseconds(50)) is { Message: not null }) secondCount++;
        }
        output.WriteLine($"first [{string.Join(",", first.Assignment)}] consumed {firstCount}; second [{string.Join(",", second.Assignment)}] consumed {secondCount}; after {clock.Elapsed}");
        second.Close();
        output.WriteLine($"T second closed {clock.Elapsed}");
        first.Close();
        output.WriteLine($"T first closed {clock.Elapsed}");
    }

    [Fact]
    public void Dispose_stops_the_cluster_and_a_new_one_can_start_after_it()
    {
        var kafka = EmbeddedKafka.Start(brokers: 3);
        kafka.CreateTopic(Topic, 1);
        var ports = kafka.BootstrapServers.Split(',').Select(a => int.Parse(a.Split(':')[1])).ToArray();
        Assert.True(CanConnect(ports[0]), "the broker should accept connections while running");

        kafka.Dispose();
        kafka.Dispose(); // idempotent
        Assert.All(ports, port => Assert.False(CanConnect(port), $"port {port} still accepts connections after Dispose"));
        Assert.Throws<ObjectDisposedException>(() => kafka.CreateTopic("another", 1));

        using var next = EmbeddedKafka.Start();
        Assert.True(next.CreateTopic(Topic, 1)); // a fresh cluster: nothing survived
        var delivered = Produce(next, 0, 5);
        using var consumer = NewConsumer(next, "after-restart");
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        var values = new List<int>();
        var clock = Stopwatch.StartNew();
        while (values.Count < delivered.Count && clock.Elapsed < Patience)
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: { } m })
                values.Add(m.Value);
        Assert.Equal(delivered.Select(d => d.Value), values);
    }

    [Fact]
    public void CreateTopic_reports_an_existing_topic_and_the_topic_creator_accepts_it()
    {
        using var kafka = EmbeddedKafka.Start();
        Assert.True(kafka.CreateTopic("existing", 2));
        Assert.False(kafka.CreateTopic("existing", 5));
        ITopicCreator creator = kafka;
        creator.CreateTopic("existing", 2); // no-op, no exception
        creator.CreateTopic("app-Counts-repartition", 3);
        Assert.False(kafka.CreateTopic("app-Counts-repartition", 3));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        Assert.Equal(2, admin.GetMetadata("existing", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count);
        Assert.Equal(3, admin.GetMetadata("app-Counts-repartition", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_before_reaching_the_mock()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddedKafka.Start(0));
        using var kafka = EmbeddedKafka.Start(brokers: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.CreateTopic("t", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.CreateTopic("t", 1, replicationFactor: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.CreateTopic("t", 1, replicationFactor: 0));
        Assert.Throws<ArgumentException>(() => kafka.CreateTopic("", 1));
        Assert.Throws<ArgumentException>(() => kafka.CreateTopic("has space", 1));
        Assert.Throws<ArgumentException>(() => kafka.CreateTopic("..", 1));
        Assert.Throws<ArgumentException>(() => kafka.CreateTopic(new string('t', 250), 1));
        Assert.True(kafka.CreateTopic(new string('t', 249), 1));
    }

    /// <summary>Produces keyed records (key "key-{i % 50}", value i) idempotently and returns the broker's acknowledgements in order.</summary>
    private static List<(int Partition, long Offset, string Key, int Value)> Produce(EmbeddedKafka kafka, int first, int count)
    {
        var delivered = new List<(int Partition, long Offset, string Key, int Value)>();
        var errors = new List<string>();
        using var producer = new ProducerBuilder<string, int>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            EnableIdempotence = true,
            MessageTimeoutMs = 20_000,
        }).Build();
        for (var i = first; i < first + count; i++)
        {
            producer.Produce(Topic, new Message<string, int> { Key = "key-" + (i % Keys), Value = i }, report =>
            {
                // Delivery reports arrive on the producer's poll thread.
                lock (delivered)
                {
                    if (report.Error.IsError) errors.Add($"{report.Message.Value}: {report.Error}");
                    else delivered.Add((report.Partition.Value, report.Offset.Value, report.Message.Key, report.Message.Value));
                }
            });
        }
        Assert.Equal(0, producer.Flush(Patience));
        lock (delivered)
        {
            Assert.Empty(errors);
            Assert.Equal(count, delivered.Count);
            return [.. delivered];
        }
    }

    private static IConsumer<string, int> NewConsumer(EmbeddedKafka kafka, string groupId) =>
        new ConsumerBuilder<string, int>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 10_000,
        }).Build();

    /// <summary>A synchronous commit can meet a rebalance in progress; that is retried, not a failure.</summary>
    private static List<TopicPartitionOffset> CommitWithRetry(IConsumer<string, int> consumer)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return consumer.Commit();
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress && clock.Elapsed < Patience)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static bool CanConnect(int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }
}
