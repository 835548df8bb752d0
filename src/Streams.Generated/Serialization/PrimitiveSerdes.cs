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
