using Confluent.Kafka;

namespace Streams.Generated.Kafka;

/// <summary>
/// Where a consumed key or value sits in <see cref="RecordStaging"/>; a length of -1 means null. Eight bytes, like the
/// array reference it replaces in the client's per-record <c>Message</c> object.
/// </summary>
internal readonly record struct StagedBytes(int Start, int Length)
{
    public bool IsNull => Length < 0;
}

/// <summary>
/// Receives the key and value of the record being consumed straight from librdkafka's memory, instead of a new array
/// per key and value: the consumer's deserializers copy into one reused buffer, and the stream thread copies from there
/// into the partition's <see cref="RecordBuffer"/>. One per consumer; used on the consuming thread only.
/// </summary>
internal sealed class RecordStaging
{
    private byte[] _buffer = new byte[4096];
    private int _length;

    public RecordStaging()
    {
        Keys = new KeyDeserializer(this);
        Values = new ValueDeserializer(this);
    }

    /// <summary>The consumer's key deserializer: starts a record.</summary>
    public IDeserializer<StagedBytes> Keys { get; }

    /// <summary>The consumer's value deserializer (librdkafka's client calls it after the key's).</summary>
    public IDeserializer<StagedBytes> Values { get; }

    public ReadOnlySpan<byte> Span(StagedBytes bytes) => bytes.IsNull ? default : _buffer.AsSpan(bytes.Start, bytes.Length);

    private StagedBytes Stage(ReadOnlySpan<byte> data, bool isNull)
    {
        if (isNull) return new StagedBytes(_length, -1);
        if (_length + data.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + data.Length));
        data.CopyTo(_buffer.AsSpan(_length));
        var staged = new StagedBytes(_length, data.Length);
        _length += data.Length;
        return staged;
    }

    private sealed class KeyDeserializer(RecordStaging staging) : IDeserializer<StagedBytes>
    {
        public StagedBytes Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
        {
            staging._length = 0;
            return staging.Stage(data, isNull);
        }
    }

    private sealed class ValueDeserializer(RecordStaging staging) : IDeserializer<StagedBytes>
    {
        public StagedBytes Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => staging.Stage(data, isNull);
    }
}
