using Confluent.Kafka;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>The part of a Kafka producer the runtime uses; a seam for unit tests.</summary>
internal interface IRecordProducer
{
    /// <summary>
    /// Enqueues a record; <paramref name="onDelivery"/> runs (on another thread) once the broker acknowledged it or it
    /// failed for good. Returns <see langword="false"/>, without enqueuing, when the local queue is full.
    /// </summary>
    bool TryProduce(string topic, byte[]? key, byte[]? value, long timestamp, Action<DeliveryReport<byte[]?, byte[]?>> onDelivery);

    /// <summary>Waits up to <paramref name="timeout"/> for enqueued records to be delivered; returns how many are still queued.</summary>
    int Flush(TimeSpan timeout);
}

/// <summary>Counts records sent but not yet acknowledged, and keeps the first delivery error. Thread-safe.</summary>
internal sealed class DeliveryTracker
{
    private long _inFlight;
    private StreamsException? _firstError;

    public DeliveryTracker() => OnDelivery = HandleDelivery;

    /// <summary>The delivery handler passed with every record; one cached delegate, not one per record.</summary>
    public Action<DeliveryReport<byte[]?, byte[]?>> OnDelivery { get; }

    /// <summary>Records sent whose delivery report has not arrived.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>The first failed delivery, or <see langword="null"/>. Once set, nothing more may be committed.</summary>
    public StreamsException? FirstError => Volatile.Read(ref _firstError);

    public void OnSending() => Interlocked.Increment(ref _inFlight);

    public void OnNotSent() => Interlocked.Decrement(ref _inFlight);

    // Runs on the producer's poll thread: must not throw.
    private void HandleDelivery(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
        {
            var partition = report.Partition.Value >= 0 ? $" (partition {report.Partition.Value})" : "";
            var error = new StreamsException(
                $"Producing a record to topic '{report.Topic}'{partition} failed: {report.Error.Reason} ({report.Error.Code}). " +
                "Offsets of the records that produced it are not committed.");
            Interlocked.CompareExchange(ref _firstError, error, null);
        }
        Interlocked.Decrement(ref _inFlight);
    }
}

/// <summary>
/// Sends what tasks write to the producer. Confluent.Kafka's produce API takes arrays, so the spans are copied once;
/// a null key or value stays null (a tombstone). Partitioning is left to the producer (murmur2 of the key bytes, as
/// Kafka's Java clients), so repartition topics agree with Kafka Streams.
/// </summary>
internal sealed class RecordCollector(IRecordProducer producer, DeliveryTracker tracker) : IRecordCollector
{
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(100);

    public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp)
    {
        var keyBytes = keyIsNull ? null : key.ToArray();
        var valueBytes = valueIsNull ? null : value.ToArray();
        tracker.OnSending();
        try
        {
            // A full queue drains as the broker acknowledges (or, at worst, as messages time out): wait, never drop.
            while (!producer.TryProduce(topic, keyBytes, valueBytes, timestamp, tracker.OnDelivery))
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
    public bool TryProduce(string topic, byte[]? key, byte[]? value, long timestamp, Action<DeliveryReport<byte[]?, byte[]?>> onDelivery)
    {
        try
        {
            producer.Produce(topic, new Message<byte[]?, byte[]?>
            {
                Key = key,
                Value = value,
                Timestamp = new Timestamp(timestamp, TimestampType.CreateTime),
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
}
