using System.Diagnostics;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Streams.Generated.Testing;

namespace Streams.Generated.EndToEnd;

/// <summary>
/// The baseline: the consume-transform-produce loop a careful engineer writes with Confluent.Kafka for the same
/// at-least-once guarantee as the runtime. One thread polls one consumer (the same settings, see
/// <see cref="ClientSettings"/>) and produces with one producer; every commit interval it waits until every record
/// produced so far is acknowledged, fails on a delivery error, and commits the next offset of each partition processed
/// since the last commit. The per-scenario work is a struct the loop is specialized for: no virtual call per record.
/// The join loads its whole table into a dictionary when the input is assigned, before the first input record.
/// </summary>
internal sealed class HandWrittenPipeline : IPipeline
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Scenario _scenario;
    private readonly EmbeddedKafka _kafka;
    private readonly RunSettings _settings;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Deliveries _deliveries = new();
    private volatile bool _stopRequested;
    private Thread? _thread;

    public HandWrittenPipeline(Scenario scenario, EmbeddedKafka kafka, RunSettings settings)
    {
        _scenario = scenario;
        _kafka = kafka;
        _settings = settings;
        GroupId = "e2e-hand-written-" + scenario.Name();
        // As the runtime does for its count: a key-changing count goes through a repartition topic.
        InternalTopics = scenario == Scenario.CountRekeyed ? [GroupId + "-repartition"] : [];
        foreach (var topic in InternalTopics) kafka.CreateTopic(topic, settings.Partitions);
    }

    public string GroupId { get; }

    public IReadOnlyList<string> InternalTopics { get; }

    public Task StartAsync(Action onAssigned)
    {
        _thread = new Thread(() => Run(onAssigned)) { IsBackground = true, Name = GroupId };
        _thread.Start();
        return _started.Task;
    }

    public Task StopAsync()
    {
        _stopRequested = true;
        return _stopped.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_thread is null) return;
        try { await StopAsync(); }
        catch (Exception) { /* reported by StopAsync to whoever awaited it */ }
    }

    private void Run(Action onAssigned)
    {
        try
        {
            var servers = _kafka.BootstrapServers;
            var producerConfig = ClientSettings.Producer(servers, GroupId);
            string[] input = [Topics.Input];
            switch (_scenario)
            {
                case Scenario.Map:
                case Scenario.FilterMap:
                {
                    using var producer = new ProducerBuilder<byte[], string>(producerConfig).Build();
                    var map = new MapHandler(producer, _deliveries, keepOnlyEvenIds: _scenario == Scenario.FilterMap);
                    Loop(Deserializers.ByteArray, Deserializers.Utf8, input, map, onAssigned);
                    break;
                }
                case Scenario.Count:
                {
                    using var producer = new ProducerBuilder<string, long>(producerConfig).Build();
                    Loop(Deserializers.Utf8, Deserializers.Ignore, input, new CountHandler(producer, _deliveries), onAssigned);
                    break;
                }
                case Scenario.CountRekeyed:
                {
                    using var toRepartition = new ProducerBuilder<string, string>(producerConfig).Build();
                    // The same librdkafka producer, typed for the counts.
                    using var toOutput = new DependentProducerBuilder<string, long>(toRepartition.Handle).Build();
                    var handler = new CountRekeyedHandler(toRepartition, toOutput, InternalTopics[0], _deliveries);
                    Loop(Deserializers.Utf8, Deserializers.Utf8, [Topics.Input, InternalTopics[0]], handler, onAssigned);
                    break;
                }
                case Scenario.Join:
                {
                    using var producer = new ProducerBuilder<string, string>(producerConfig).Build();
                    var customers = new Dictionary<string, string>();
                    Loop(Deserializers.Utf8, Deserializers.Utf8, input, new JoinHandler(producer, _deliveries, customers), () =>
                    {
                        onAssigned(); // the table is loaded inside the measured window, as the runtime restores its store in it
                        LoadTable(customers);
                    });
                    break;
                }
                case Scenario.ConsumeOnly:
                    Loop(Deserializers.ByteArray, Deserializers.ByteArray, input, new ConsumeOnlyHandler(), onAssigned);
                    break;
                case Scenario.CopyThrough:
                {
                    using var producer = new ProducerBuilder<byte[], byte[]>(producerConfig).Build();
                    Loop(Deserializers.ByteArray, Deserializers.ByteArray, input, new CopyThroughHandler(producer, _deliveries), onAssigned);
                    break;
                }
                default:
                    throw new ArgumentOutOfRangeException(nameof(_scenario), _scenario, null);
            }
            _stopped.TrySetResult();
        }
        catch (Exception e)
        {
            _started.TrySetException(e);
            _stopped.TrySetException(e);
        }
    }

    /// <summary>
    /// Reads the join's whole table into <paramref name="table"/> (the latest value per key; a null value deletes): this
    /// loop is the only instance, so it needs every partition. A consumer of its own, assigned rather than subscribed.
    /// </summary>
    private void LoadTable(Dictionary<string, string> table)
    {
        using var consumer = new ConsumerBuilder<string, string>(ClientSettings.Consumer(_kafka.BootstrapServers, GroupId + "-table", _scenario)).Build();
        ClusterTools.ReadToEnd(consumer, Topics.Table, _settings.Partitions, _settings.Timeout, message =>
        {
            if (message.Value is null) table.Remove(message.Key);
            else table[message.Key] = message.Value;
        });
        consumer.Close();
    }

    private void Loop<TKey, TValue, THandler>(
        IDeserializer<TKey> keys, IDeserializer<TValue> values, string[] topics, THandler handler, Action onAssigned)
        where THandler : struct, IRecordHandler<TKey, TValue>
    {
        var assigned = false;
        using var consumer = new ConsumerBuilder<TKey, TValue>(ClientSettings.Consumer(_kafka.BootstrapServers, GroupId, _scenario))
            .SetKeyDeserializer(keys)
            .SetValueDeserializer(values)
            .SetPartitionsAssignedHandler((_, _) =>
            {
                if (assigned) return;
                assigned = true;
                onAssigned();
            })
            .Build();
        var offsets = new ProcessedOffsets(topics, _settings.Partitions);
        consumer.Subscribe(topics);
        _started.TrySetResult();

        var commitEvery = (long)(_settings.CommitInterval.TotalSeconds * Stopwatch.Frequency);
        var nextCommit = Stopwatch.GetTimestamp() + commitEvery;
        while (!_stopRequested)
        {
            var result = consumer.Consume(PollTimeout);
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                handler.Handle(result);
                offsets.Processed(result.Topic, result.Partition.Value, result.Offset.Value);
            }
            if (Stopwatch.GetTimestamp() >= nextCommit)
            {
                Commit(consumer, ref handler, offsets);
                nextCommit = Stopwatch.GetTimestamp() + commitEvery;
            }
        }
        Commit(consumer, ref handler, offsets);
        consumer.Close();
    }

    /// <summary>At least once: commit only what every produced record was acknowledged for.</summary>
    private void Commit<TKey, TValue, THandler>(IConsumer<TKey, TValue> consumer, ref THandler handler, ProcessedOffsets offsets)
        where THandler : struct, IRecordHandler<TKey, TValue>
    {
        while (_deliveries.InFlight > 0) handler.Flush(PollTimeout);
        if (_deliveries.FirstError is { } error) throw error;
        var uncommitted = offsets.Uncommitted();
        if (uncommitted.Count == 0) return;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                consumer.Commit(uncommitted);
                offsets.MarkCommitted(uncommitted);
                return;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress && attempt < 4)
            {
                Thread.Sleep(100 * attempt); // the group forms right after the first join on the mock
            }
        }
    }
}

