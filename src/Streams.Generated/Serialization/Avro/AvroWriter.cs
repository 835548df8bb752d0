using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Streams.Generated.Serialization.Avro;

/// <summary>
/// Writes Avro binary encoding into an <see cref="IBufferWriter{T}"/>, a span at a time: the generated
/// <c>WriteAvro</c> methods call it field by field. Allocates nothing. Call <see cref="Flush"/> when done.
/// </summary>
public ref struct AvroWriter
{
    private const int MinimumBuffer = 256;
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _used;

    /// <summary>Starts writing at the end of <paramref name="output"/>.</summary>
    public AvroWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan(MinimumBuffer);
        _used = 0;
    }

    /// <summary>Commits what was written to the underlying buffer writer.</summary>
    public void Flush()
    {
        _output.Advance(_used);
        _used = 0;
        _span = default;
    }

    /// <summary>Avro <c>boolean</c>: one byte, 0 or 1.</summary>
    public void WriteBoolean(bool value)
    {
        Ensure(1);
        _span[_used++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>Avro <c>int</c>: zig-zag variable-length.</summary>
    public void WriteInt(int value) => WriteLong(value);

    /// <summary>Avro <c>long</c>: zig-zag variable-length, 1 to 10 bytes.</summary>
    public void WriteLong(long value)
    {
        Ensure(10);
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        var span = _span;
        var used = _used;
        while (zigzag >= 0x80)
        {
            span[used++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }

        span[used++] = (byte)zigzag;
        _used = used;
    }

    /// <summary>Avro <c>float</c>: 4 bytes, little-endian IEEE 754.</summary>
    public void WriteFloat(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_span[_used..], value);
        _used += 4;
    }

    /// <summary>Avro <c>double</c>: 8 bytes, little-endian IEEE 754.</summary>
    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_span[_used..], value);
        _used += 8;
    }

    /// <summary>Avro <c>string</c>: the UTF-8 byte count, then the bytes.</summary>
    public void WriteString(string value)
    {
        // Short strings (at most 21 chars, so at most 63 UTF-8 bytes) have a one-byte length: encode in one pass and
        // write the length in front afterwards. Longer ones count their bytes first.
        if (value.Length <= 21)
        {
            Ensure(1 + value.Length * 3);
            var written = Encoding.UTF8.GetBytes(value, _span[(_used + 1)..]);
            _span[_used] = (byte)(written << 1);
            _used += 1 + written;
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        WriteLong(count);
        Ensure(count);
        _used += Encoding.UTF8.GetBytes(value, _span[_used..]);
    }

    /// <summary>Avro <c>bytes</c>: the length, then the bytes.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        Ensure(value.Length);
        value.CopyTo(_span[_used..]);
        _used += value.Length;
    }

    /// <summary>Avro <c>fixed</c>: the bytes, no length.</summary>
    public void WriteFixed(scoped ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_span[_used..]);
        _used += value.Length;
    }

    /// <summary>The branch of a union (e.g. 0 for null in <c>["null", T]</c>).</summary>
    public void WriteUnionIndex(int index) => WriteLong(index);

    /// <summary>An enum symbol's position.</summary>
    public void WriteEnum(int index) => WriteLong(index);

    /// <summary>
    /// Starts an array or map block of <paramref name="count"/> items (skip it for an empty collection); end the
    /// collection with <see cref="WriteCollectionEnd"/>.
    /// </summary>
    public void WriteBlockCount(long count) => WriteLong(count);

    /// <summary>Ends an array or map: a block of zero items.</summary>
    public void WriteCollectionEnd() => WriteLong(0);

    /// <summary>
    /// Avro <c>decimal</c> on <c>bytes</c>: the unscaled value <c>value * 10^scale</c> as a big-endian two's-complement
    /// integer in as few bytes as possible.
    /// </summary>
    /// <exception cref="OverflowException">
    /// <paramref name="value"/> has more decimal places than <paramref name="scale"/>, or more digits than
    /// <paramref name="precision"/>: it cannot be written exactly with the schema's decimal type.
    /// </exception>
    public void WriteDecimal(decimal value, int precision, int scale)
    {
        var unscaled = AvroDecimalScaling.ToUnscaled(value, scale);
        if (Int128.Abs(unscaled) >= AvroDecimalScaling.PowerOfTen(precision))
        {
            throw new OverflowException($"The decimal {value} has more than {precision} digits, its Avro precision (scale {scale}).");
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt128BigEndian(bytes, unscaled);
        // Drop leading bytes that only repeat the sign.
        var start = 0;
        while (start < 15 && ((bytes[start] == 0 && bytes[start + 1] < 0x80) || (bytes[start] == 0xFF && bytes[start + 1] >= 0x80)))
        {
            start++;
        }

        WriteBytes(bytes[start..]);
    }

    /// <summary>Avro <c>uuid</c> on <c>string</c>: the 36-character hyphenated form.</summary>
    public void WriteUuid(Guid value)
    {
        Ensure(37);
        _span[_used] = 36 << 1;
        value.TryFormat(_span.Slice(_used + 1, 36), out _, "D");
        _used += 37;
    }

    /// <summary>Avro <c>date</c> on <c>int</c>: days since 1970-01-01.</summary>
    public void WriteDate(DateOnly value) => WriteLong(value.DayNumber - AvroTime.UnixEpochDayNumber);

    /// <summary>Avro <c>timestamp-millis</c> on <c>long</c>: milliseconds since the Unix epoch, UTC.</summary>
    public void WriteTimestampMillis(DateTimeOffset value) => WriteLong(value.ToUnixTimeMilliseconds());

    /// <summary>Avro <c>timestamp-micros</c> on <c>long</c>: microseconds since the Unix epoch, UTC.</summary>
    public void WriteTimestampMicros(DateTimeOffset value) =>
        WriteLong((value.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond);

    /// <summary>Throws for a null in a member whose Avro type does not allow it.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowNull(string typeName, string field) =>
        throw new InvalidOperationException(
            $"Cannot serialize {typeName}: field {field} is null, but its Avro type is not nullable; declare the member nullable or set it.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_span.Length - _used < count)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        _output.Advance(_used);
        _used = 0;
        _span = _output.GetSpan(Math.Max(count, MinimumBuffer));
    }
}

/// <summary>Time conversions shared by the Avro reader and writer.</summary>
internal static class AvroTime
{
    public static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;
}

/// <summary>Scaling between <see cref="decimal"/> and Avro's unscaled two's-complement integers.</summary>
internal static class AvroDecimalScaling
{
    /// <summary>The largest scale a <see cref="decimal"/> can hold.</summary>
    public const int MaxScale = 28;

    public static Int128 ToUnscaled(decimal value, int scale)
    {
        var scaled = decimal.Round(value, scale);
        if (scaled != value)
        {
            throw new OverflowException($"The decimal {value} has more than {scale} decimal places, its Avro scale.");
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(scaled, bits);
        var magnitude = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var currentScale = (bits[3] >> 16) & 0xFF;
        for (var i = currentScale; i < scale; i++)
        {
            magnitude *= 10;
        }

        return bits[3] < 0 ? -magnitude : magnitude;
    }

    /// <summary>10^<paramref name="exponent"/> (exponent 0 to 38).</summary>
    public static Int128 PowerOfTen(int exponent)
    {
        Int128 result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    public static bool TryFromUnscaled(Int128 unscaled, int scale, out decimal value)
    {
        var negative = unscaled < 0;
        var magnitude = negative ? -unscaled : unscaled;
        // decimal holds a 96-bit magnitude and a scale up to 28; anything else would lose digits.
        if (magnitude >> 96 != 0 || scale > MaxScale || scale < 0)
        {
            value = default;
            return false;
        }

        value = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)scale);
        return true;
    }
}
