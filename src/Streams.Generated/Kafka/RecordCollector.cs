using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Generated.Serialization;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>The part of a Kafka producer the runtime uses; a seam for unit tests.</summary>
internal interface IRecordProducer
{
    /// <summary>
    /// Enqueues a record; <paramref name="onDelivery"/> runs (on another thread) once the broker acknowledged it or it
    /// failed for good. Returns <see langword="false"/>, without enqueuing, when the local queue is full.
    /// </summary>
    bool TryProduce(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers, Action<DeliveryReport<byte[]?, byte[]?>> onDelivery);

    /// <summary>Waits up to <paramref name="timeout"/> for enqueued records to be delivered; returns how many are still queued.</summary>
    int Flush(TimeSpan timeout);
}

/// <summary>
/// Counts records sent but not yet acknowledged, and applies the production error policy to failed deliveries: keeps
/// the first error (fail), logs and forgets the record (log and continue), or sends it to the dead-letter topic.
/// Thread-safe: delivery reports arrive on the producer's thread.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly ErrorPolicy _policy;
    private readonly string? _deadLetterTopic;
    private readonly ILogger _logger;
    private long _inFlight;
    private long _skipped;
    private long _deadLettered;
    private StreamsException? _firstError;

    public DeliveryTracker(ErrorPolicy policy = ErrorPolicy.Fail, string? deadLetterTopic = null, ILogger? logger = null)
    {
        _policy = policy;
        _deadLetterTopic = deadLetterTopic;
        _logger = logger ?? NullLogger.Instance;
        OnDelivery = HandleDelivery;
    }

    /// <summary>The delivery handler passed with every record; one cached delegate, not one per record.</summary>
    public Action<DeliveryReport<byte[]?, byte[]?>> OnDelivery { get; }

    /// <summary>The production error policy: for failed deliveries here, and for records the producer refuses at once (<see cref="RecordCollector"/>).</summary>
    public ErrorPolicy Policy => _policy;

    /// <summary>The dead-letter topic, or <see langword="null"/>.</summary>
    public string? DeadLetterTopic => _deadLetterTopic;

    /// <summary>Where production failures are logged.</summary>
    public ILogger Logger => _logger;

    /// <summary>Where dead letters of failed deliveries go; set once the producer exists.</summary>
    public IRecordProducer? DeadLetterProducer { get; set; }

    /// <summary>Whether failed deliveries need their key, value and headers in the report (to dead-letter them).</summary>
    public bool NeedsRecordInReport => _policy == ErrorPolicy.DeadLetter;

    /// <summary>Records sent whose delivery report has not arrived.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Failed deliveries logged and skipped under <see cref="ErrorPolicy.LogAndContinue"/>.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Failed deliveries sent to the dead-letter topic.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>The first failure the policy does not absorb, or <see langword="null"/>. Once set, nothing more may be committed.</summary>
    public StreamsException? FirstError => Volatile.Read(ref _firstError);

    public void OnSending() => Interlocked.Increment(ref _inFlight);

    public void OnNotSent() => Interlocked.Decrement(ref _inFlight);

    public void OnSkipped() => Interlocked.Increment(ref _skipped);

    public void OnDeadLettered() => Interlocked.Increment(ref _deadLettered);

    /// <summary>Records a failure that nothing can absorb (e.g. a dead letter that could not be written).</summary>
    public void SetError(StreamsException error) => Interlocked.CompareExchange(ref _firstError, error, null);

    // Runs on the producer's poll thread: must not throw.
    private void HandleDelivery(DeliveryReport<byte[]?, byte[]?> report)
    {
        try
        {
            if (report.Error.IsError) HandleFailure(report);
        }
        catch (Exception e)
        {
            SetError(new StreamsException($"Handling a failed delivery to topic '{report.Topic}' failed: {e.Message}", e));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void HandleFailure(DeliveryReport<byte[]?, byte[]?> report)
    {
        var partition = report.Partition.Value >= 0 ? $" (partition {report.Partition.Value})" : "";
        var reason = $"Producing a record to topic '{report.Topic}'{partition} failed: {report.Error.Reason} ({report.Error.Code}).";
        // A fatal error (e.g. the idempotent producer lost its sequence) fails every later record too: no policy absorbs it.
        if (_policy == ErrorPolicy.Fail || report.Error.IsFatal || report.Topic == _deadLetterTopic || DeadLetterProducer is null && _policy == ErrorPolicy.DeadLetter)
        {
            var what = report.Topic == _deadLetterTopic ? "A dead letter could not be written" : "Policy: Fail (StreamsOptions.ProductionErrorPolicy)";
            SetError(new StreamsException($"{reason} {what}; offsets of the records that produced it are not committed."));
            return;
        }
        if (_policy == ErrorPolicy.LogAndContinue)
        {
            Interlocked.Increment(ref _skipped);
            Log.ProductionSkipped(_logger, report.Topic, report.Partition.Value, reason);
            return;
        }

        var message = report.Message;
        var headers = DeadLetterHeaders.Build(message?.Headers, "production", new ProduceException<byte[]?, byte[]?>(report.Error, report),
            report.Topic, report.Partition.Value >= 0 ? report.Partition.Value : null, null, null, null);
        Interlocked.Increment(ref _inFlight);
        // On the producer's thread: waiting for queue space here would wait for this very thread. A full queue fails.
        if (!DeadLetterProducer!.TryProduce(_deadLetterTopic!, message?.Key, message?.Value, message?.Timestamp.UnixTimestampMs ?? 0, headers, OnDelivery))
        {
            Interlocked.Decrement(ref _inFlight);
            SetError(new StreamsException($"{reason} Its dead letter could not be queued (producer queue full); offsets are not committed."));
            return;
        }
        Interlocked.Increment(ref _deadLettered);
        Log.ProductionDeadLettered(_logger, report.Topic, report.Partition.Value, _deadLetterTopic!, reason);
    }
}

/// <summary>
/// Sends what tasks write to the producer. Confluent.Kafka's produce API takes arrays, so the spans are copied once;
/// a null key or value stays null (a tombstone). Partitioning is left to the producer (murmur2 of the key bytes, as
/// Kafka's Java clients), so repartition topics agree with Kafka Streams.
/// </summary>
/// <remarks>
/// The production error policy, dead-letter topic and logger are the <see cref="DeliveryTracker"/>'s: one policy for
/// records refused at once and for failed deliveries.
/// </remarks>
internal sealed class RecordCollector(
    IRecordProducer producer,
    DeliveryTracker tracker,
    IReadOnlyDictionary<string, int>? wireFormat = null) : IRecordCollector
{
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(100);
    private readonly IReadOnlyDictionary<string, int>? _wireFormat = wireFormat is { Count: > 0 } ? wireFormat : null;

    public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp)
    {
        var keyBytes = keyIsNull ? null : key.ToArray();
        var valueBytes = valueIsNull ? null
            : _wireFormat is not null && _wireFormat.TryGetValue(topic, out var schemaId) ? ConfluentWireFormat.Frame(value, schemaId)
            : value.ToArray();
        try
        {
            Produce(topic, keyBytes, valueBytes, timestamp, null);
        }
        catch (StreamsException e) when (tracker.Policy != ErrorPolicy.Fail && e.InnerException is KafkaException { Error.IsFatal: false })
        {
            // The producer refused the record itself (e.g. too large): nothing was sent.
            if (tracker.Policy == ErrorPolicy.LogAndContinue)
            {
                tracker.OnSkipped();
                Log.ProductionSkipped(tracker.Logger, topic, -1, e.Message);
                return;
            }
            SendDeadLetter(keyBytes, valueBytes, timestamp, DeadLetterHeaders.Build(null, "production", e.InnerException!, topic, null, null, null, null));
            tracker.OnDeadLettered();
            Log.ProductionDeadLettered(tracker.Logger, topic, -1, tracker.DeadLetterTopic!, e.Message);
        }
    }

    /// <summary>Sends a record to the dead-letter topic, tracked like any output (the input offset waits for its ack).</summary>
    public void SendDeadLetter(byte[]? key, byte[]? value, long timestamp, Headers headers)
    {
        if (tracker.DeadLetterTopic is not { } deadLetterTopic) throw new InvalidOperationException("No dead-letter topic is configured.");
        Produce(deadLetterTopic, key, value, timestamp, headers);
    }

    private void Produce(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        tracker.OnSending();
        try
        {
            // A full queue drains as the broker acknowledges (or, at worst, as messages time out): wait, never drop.
            while (!producer.TryProduce(topic, key, value, timestamp, headers, tracker.OnDelivery))
                producer.Flush(QueueFullWait);
        }
        catch
        {
            tracker.OnNotSent();
            throw;
        }
    }
}