/// <summary>The per-record work of one hand-written loop.</summary>
internal interface IRecordHandler<TKey, TValue>
{
    void Handle(ConsumeResult<TKey, TValue> result);

    /// <summary>Waits up to <paramref name="timeout"/> for the producer's queue to drain.</summary>
    void Flush(TimeSpan timeout);
}

internal struct MapHandler(IProducer<byte[], string> producer, Deliveries deliveries, bool keepOnlyEvenIds) : IRecordHandler<byte[], string>
{
    private readonly Deliveries _deliveries = deliveries;
    private readonly Action<DeliveryReport<byte[], string>> _onDelivery = deliveries.Handler<byte[], string>();

    public void Handle(ConsumeResult<byte[], string> result)
    {
        var message = result.Message;
        if (keepOnlyEvenIds && !Workload.Keep(message.Value)) return;
        // The key is passed through as the bytes it arrived as.
        _deliveries.Produce(producer, Topics.Output,
            new Message<byte[], string> { Key = message.Key, Value = Workload.Map(message.Value), Timestamp = message.Timestamp }, _onDelivery);
    }

    public void Flush(TimeSpan timeout) => producer.Flush(timeout);
}

internal struct CountHandler(IProducer<string, long> producer, Deliveries deliveries) : IRecordHandler<string, Ignore>
{
    private readonly Deliveries _deliveries = deliveries;
    private readonly Dictionary<string, long> _counts = new();
    private readonly Action<DeliveryReport<string, long>> _onDelivery = deliveries.Handler<string, long>();

    public void Handle(ConsumeResult<string, Ignore> result)
    {
        var message = result.Message;
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, message.Key, out _);
        count++;
        _deliveries.Produce(producer, Topics.Output, new Message<string, long> { Key = message.Key, Value = count, Timestamp = message.Timestamp }, _onDelivery);
    }

    public void Flush(TimeSpan timeout) => producer.Flush(timeout);
}

