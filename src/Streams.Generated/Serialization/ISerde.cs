using System.Buffers;

namespace Streams.Generated.Serialization;

/// <summary>
/// Serializes and deserializes one type. Implementations are sealed classes: generated code calls them through a
/// field of the sealed type, so the call is direct, not virtual. A <see langword="null"/> key or value never reaches a
/// serde: null is carried beside the bytes (as Kafka does) and handled by the caller.
/// </summary>
public interface ISerde<T>
{
    /// <summary>Writes <paramref name="value"/> into <paramref name="writer"/>. Allocates nothing.</summary>
    void Serialize(T value, IBufferWriter<byte> writer);

    /// <summary>Reads a value from all of <paramref name="data"/>.</summary>
    /// <exception cref="SerdeException">The bytes are not a valid encoding of <typeparamref name="T"/>.</exception>
    T Deserialize(ReadOnlySpan<byte> data);
}

/// <summary>
/// Bytes that cannot be read as the expected type. Names the type, the field being read (for records), the byte offset
/// and the length; the runtime adds the topic, partition and offset of the record.
/// </summary>
public sealed class SerdeException(string typeName, int byteOffset, int length, string reason, string? field = null)
    : Exception($"Cannot deserialize {typeName}{(field is null ? "" : ", field " + field)}: {reason} (byte offset {byteOffset}, input length {length}).")
{
    /// <summary>The type that was expected.</summary>
    public string TypeName { get; } = typeName;

    /// <summary>The field being read when it failed (<c>Record.field</c>), or <see langword="null"/> for a primitive.</summary>
    public string? Field { get; } = field;

    /// <summary>Offset in the input where reading failed.</summary>
    public int ByteOffset { get; } = byteOffset;

    /// <summary>Length of the input.</summary>
    public int Length { get; } = length;
}
