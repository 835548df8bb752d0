namespace Streams.Generated;

/// <summary>Where the record being processed came from. Passed by <c>in</c> reference; no allocation.</summary>
public readonly struct RecordContext(string topic, int partition, long offset, long timestamp)
{
    /// <summary>Topic of the source record.</summary>
    public string Topic { get; } = topic;

    /// <summary>Partition of the source record.</summary>
    public int Partition { get; } = partition;

    /// <summary>Offset of the source record.</summary>
    public long Offset { get; } = offset;

    /// <summary>Timestamp of the record in Unix milliseconds; outputs inherit it.</summary>
    public long Timestamp { get; } = timestamp;

    /// <inheritdoc/>
    public override string ToString() => $"{Topic}[{Partition}]@{Offset}";
}

/// <summary>
/// A record as read from a topic: raw key and value bytes (<see langword="null"/> for a null key or a tombstone) and
/// their source. The arrays are borrowed for the duration of the dispatch call.
/// </summary>
public readonly struct ConsumedRecord(string topic, int partition, long offset, long timestamp, byte[]? key, byte[]? value)
{
    /// <summary>Topic, partition, offset and timestamp of the record.</summary>
    public RecordContext Context { get; } = new(topic, partition, offset, timestamp);

    /// <summary>Serialized key, or <see langword="null"/>.</summary>
    public byte[]? Key { get; } = key;

    /// <summary>Serialized value, or <see langword="null"/> (a tombstone).</summary>
    public byte[]? Value { get; } = value;
}
