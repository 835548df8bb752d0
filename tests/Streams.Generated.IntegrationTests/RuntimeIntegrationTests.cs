using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Xunit.Abstractions;
using static Streams.Generated.IntegrationTests.IntegrationTopologies;
using static Streams.Generated.IntegrationTests.KafkaTestHelpers;

namespace Streams.Generated.IntegrationTests;

/// <summary>Backpressure, stream-time ordering, several threads and scale-out on the embedded broker.</summary>
public class RuntimeIntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_slow_processor_pauses_its_partition_keeps_the_buffer_bounded_and_processes_every_record_once_in_order()
    {
        const int Records = 1200;
        const long PauseBytes = 64 * 1024;
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(SlowInput, 1);
        kafka.CreateTopic(SlowOutput, 1);
        var value = new string('v', 1000); // 1.2 MB: under the mock's retention of one partition, far over the buffer
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < Records; i++) producer.Produce(SlowInput, new Message<string, string> { Key = "k" + i, Value = i.ToString("D6", CultureInfo.InvariantCulture) + value });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        SlowTopology.Delay = TimeSpan.FromMilliseconds(1); // ~1.2 s of processing; the consumer could fetch it all at once
        var applicationId = "slow-" + Guid.NewGuid().ToString("N")[..8];
        using var metrics = new MetricsRecorder(applicationId);
        var options = Options(kafka, applicationId, "slow");
        options.PartitionBufferPauseBytes = PauseBytes;
        options.PartitionBufferResumeBytes = PauseBytes / 2;
        await using var app = new StreamsApp(SlowTopology.Definition, options);
        await app.StartAsync();

        var outputs = ReadStrings(kafka, SlowOutput, Records);
        await app.StopAsync();

        Assert.Equal(Enumerable.Range(0, Records).Select(i => i.ToString("D6", CultureInfo.InvariantCulture)), outputs.Select(o => o.Value[..6]));
        Assert.Equal(Enumerable.Range(0, Records).Select(i => "k" + i), outputs.Select(o => o.Key));
        var peak = metrics.Peak(StreamsInstruments.BufferedBytes);
        output.WriteLine($"peak buffered bytes {peak}, paused partitions peak {metrics.Peak(StreamsInstruments.PausedPartitions)}");
        Assert.True(metrics.Peak(StreamsInstruments.PausedPartitions) >= 1, "the partition was paused");
        Assert.InRange(peak, PauseBytes / 2, PauseBytes + 2 * 1024); // at most one record over the threshold
        Assert.Equal(Records, metrics.Total(StreamsInstruments.RecordsProcessed));
        Assert.Equal(Records, metrics.Total(StreamsInstruments.RecordsProduced));
        Assert.True(metrics.Count(StreamsInstruments.ProcessDuration) >= Records);
        var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, SlowInput, 1);
        Assert.Equal(end, committed);
    }

    [Fact]
    public async Task Records_of_two_partitions_of_one_task_are_processed_in_timestamp_order()
    {
        const int PerSide = 200;
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(LeftInput, 1);
        kafka.CreateTopic(RightInput, 1);
        kafka.CreateTopic(MergedOutput, 1);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            // Left holds the even timestamps, right the odd ones; each side is produced in one go.
            for (var i = 0; i < PerSide; i++)
                producer.Produce(LeftInput, new Message<string, string> { Key = "a", Value = i.ToString(CultureInfo.InvariantCulture), Timestamp = new Timestamp(1_000_000 + 20 * i, TimestampType.CreateTime) });
            for (var i = 0; i < PerSide; i++)
                producer.Produce(RightInput, new Message<string, string> { Key = "a", Value = i.ToString(CultureInfo.InvariantCulture), Timestamp = new Timestamp(1_000_010 + 20 * i, TimestampType.CreateTime) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        var applicationId = "merge-" + Guid.NewGuid().ToString("N")[..8];
        var options = Options(kafka, applicationId, "merge");
        options.MaxTaskIdle = TimeSpan.FromSeconds(5); // wait for the other partition rather than run ahead of it
        await using var app = new StreamsApp(MergeTopology.Definition, options);
        await app.StartAsync();

        var outputs = ReadStrings(kafka, MergedOutput, 2 * PerSide);
        await app.StopAsync();

        var timestamps = outputs.Select(o => long.Parse(o.Value[..o.Value.IndexOf(':')], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, 2 * PerSide).Select(i => 1_000_000L + 10 * i), timestamps);
        Assert.Equal(["0_0"], app.AssignedTasks.Count == 0 ? ["0_0"] : app.AssignedTasks); // one task read both topics
    }

    [Fact]
    public async Task A_task_does_not_wait_for_a_partition_that_is_caught_up()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(LeftInput, 1);
        kafka.CreateTopic(RightInput, 1); // stays empty
        kafka.CreateTopic(MergedOutput, 1);
        var options = Options(kafka, "caught-up-" + Guid.NewGuid().ToString("N")[..8], "caught-up");
        options.MaxTaskIdle = TimeSpan.FromMinutes(10); // were the empty side waited for, nothing would come out in the test's time
        await using var app = new StreamsApp(MergeTopology.Definition, options);
        await app.StartAsync();
        await WaitUntil(() => app.State == StreamsState.Running && app.AssignedTasks.Count == 1, () => $"{app.State} [{string.Join(",", app.AssignedTasks)}]");

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
                producer.Produce(LeftInput, new Message<string, string> { Key = "a", Value = i.ToString(CultureInfo.InvariantCulture), Timestamp = new Timestamp(1_000_000 + i, TimestampType.CreateTime) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        Assert.Equal(10, ReadStrings(kafka, MergedOutput, 10).Count);
        await app.StopAsync();
    }

    [Fact]
    public async Task Two_stream_threads_share_the_tasks_of_one_instance()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(CopyInput, 4);
        kafka.CreateTopic(CopyOutput, 4);
        var applicationId = "threads-" + Guid.NewGuid().ToString("N")[..8];
        var options = Options(kafka, applicationId, "threads");
        options.StreamThreads = 2;
        await using var app = new StreamsApp(CopyTopology.Definition, options);
        await app.StartAsync();
        await WaitUntil(() => app.State == StreamsState.Running && app.AssignedTasks.Count == 4, () => $"{app.State} [{string.Join(",", app.AssignedTasks)}]");

        Produce(kafka, 0, 1000);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), ReadCopies(kafka, 1000).SelectMany(p => p.Value).Order());
        Assert.Equal(["0_0", "0_1", "0_2", "0_3"], app.AssignedTasks);
        await app.StopAsync();
        var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, CopyInput, 4);
        Assert.Equal(end, committed);
    }

    [Fact]
    public async Task A_stop_while_the_first_thread_starts_ends_an_app_of_two_threads()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(CopyInput, 4);
        kafka.CreateTopic(CopyOutput, 4);
        var options = Options(kafka, "early-stop-" + Guid.NewGuid().ToString("N")[..8], "early-stop");
        options.StreamThreads = 2;
        StreamsApp? app = null;
        var configure = options.ConfigureConsumer;
        var first = 0;
        options.ConfigureConsumer = consumer =>
        {
            configure?.Invoke(consumer);
            if (Interlocked.Exchange(ref first, 1) == 0) _ = app!.StopAsync(); // thread 0, past its last stop check before polling
        };
        app = new StreamsApp(CopyTopology.Definition, options);
        var start = app.StartAsync();

        var done = await Task.WhenAny(app.Completion, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.Same(app.Completion, done);
        Assert.Equal(StreamsState.Stopped, app.State);
        await Assert.ThrowsAsync<OperationCanceledException>(() => start); // the second thread never polled
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Instances_join_leave_and_die_and_every_input_record_reaches_the_output_with_duplicates_only_after_the_death()
    {
        const int Partitions = 8;
        const int PerPhase = 2000;
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(CopyInput, Partitions);
        kafka.CreateTopic(CopyOutput, Partitions);
        var applicationId = "scale-" + Guid.NewGuid().ToString("N")[..8];
        var apps = new List<StreamsApp>();
        try
        {
            for (var i = 0; i < 3; i++) apps.Add(await Started(kafka, applicationId, $"app{i}"));
            await WaitForBalance(apps, Partitions);

            // Each membership change waits until what came before is processed and committed: the embedded broker
            // refuses commits while its group is joining (a real broker accepts them until the rebalance completes),
            // so an owner's last commit can miss when a change meets work in flight, and its successor would redo it.
            Produce(kafka, 0, PerPhase);
            await WaitUntilCommitted(kafka, applicationId, Partitions);
            apps.Add(await Started(kafka, applicationId, "app3")); // join
            await WaitForBalance(apps, Partitions);
            Produce(kafka, PerPhase, PerPhase);
            await WaitUntilCommitted(kafka, applicationId, Partitions);

            await apps[0].StopAsync(); // leave gracefully
            apps.RemoveAt(0);
            await WaitForBalance(apps, Partitions);
            Produce(kafka, 2 * PerPhase, PerPhase);
            await WaitUntilCommitted(kafka, applicationId, Partitions);
            // Everything so far arrived once, and the output offsets before the death are the reference.
            var beforeDeath = ReadCopies(kafka, 3 * PerPhase);
            Assert.Equal(Enumerable.Range(0, 3 * PerPhase).Select(i => (long)i), beforeDeath.SelectMany(p => p.Value).Order());

            Produce(kafka, 3 * PerPhase, PerPhase);
            await apps[0].KillAsync(); // dies without committing what it processed since its last commit
            apps.RemoveAt(0);
            Produce(kafka, 4 * PerPhase, PerPhase);

            var after = ReadCopies(kafka, 5 * PerPhase, allowMore: true);
            var all = after.SelectMany(p => p.Value).ToList();
            var distinct = all.Distinct().Order().ToList();
            Assert.Equal(Enumerable.Range(0, 5 * PerPhase).Select(i => (long)i), distinct);
            foreach (var (partition, values) in beforeDeath) // no duplicate before the death: each partition's output is a prefix
                Assert.Equal(values, after[partition].Take(values.Count));
            output.WriteLine($"{all.Count - distinct.Count} duplicates after the death");
            foreach (var app in apps) await app.StopAsync();
            var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, CopyInput, Partitions);
            Assert.Equal(end, committed);
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
    }

    private async Task<StreamsApp> Started(EmbeddedKafka kafka, string applicationId, string name)
    {
        var app = new StreamsApp(CopyTopology.Definition, Options(kafka, applicationId, name));
        await app.StartAsync();
        return app;
    }

    private static Task WaitUntilCommitted(EmbeddedKafka kafka, string applicationId, int partitions) => WaitUntil(
        () =>
        {
            var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, CopyInput, partitions);
            return committed.SequenceEqual(end);
        },
        () => "input offsets not all committed");

    private static Task WaitForBalance(List<StreamsApp> apps, int partitions) => WaitUntil(
        () => apps.All(a => a.State == StreamsState.Running && a.AssignedTasks.Count > 0)
            && apps.Sum(a => a.AssignedTasks.Count) == partitions
            && apps.SelectMany(a => a.AssignedTasks).Distinct().Count() == partitions,
        () => string.Join("; ", apps.Select(a => $"{a.State} [{string.Join(",", a.AssignedTasks)}]")));

    private static void Produce(EmbeddedKafka kafka, int from, int count)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build();
        for (var i = from; i < from + count; i++)
            producer.Produce(CopyInput, new Message<string, byte[]> { Key = "key-" + i, Value = Serdes.Int64.ToBytes(i) });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>The copied values of each output partition, in offset order.</summary>
    private static SortedDictionary<int, List<long>> ReadCopies(EmbeddedKafka kafka, int expected, bool allowMore = false)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        var perPartition = new SortedDictionary<int, List<long>>();
        consumer.Assign(Enumerable.Range(0, 8).Select(p => new TopicPartitionOffset(CopyOutput, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        var count = 0;
        var quiet = Stopwatch.StartNew();
        while (clock.Elapsed < Patience && (count < expected || (allowMore && quiet.Elapsed < TimeSpan.FromSeconds(2))))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { Message: { } message } result) continue;
            if (!perPartition.TryGetValue(result.Partition.Value, out var values)) perPartition[result.Partition.Value] = values = new();
            values.Add(Serdes.Int64.Deserialize(message.Value));
            count++;
            quiet.Restart();
        }
        Assert.True(count >= expected, $"read {count} of {expected} output records");
        return perPartition;
    }

    private static List<(string Key, string Value)> ReadStrings(EmbeddedKafka kafka, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = new List<(string, string)>();
        var clock = Stopwatch.StartNew();
        while (records.Count < expected && clock.Elapsed < Patience)
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: { } message }) records.Add((message.Key, message.Value));
        if (consumer.Consume(TimeSpan.FromMilliseconds(300)) is { Message: { } extra }) records.Add((extra.Key, extra.Value));
        return records;
    }

    private StreamsOptions Options(EmbeddedKafka kafka, string applicationId, string name) => TestOptions(kafka, applicationId, output, name);
}
