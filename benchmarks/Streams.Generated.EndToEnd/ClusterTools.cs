using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Streams.Generated.Testing;

namespace Streams.Generated.EndToEnd;

/// <summary>Setting up, watching and checking the embedded cluster of one run.</summary>
public static class ClusterTools
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A new cluster with empty input and output topics, and for <see cref="Scenario.Join"/> the table topic written
    /// (the same partition count as the input, as a join requires): every run starts from the same state.
    /// </summary>
    public static EmbeddedKafka StartCluster(Scenario scenario, RunSettings settings)
    {
        var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(Topics.Input, settings.Partitions);
        kafka.CreateTopic(Topics.Output, settings.Partitions);
        if (scenario == Scenario.Join)
        {
            kafka.CreateTopic(Topics.Table, settings.Partitions);
            // An hour older than any input record (stamped when produced): the runtime, which orders a task's records
            // by timestamp, applies the whole table before the first input record, as the hand-written loop does.
            var tableTime = new Timestamp(DateTimeOffset.UtcNow.AddHours(-1));
            Produce(kafka, Topics.Table, Workload.Table(), settings.Partitions, tableTime);
        }
        return kafka;
    }

    /// <summary>Writes the input, stamped with the time it is produced (see <see cref="Produce"/>).</summary>
    public static void ProduceInput(EmbeddedKafka kafka, (byte[] Key, byte[] Value)[] input, int partitions) =>
        Produce(kafka, Topics.Input, input, partitions, Timestamp.Default);

    /// <summary>
    /// Writes <paramref name="records"/> to <paramref name="topic"/>, partitioned by murmur2 of the key as the runtime's
    /// producer does (a join needs its table partitioned the same way), stamped <paramref name="timestamp"/> (the default:
    /// when produced). In large batches: the mock returns only one batch per partition per fetch (librdkafka's
    /// rdkafka_mock_handlers.c, "FIXME: Multiple messageSets?"), where a broker fills the fetch; with small batches every
    /// consumer would wait on fetch round trips and the run would measure the mock, not the pipelines.
    /// </summary>
    private static void Produce(EmbeddedKafka kafka, string topic, (byte[] Key, byte[] Value)[] records, int partitions, Timestamp timestamp)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            Partitioner = Partitioner.Murmur2Random,
            DeliveryReportFields = "none",
            LingerMs = 100, // thousands of records per batch at the rate this producer reaches
        };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        foreach (var (key, value) in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = value, Timestamp = timestamp });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        if (producer.Flush(TimeSpan.FromSeconds(60)) != 0)
            throw new InvalidOperationException($"{topic} was not acknowledged within 60 s.");
        using var inspector = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "e2e-inspector" }).Build();
        var ends = EndOffsets(inspector, topic, partitions);
        if (ends.Sum() != records.Length)
            throw new InvalidOperationException($"{topic} holds {ends.Sum()} records, not {records.Length}.");
    }

    /// <summary>
    /// Waits until <paramref name="groupId"/> has committed the end of the input and of each internal topic; returns
    /// false on timeout. Polls every 10 ms; the end of an internal topic is final once the input is committed (the
    /// records derived from it were acknowledged before that commit).
    /// </summary>
    public static async Task<bool> WaitUntilCommittedAsync(EmbeddedKafka kafka, string groupId, IReadOnlyList<string> internalTopics, int partitions, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = groupId, // never subscribes, so never joins the group: it only reads the group's offsets
            EnableAutoCommit = false,
        }).Build();
        var inputEnds = EndOffsets(consumer, Topics.Input, partitions);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Committed(consumer, Topics.Input, partitions).SequenceEqual(inputEnds)
                && internalTopics.All(topic => Committed(consumer, topic, partitions).SequenceEqual(EndOffsets(consumer, topic, partitions))))
                return true;
            await Task.Delay(10);
        }
        return false;
    }

    /// <summary>
    /// Reads the whole output topic and checks it is exactly what <paramref name="scenario"/> makes of
    /// <paramref name="records"/> input records: each expected record once, nothing else, and no topic truncated by the
    /// mock's retention. Returns the problems found (empty when right).
    /// </summary>
    public static List<string> CheckOutput(EmbeddedKafka kafka, Scenario scenario, int records, IReadOnlyList<string> internalTopics, int partitions)
    {
        var problems = new List<string>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "e2e-check-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        foreach (var topic in (string[])[Topics.Input, Topics.Output, .. internalTopics])
        {
            for (var p = 0; p < partitions; p++)
                if (consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), RequestTimeout).Low.Value > 0)
                    problems.Add($"{topic}[{p}] lost its oldest records to the mock's retention limit: use more partitions or fewer records.");
        }

        var total = EndOffsets(consumer, Topics.Output, partitions).Sum();
        var check = OutputCheck.For(scenario, records);
        if (total != check.ExpectedCount)
            problems.Add($"{Topics.Output} holds {total} records, expected {check.ExpectedCount}.");
        ReadToEnd(consumer, Topics.Output, partitions, TimeSpan.FromMinutes(2), message =>
        {
            if (problems.Count < 10) check.Add(message.Key, message.Value, problems);
        });
        if (problems.Count == 0) check.Finish(problems);
        return problems;
    }

    /// <summary>
    /// Assigns <paramref name="consumer"/> every partition of <paramref name="topic"/> from the beginning and hands each
    /// record up to the topic's current end to <paramref name="onRecord"/>; throws if that takes longer than
    /// <paramref name="timeout"/>.
    /// </summary>
    public static void ReadToEnd<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partitions, TimeSpan timeout, Action<Message<TKey, TValue>> onRecord)
    {
        var total = EndOffsets(consumer, topic, partitions).Sum();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = 0L;
        var clock = Stopwatch.StartNew();
        while (read < total && clock.Elapsed < timeout)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { Message: { } message }) continue;
            read++;
            onRecord(message);
        }
        if (read < total) throw new TimeoutException($"Read only {read} of the {total} records of {topic} within {timeout}.");
    }

    private static long[] EndOffsets<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partitions) =>
        [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), RequestTimeout).High.Value)];

    /// <summary>Committed offsets; an empty partition with nothing committed counts as committed at 0.</summary>
    private static long[] Committed<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partitions) =>
        [.. consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), RequestTimeout)
            .OrderBy(tpo => tpo.Partition.Value)
            .Select(tpo => Math.Max(tpo.Offset.Value, 0))];
}

