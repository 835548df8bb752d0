using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Streams.Generated.Serialization.Avro;

/// <summary>
/// Reads Avro binary encoding from a span: the generated <c>ReadAvro</c> methods call it field by field. Every length
/// and count is checked against the bytes that remain before anything is allocated, so corrupt input fails with a
/// <see cref="SerdeException"/> naming the type, the field (<see cref="Field"/>) and the byte offset, never with an
/// <see cref="IndexOutOfRangeException"/> or a huge allocation.
/// </summary>
public ref struct AvroReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _typeName;
    private int _position;

    /// <summary>Reads <paramref name="data"/> as a value of the Avro type named <paramref name="typeName"/>.</summary>
    public AvroReader(ReadOnlySpan<byte> data, string typeName)
    {
        _data = data;
        _typeName = typeName;
        _position = 0;
        Field = null;
    }

    /// <summary>The field being read (<c>Record.field</c>), set by generated code; named in errors.</summary>
    public string? Field { get; set; }

    /// <summary>The offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Moves back to <paramref name="position"/>, so that an error names where the bad value starts.</summary>
    internal void Rewind(int position) => _position = position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Avro <c>boolean</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBoolean()
    {
        if (_position >= _data.Length) ThrowTruncated(1);
        var value = _data[_position];
        if (value > 1) Throw($"a boolean must be 0 or 1, got {value}");
        _position++;
        return value == 1;
    }

    /// <summary>Avro <c>int</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt()
    {
        var start = _position;
        var value = ReadLong();
        if (value is < int.MinValue or > int.MaxValue)
        {
            _position = start;
            Throw($"the int {value} is out of range");
        }

        return (int)value;
    }

    /// <summary>Avro <c>long</c>: zig-zag variable-length, at most 10 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadLong()
    {
        // Fast path: a one-byte value (-64..63: lengths, counts, union branches, small numbers).
        var position = _position;
        if ((uint)position < (uint)_data.Length && _data[position] < 0x80)
        {
            int b = _data[position];
            _position = position + 1;
            return (b >> 1) ^ -(b & 1);
        }

        return ReadLongSlow();
    }

    private long ReadLongSlow()
    {
        // With 10 bytes left (the longest encoding) the loop needs no bounds check per byte.
        var start = _position;
        if (_data.Length - start >= 10)
        {
            var window = _data.Slice(start, 10);
            ulong value = 0;
            for (var i = 0; i < window.Length; i++)
            {
                ulong b = window[i];
                value |= (b & 0x7F) << (7 * i);
                if (b < 0x80)
                {
                    _position = start + i + 1;
                    return (long)(value >> 1) ^ -(long)(value & 1);
                }
            }

            Throw("a variable-length integer is longer than 10 bytes");
        }

        return ReadLongNearEnd();
    }

    private long ReadLongNearEnd()
    {
        ulong result = 0;
        var shift = 0;
        var position = _position;
        var data = _data;
        while (true)
        {
            if (position >= data.Length) ThrowTruncated(1);
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }

            shift += 7;
            if (shift > 63) Throw("a variable-length integer is longer than 10 bytes");
        }

        _position = position;
        return (long)(result >> 1) ^ -(long)(result & 1);
    }

    /// <summary>Avro <c>float</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>Avro <c>double</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Avro <c>string</c> (strict UTF-8).</summary>
    public string ReadString()
    {
        var bytes = Take(ReadLength());
        // Validate first (vectorized), then decode on the fast path: no exception machinery for valid input.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            _position -= bytes.Length;
            Throw("the string is not valid UTF-8");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Avro <c>bytes</c>, copied into a new array.</summary>
    public byte[] ReadBytes() => Take(ReadLength()).ToArray();

    /// <summary>The bytes of an Avro <c>bytes</c> or <c>string</c> value, without copying or decoding.</summary>
    public ReadOnlySpan<byte> ReadLengthPrefixed() => Take(ReadLength());

    /// <summary>Avro <c>fixed</c> of <paramref name="size"/> bytes, without copying.</summary>
    public ReadOnlySpan<byte> ReadFixed(int size) => Take(size);

    /// <summary>The branch of a union of <paramref name="branches"/> types.</summary>
    public int ReadUnionIndex(int branches)
    {
        var start = _position;
        var index = ReadLong();
        if ((ulong)index >= (ulong)branches)
        {
            _position = start;
            Throw($"union branch {index} does not exist (the union has {branches})");
        }

        return (int)index;
    }

    /// <summary>An enum symbol's position, checked against the number of symbols.</summary>
    public int ReadEnum(int symbols)
    {
        var start = _position;
        var index = ReadLong();
        if ((ulong)index >= (ulong)symbols)
        {
            _position = start;
            Throw($"enum symbol {index} does not exist (the enum has {symbols})");
        }

        return (int)index;
    }

    /// <summary>
    /// The item count of the next array or map block; 0 ends the collection. A negative count (followed by the block's
    /// byte size) is returned as positive. Every item takes at least one byte, so a count larger than the bytes left
    /// is corrupt input.
    /// </summary>
    public int ReadBlockCount()
    {
        var start = _position;
        var count = ReadLong();
        if (count < 0)
        {
            if (count == long.MinValue) Throw("invalid block count");
            count = -count;
            var size = ReadLong();
            if (size < 0 || size > Remaining)
            {
                var left = Remaining;
                _position = start;
                Throw($"block size {size} exceeds the {left} bytes left");
            }
        }

        if (count > Remaining)
        {
            var left = Remaining;
            _position = start;
            Throw($"a block of {count} items cannot fit in the {left} bytes left");
        }

        return (int)count;
    }

    /// <summary>Avro <c>decimal</c> on <c>bytes</c> with <paramref name="scale"/>.</summary>
    public decimal ReadDecimal(int scale)
    {
        var start = _position;
        var bytes = Take(ReadLength());
        if (bytes.Length is 0 or > 16)
        {
            _position = start;
            Throw($"a decimal must be 1 to 16 bytes here, got {bytes.Length}");
        }

        Span<byte> padded = stackalloc byte[16];
        padded.Fill((bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0);
        bytes.CopyTo(padded[(16 - bytes.Length)..]);
        if (!AvroDecimalScaling.TryFromUnscaled(BinaryPrimitives.ReadInt128BigEndian(padded), scale, out var value))
        {
            _position = start;
            Throw($"the decimal does not fit in System.Decimal (scale {scale})");
        }

        return value;
    }

    /// <summary>Avro <c>uuid</c> on <c>string</c>.</summary>
    public Guid ReadUuid()
    {
        var start = _position;
        var bytes = Take(ReadLength());
        if (!System.Buffers.Text.Utf8Parser.TryParse(bytes, out Guid value, out var consumed, 'D') || consumed != bytes.Length)
        {
            _position = start;
            Throw("the uuid is not in the 8-4-4-4-12 hexadecimal form");
        }

        return value;
    }

    /// <summary>Avro <c>date</c>: days since 1970-01-01.</summary>
    public DateOnly ReadDate()
    {
        var start = _position;
        var days = (long)ReadInt() + AvroTime.UnixEpochDayNumber;
        if (days < DateOnly.MinValue.DayNumber || days > DateOnly.MaxValue.DayNumber)
        {
            _position = start;
            Throw("the date is outside the range of DateOnly");
        }

        return DateOnly.FromDayNumber((int)days);
    }

    /// <summary>Avro <c>timestamp-millis</c>.</summary>
    public DateTimeOffset ReadTimestampMillis()
    {
        var start = _position;
        var millis = ReadLong();
        if (millis < -62_135_596_800_000L || millis > 253_402_300_799_999L)
        {
            _position = start;
            Throw("the timestamp is outside the range of DateTimeOffset");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }

    /// <summary>Avro <c>timestamp-micros</c>.</summary>
    public DateTimeOffset ReadTimestampMicros()
    {
        var start = _position;
        var micros = ReadLong();
        if (micros < -62_135_596_800_000_000L || micros > 253_402_300_799_999_999L)
        {
            _position = start;
            Throw("the timestamp is outside the range of DateTimeOffset");
        }

        return new DateTimeOffset(DateTimeOffset.UnixEpoch.Ticks + micros * TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
    }

    /// <summary>Fails if bytes are left over: the input is longer than one value.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _data.Length)
        {
            Throw($"{_data.Length - _position} bytes are left over after the value");
        }
    }

    /// <summary>Throws a <see cref="SerdeException"/> at the current position, naming the type and field.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly void Throw(string reason) => throw new SerdeException(_typeName, _position, _data.Length, reason, Field);

    private int ReadLength()
    {
        var start = _position;
        var length = ReadLong();
        if (length < 0 || length > Remaining)
        {
            var left = Remaining;
            _position = start;
            Throw(length < 0 ? $"negative length {length}" : $"length {length} exceeds the {left} bytes left");
        }

        return (int)length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position) ThrowTruncated(count);
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(int needed) =>
        Throw($"truncated input: {needed} more bytes needed, {_data.Length - _position} left");
}