internal struct CountRekeyedHandler(
    IProducer<string, string> toRepartition, IProducer<string, long> toOutput, string repartitionTopic, Deliveries deliveries)
    : IRecordHandler<string, string>
{
    private readonly Deliveries _deliveries = deliveries;
    private readonly Dictionary<string, long> _counts = new();
    private readonly Action<DeliveryReport<string, string>> _onRepartitioned = deliveries.Handler<string, string>();
    private readonly Action<DeliveryReport<string, long>> _onCounted = deliveries.Handler<string, long>();

    public void Handle(ConsumeResult<string, string> result)
    {
        var message = result.Message;
        if (result.Topic == repartitionTopic)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, message.Key, out _);
            count++;
            _deliveries.Produce(toOutput, Topics.Output, new Message<string, long> { Key = message.Key, Value = count, Timestamp = message.Timestamp }, _onCounted);
        }
        else
        {
            _deliveries.Produce(toRepartition, repartitionTopic,
                new Message<string, string> { Key = Workload.GroupOf(message.Value), Value = message.Value, Timestamp = message.Timestamp }, _onRepartitioned);
        }
    }

    public void Flush(TimeSpan timeout) => toRepartition.Flush(timeout);
}

internal struct JoinHandler(IProducer<string, string> producer, Deliveries deliveries, Dictionary<string, string> customers) : IRecordHandler<string, string>
{
    private readonly Deliveries _deliveries = deliveries;
    private readonly Action<DeliveryReport<string, string>> _onDelivery = deliveries.Handler<string, string>();

    public void Handle(ConsumeResult<string, string> result)
    {
        var message = result.Message;
        if (!customers.TryGetValue(message.Key, out var customer)) return; // inner join: no customer, no output
        _deliveries.Produce(producer, Topics.Output,
            new Message<string, string> { Key = message.Key, Value = Workload.Join(message.Value, customer), Timestamp = message.Timestamp }, _onDelivery);
    }

    public void Flush(TimeSpan timeout) => producer.Flush(timeout);
}

internal struct ConsumeOnlyHandler : IRecordHandler<byte[], byte[]>
{
    public void Handle(ConsumeResult<byte[], byte[]> result) { }

    public void Flush(TimeSpan timeout) { }
}

internal struct CopyThroughHandler(IProducer<byte[], byte[]> producer, Deliveries deliveries) : IRecordHandler<byte[], byte[]>
{
    private readonly Deliveries _deliveries = deliveries;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery = deliveries.Handler<byte[], byte[]>();

    public void Handle(ConsumeResult<byte[], byte[]> result)
    {
        var message = result.Message;
        _deliveries.Produce(producer, Topics.Output,
            new Message<byte[], byte[]> { Key = message.Key, Value = message.Value, Timestamp = message.Timestamp }, _onDelivery);
    }

    public void Flush(TimeSpan timeout) => producer.Flush(timeout);
}

/// <summary>Records produced and not yet acknowledged, and the first delivery error. Thread-safe.</summary>
internal sealed class Deliveries
{
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(100);
    private long _inFlight;
    private Exception? _firstError;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public Exception? FirstError => Volatile.Read(ref _firstError);

    /// <summary>One delegate per producer type, created once, not per record.</summary>
    public Action<DeliveryReport<TKey, TValue>> Handler<TKey, TValue>() => report =>
    {
        if (report.Error.IsError)
            Interlocked.CompareExchange(ref _firstError, new InvalidOperationException($"Producing to {report.Topic} failed: {report.Error.Reason}."), null);
        Interlocked.Decrement(ref _inFlight);
    };

    /// <summary>Produces, waiting (never dropping) while the producer's queue is full.</summary>
    public void Produce<TKey, TValue>(IProducer<TKey, TValue> producer, string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>> onDelivery)
    {
        Interlocked.Increment(ref _inFlight);
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivery);
                return;
            }
            catch (ProduceException<TKey, TValue> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Flush(QueueFullWait);
            }
            catch
            {
                Interlocked.Decrement(ref _inFlight);
                throw;
            }
        }
    }
}

/// <summary>Next offset to commit per (topic, partition), and what was committed.</summary>
internal sealed class ProcessedOffsets(string[] topics, int partitions)
{
    private readonly long[][] _next = [.. topics.Select(_ => NewOffsets(partitions))];
    private readonly long[][] _committed = [.. topics.Select(_ => NewOffsets(partitions))];

    public void Processed(string topic, int partition, long offset) =>
        _next[topics.Length == 1 ? 0 : Array.IndexOf(topics, topic)][partition] = offset + 1;

    public List<TopicPartitionOffset> Uncommitted()
    {
        var offsets = new List<TopicPartitionOffset>();
        for (var t = 0; t < topics.Length; t++)
            for (var p = 0; p < partitions; p++)
                if (_next[t][p] > _committed[t][p])
                    offsets.Add(new TopicPartitionOffset(topics[t], p, _next[t][p]));
        return offsets;
    }

    public void MarkCommitted(List<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
            _committed[Array.IndexOf(topics, offset.Topic)][offset.Partition.Value] = offset.Offset.Value;
    }

    private static long[] NewOffsets(int partitions)
    {
        var offsets = new long[partitions];
        Array.Fill(offsets, -1);
        return offsets;
    }
}
