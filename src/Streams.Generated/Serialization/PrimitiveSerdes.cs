using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Streams.Generated.Serialization;

/// <summary>The serdes of Kafka's primitive formats, byte-for-byte what Kafka's Java serializers write.</summary>
public static class Serdes
{
    /// <summary>UTF-8 text, as Kafka's <c>StringSerializer</c>.</summary>
    public static readonly StringSerde String = new();

    /// <summary>4-byte big-endian, as Kafka's <c>IntegerSerializer</c>.</summary>
    public static readonly Int32Serde Int32 = new();

    /// <summary>8-byte big-endian, as Kafka's <c>LongSerializer</c>.</summary>
    public static readonly Int64Serde Int64 = new();

    /// <summary>8-byte big-endian IEEE 754, as Kafka's <c>DoubleSerializer</c>.</summary>
    public static readonly DoubleSerde Double = new();

    /// <summary>The bytes themselves, as Kafka's <c>ByteArraySerializer</c>.</summary>
    public static readonly ByteArraySerde ByteArray = new();

    /// <summary>One byte, 1 or 0, as Kafka's <c>BooleanSerializer</c>.</summary>
    public static readonly BooleanSerde Boolean = new();

    /// <summary>2-byte big-endian, as Kafka's <c>ShortSerializer</c>.</summary>
    public static readonly Int16Serde Int16 = new();

    /// <summary>4-byte big-endian IEEE 754, as Kafka's <c>FloatSerializer</c>.</summary>
    public static readonly SingleSerde Single = new();

    /// <summary>The 36-character text form in UTF-8, as Kafka's <c>UUIDSerializer</c>.</summary>
    public static readonly GuidSerde Guid = new();

    /// <summary>The bytes themselves, as Kafka's <c>ByteBufferSerializer</c> writes a buffer's remaining bytes.</summary>
    public static readonly ByteMemorySerde ByteMemory = new();

    /// <summary>Serializes <paramref name="value"/> into a new array (for tests and tools, not the hot path).</summary>
    public static byte[] ToBytes<T>(this ISerde<T> serde, T value)
    {
        var writer = new ArrayBufferWriter<byte>();
        serde.Serialize(value, writer);
        return writer.WrittenSpan.ToArray();
    }
}

/// <summary>UTF-8 text, as Kafka's <c>StringSerializer</c>.</summary>
public sealed class StringSerde : ISerde<string>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc/>
    public void Serialize(string value, IBufferWriter<byte> writer)
    {
        var span = writer.GetSpan(StrictUtf8.GetMaxByteCount(value.Length));
        writer.Advance(StrictUtf8.GetBytes(value, span));
    }

    /// <inheritdoc/>
    public string Deserialize(ReadOnlySpan<byte> data)
    {
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException e)
        {
            throw new SerdeException("string", e.Index < 0 ? 0 : e.Index, data.Length, "invalid UTF-8");
        }
    }
}

/// <summary>4-byte big-endian, as Kafka's <c>IntegerSerializer</c>.</summary>
public sealed class Int32Serde : ISerde<int>
{
    /// <inheritdoc/>
    public void Serialize(int value, IBufferWriter<byte> writer)
    {
        BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    /// <inheritdoc/>
    public int Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length != 4) SerdeThrow.WrongSize("int", 4, data.Length);
        return BinaryPrimitives.ReadInt32BigEndian(data);
    }
}

/// <summary>8-byte big-endian, as Kafka's <c>LongSerializer</c>.</summary>
public sealed class Int64Serde : ISerde<long>
{
    /// <inheritdoc/>
    public void Serialize(long value, IBufferWriter<byte> writer)
    {
        BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    /// <inheritdoc/>
    public long Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length != 8) SerdeThrow.WrongSize("long", 8, data.Length);
        return BinaryPrimitives.ReadInt64BigEndian(data);
    }
}

/// <summary>8-byte big-endian IEEE 754, as Kafka's <c>DoubleSerializer</c>.</summary>
public sealed class DoubleSerde : ISerde<double>
{
    /// <inheritdoc/>
    public void Serialize(double value, IBufferWriter<byte> writer)
    {
        BinaryPrimitives.WriteDoubleBigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    /// <inheritdoc/>
    public double Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length != 8) SerdeThrow.WrongSize("double", 8, data.Length);
        return BinaryPrimitives.ReadDoubleBigEndian(data);
    }
}