/// <summary>What a scenario's output must be, checked record by record.</summary>
internal abstract class OutputCheck
{
    public abstract long ExpectedCount { get; }

    public abstract void Add(byte[]? key, byte[]? value, List<string> problems);

    /// <summary>Checks what can only be judged once every record was read.</summary>
    public virtual void Finish(List<string> problems) { }

    public static OutputCheck For(Scenario scenario, int records) => scenario switch
    {
        Scenario.Map => new EveryRecordOnce(records, keep: _ => true, id => Workload.Map(Workload.Value(id))),
        Scenario.FilterMap => new EveryRecordOnce(records, keep: id => Workload.Keep(Workload.Value(id)), id => Workload.Map(Workload.Value(id))),
        Scenario.Count => new CountsInOrder(records, Workload.Key),
        Scenario.CountRekeyed => new CountsInOrder(records, id => Workload.GroupOf(Workload.Value(id))),
        Scenario.Join => new EveryRecordOnce(records, keep: Workload.HasCustomer, id => Workload.Join(Workload.Value(id), Workload.Customer(Workload.Key(id)))),
        Scenario.ConsumeOnly => new EveryRecordOnce(records, keep: _ => false, Workload.Value),
        Scenario.CopyThrough => new EveryRecordOnce(records, keep: _ => true, Workload.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    /// <summary>Each kept input record exactly once, under its input key, with the value <paramref name="valueOf"/> gives for its id.</summary>
    private sealed class EveryRecordOnce(int records, Func<int, bool> keep, Func<int, string> valueOf) : OutputCheck
    {
        private readonly bool[] _seen = new bool[records];

        public override long ExpectedCount { get; } = Enumerable.Range(0, records).LongCount(keep);

        public override void Add(byte[]? key, byte[]? value, List<string> problems)
        {
            var text = Encoding.UTF8.GetString(value ?? []);
            var id = text.Length >= Workload.ValueLength && int.TryParse(text.AsSpan(0, 10), out var parsed) ? parsed : -1;
            if (id < 0 || id >= records || !keep(id))
                problems.Add($"unexpected output value '{text}'.");
            else if (_seen[id])
                problems.Add($"record {id} was written twice.");
            else if (Encoding.UTF8.GetString(key ?? []) != Workload.Key(id) || text != valueOf(id))
                problems.Add($"record {id} has key '{Encoding.UTF8.GetString(key ?? [])}' and value '{text}'.");
            else
                _seen[id] = true;
        }
    }

    /// <summary>For every key, the counts 1, 2, ... n in order, n being how many input records have that key.</summary>
    private sealed class CountsInOrder : OutputCheck
    {
        private readonly Dictionary<string, long> _expected = new();
        private readonly Dictionary<string, long> _last = new();

        public CountsInOrder(int records, Func<int, string> keyOf)
        {
            for (var id = 0; id < records; id++)
                _expected[keyOf(id)] = _expected.GetValueOrDefault(keyOf(id)) + 1;
            ExpectedCount = records;
        }

        public override long ExpectedCount { get; }

        public override void Add(byte[]? key, byte[]? value, List<string> problems)
        {
            var text = Encoding.UTF8.GetString(key ?? []);
            if (value is not { Length: 8 })
            {
                problems.Add($"count of '{text}' is not an 8-byte long.");
                return;
            }
            var count = BinaryPrimitives.ReadInt64BigEndian(value);
            var last = _last.GetValueOrDefault(text);
            if (count != last + 1) problems.Add($"count of '{text}' went from {last} to {count}.");
            _last[text] = count;
        }

        public override void Finish(List<string> problems)
        {
            foreach (var (key, expected) in _expected)
                if (_last.GetValueOrDefault(key) != expected)
                    problems.Add($"final count of '{key}' is {_last.GetValueOrDefault(key)}, expected {expected}.");
            foreach (var key in _last.Keys)
                if (!_expected.ContainsKey(key)) problems.Add($"unexpected key '{key}'.");
        }
    }
}