/// <summary>The real producer behind <see cref="IRecordProducer"/>.</summary>
internal sealed class KafkaRecordProducer(IProducer<byte[]?, byte[]?> producer) : IRecordProducer
{
    // Produce(string topic, ...) allocates a TopicPartition per record: keep one per topic. Sinks pass the same string
    // instance every time, so the last one is found by reference. (Dead letters are produced from the delivery thread
    // too, hence the concurrent map and the immutable last pair.)
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TopicPartition> _partitions = new(StringComparer.Ordinal);
    private volatile TopicPartition? _last;

    public bool TryProduce(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers, Action<DeliveryReport<byte[]?, byte[]?>> onDelivery)
    {
        try
        {
            producer.Produce(AnyPartitionOf(topic), new Message<byte[]?, byte[]?>
            {
                Key = key,
                Value = value,
                Timestamp = new Timestamp(timestamp, TimestampType.CreateTime),
                Headers = headers,
            }, onDelivery);
            return true;
        }
        catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false;
        }
        catch (ProduceException<byte[]?, byte[]?> e)
        {
            throw new StreamsException($"Cannot produce a record to topic '{topic}': {e.Error.Reason} ({e.Error.Code}).", e);
        }
    }

    public int Flush(TimeSpan timeout) => producer.Flush(timeout);

    private TopicPartition AnyPartitionOf(string topic)
    {
        var last = _last;
        if (last is not null && ReferenceEquals(last.Topic, topic)) return last;
        return _last = _partitions.GetOrAdd(topic, static t => new TopicPartition(t, Partition.Any));
    }
}