/// <summary>The bytes themselves, as Kafka's <c>ByteArraySerializer</c>.</summary>
public sealed class ByteArraySerde : ISerde<byte[]>
{
    /// <inheritdoc/>
    public void Serialize(byte[] value, IBufferWriter<byte> writer) => writer.Write(value);

    /// <inheritdoc/>
    public byte[] Deserialize(ReadOnlySpan<byte> data) => data.ToArray();
}

/// <summary>One byte, 1 or 0, as Kafka's <c>BooleanSerializer</c>.</summary>
public sealed class BooleanSerde : ISerde<bool>
{
    /// <inheritdoc/>
    public void Serialize(bool value, IBufferWriter<byte> writer)
    {
        writer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        writer.Advance(1);
    }

    /// <inheritdoc/>
    public bool Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length != 1) SerdeThrow.WrongSize("bool", 1, data.Length);
        return data[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new SerdeException("bool", 0, 1, $"expected 0 or 1, got {data[0]}"),
        };
    }
}

/// <summary>2-byte big-endian, as Kafka's <c>ShortSerializer</c>.</summary>
public sealed class Int16Serde : ISerde<short>
{
    /// <inheritdoc/>
    public void Serialize(short value, IBufferWriter<byte> writer)
    {
        BinaryPrimitives.WriteInt16BigEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    /// <inheritdoc/>
    public short Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length != 2) SerdeThrow.WrongSize("short", 2, data.Length);
        return BinaryPrimitives.ReadInt16BigEndian(data);
    }
}

/// <summary>4-byte big-endian IEEE 754, as Kafka's <c>FloatSerializer</c>.</summary>
public sealed class SingleSerde : ISerde<float>
{
    /// <inheritdoc/>
    public void Serialize(float value, IBufferWriter<byte> writer)
    {
        BinaryPrimitives.WriteSingleBigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    /// <inheritdoc/>
    public float Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length != 4) SerdeThrow.WrongSize("float", 4, data.Length);
        return BinaryPrimitives.ReadSingleBigEndian(data);
    }
}

/// <summary>
/// The 36-character, lower-case, hyphenated text form in UTF-8, as Kafka's <c>UUIDSerializer</c> writes
/// <c>UUID.toString()</c>. Reading accepts either case, as <c>UUID.fromString</c> does for this form.
/// </summary>
public sealed class GuidSerde : ISerde<Guid>
{
    /// <inheritdoc/>
    public void Serialize(Guid value, IBufferWriter<byte> writer)
    {
        value.TryFormat(writer.GetSpan(36), out var written, "D");
        writer.Advance(written);
    }

    /// <inheritdoc/>
    public Guid Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length != 36) SerdeThrow.WrongSize("Guid", 36, data.Length);
        if (!System.Buffers.Text.Utf8Parser.TryParse(data, out Guid value, out var consumed, 'D') || consumed != 36)
        {
            throw new SerdeException("Guid", 0, data.Length, "expected the 8-4-4-4-12 hexadecimal form");
        }

        return value;
    }
}

/// <summary>
/// The bytes themselves into a <see cref="ReadOnlyMemory{T}"/>. Deserializing copies: the input span only lives for
/// the call.
/// </summary>
public sealed class ByteMemorySerde : ISerde<ReadOnlyMemory<byte>>
{
    /// <inheritdoc/>
    public void Serialize(ReadOnlyMemory<byte> value, IBufferWriter<byte> writer) => writer.Write(value.Span);

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> Deserialize(ReadOnlySpan<byte> data) => data.ToArray();
}

/// <summary>Throw helpers kept out of line so the serde methods stay small enough to inline.</summary>
public static class SerdeThrow
{
    /// <summary>Throws a <see cref="SerdeException"/> for input of the wrong length.</summary>
    [DoesNotReturn]
    public static void WrongSize(string typeName, int expected, int actual) =>
        throw new SerdeException(typeName, Math.Min(expected, actual), actual, $"expected exactly {expected} bytes, got {actual}");

    /// <summary>Throws a <see cref="SerdeException"/> for a null key or value where the declared type does not allow null.</summary>
    [DoesNotReturn]
    public static void UnexpectedNull(string typeName, string what) =>
        throw new SerdeException(typeName, 0, 0, $"the record's {what} is null but the declared {what} type {typeName} is not nullable");
}
