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
/// their source. The bytes are borrowed from the runtime's record buffer for the duration of the dispatch call: code
/// that keeps them copies them.
/// </summary>
public readonly struct ConsumedRecord
{
    /// <summary>Creates a record over borrowed key and value bytes.</summary>
    public ConsumedRecord(string topic, int partition, long offset, long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value)
    {
        Context = new RecordContext(topic, partition, offset, timestamp);
        Key = key;
        Value = value;
    }

    /// <summary>Creates a record over arrays (<see langword="null"/> for a null key or value).</summary>
    public ConsumedRecord(string topic, int partition, long offset, long timestamp, byte[]? key, byte[]? value)
        : this(topic, partition, offset, timestamp, Borrow(key), Borrow(value))
    {
    }

    /// <summary>Topic, partition, offset and timestamp of the record.</summary>
    public RecordContext Context { get; }

    /// <summary>Serialized key, or <see langword="null"/>.</summary>
    public ReadOnlyMemory<byte>? Key { get; }

    /// <summary>Serialized value, or <see langword="null"/> (a tombstone).</summary>
    public ReadOnlyMemory<byte>? Value { get; }

    /// <summary>
    /// How to read <see cref="Value"/> when it was written with another version of its type's Avro schema
    /// (<c>StreamsOptions.AvroWriterSchemas</c>); null when it was written with the type's own schema.
    /// </summary>
    public Serialization.Avro.AvroResolution? ValueResolution { get; init; }

    // Not "bytes is null ? null : bytes": C# converts a null byte[] to an empty ReadOnlyMemory<byte>, not to null.
    private static ReadOnlyMemory<byte>? Borrow(byte[]? bytes)
    {
        if (bytes is null) return null;
        return new ReadOnlyMemory<byte>(bytes);
    }
}
