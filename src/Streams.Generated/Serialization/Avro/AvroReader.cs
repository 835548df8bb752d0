using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Streams.Generated.Serialization.Avro;

/// <summary>
/// Reads Avro binary encoding from a span: the generated <c>ReadAvro</c> methods call it field by field. Every length
/// and count is checked against the bytes that remain before anything is allocated, so corrupt input fails with a
/// <see cref="SerdeException"/> naming the type, the field and the byte offset, never with an
/// <see cref="IndexOutOfRangeException"/> or a huge allocation.
/// </summary>
/// <remarks>
/// Every read takes the field being read (<c>Record.field</c>) as an argument used only to name it in an error: a
/// constant the caller passes in a register costs nothing on the happy path, unlike a field name stored in the reader
/// before each field. Error messages are formatted in helpers that are never inlined, so the inlined fast paths stay
/// small.
/// </remarks>
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
    }

    /// <summary>The offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Moves back to <paramref name="position"/>, so that an error names where the bad value starts.</summary>
    internal void Rewind(int position) => _position = position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Avro <c>boolean</c>.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBoolean(string? field = null)
    {
        var data = _data;
        var position = _position;
        if ((uint)position >= (uint)data.Length) ThrowTruncated(1, field);
        var value = data[position];
        if (value > 1) ThrowNotBoolean(value, field);
        _position = position + 1;
        return value != 0;
    }

    /// <summary>Avro <c>int</c>.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt(string? field = null) => TryReadOneByte(out var value) ? value : ReadIntSlow(field);

    private int ReadIntSlow(string? field)
    {
        var start = _position;
        var value = ReadLongSlow(field);
        if (value is < int.MinValue or > int.MaxValue) ThrowIntOutOfRange(start, value, field);
        return (int)value;
    }

    /// <summary>Avro <c>long</c>: zig-zag variable-length, at most 10 bytes.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadLong(string? field = null) => TryReadOneByte(out var value) ? value : ReadLongSlow(field);

    /// <summary>
    /// The fast path of every integer: a one-byte value (-64..63: lengths, counts, union branches, small numbers), which
    /// needs no range check even as an <c>int</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadOneByte(out int value)
    {
        var data = _data;
        var position = _position;
        if ((uint)position < (uint)data.Length && data[position] < 0x80)
        {
            int b = data[position];
            _position = position + 1;
            value = (b >> 1) ^ -(b & 1);
            return true;
        }

        value = 0;
        return false;
    }

    private long ReadLongSlow(string? field)
    {
        // Up to 8 bytes at once from one 8-byte load, without a branch per byte: the first byte whose high bit is clear
        // ends the value; the 7-bit groups are then squeezed together (8 x 7 -> 56 bits) in three shift-and-mask steps.
        var start = _position;
        if (_data.Length - start >= sizeof(ulong))
        {
            var word = BinaryPrimitives.ReadUInt64LittleEndian(_data[start..]);
            var ends = ~word & 0x8080_8080_8080_8080UL;
            if (ends != 0)
            {
                var bits = word & (ends ^ (ends - 1)) & 0x7F7F_7F7F_7F7F_7F7FUL; // the value's bytes, less their high bits
                bits = (bits & 0x007F_007F_007F_007FUL) | ((bits & 0x7F00_7F00_7F00_7F00UL) >> 1);
                bits = (bits & 0x0000_3FFF_0000_3FFFUL) | ((bits & 0x3FFF_0000_3FFF_0000UL) >> 2);
                bits = (bits & 0x0000_0000_0FFF_FFFFUL) | ((bits & 0x0FFF_FFFF_0000_0000UL) >> 4);
                _position = start + (BitOperations.TrailingZeroCount(ends) >> 3) + 1;
                return (long)(bits >> 1) ^ -(long)(bits & 1);
            }
        }

        // 9 or 10 bytes (magnitudes of 2^55 and more), or near the end of the input.
        return ReadLongBytewise(field);
    }

    /// <summary>A byte and a bounds check at a time: long encodings and the last bytes of the input.</summary>
    private long ReadLongBytewise(string? field)
    {
        ulong result = 0;
        var shift = 0;
        var position = _position;
        var data = _data;
        while (true)
        {
            if (position >= data.Length) ThrowTruncated(1, field);
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }

            shift += 7;
            if (shift > 63) Throw("a variable-length integer is longer than 10 bytes", field);
        }

        _position = position;
        return (long)(result >> 1) ^ -(long)(result & 1);
    }

    /// <summary>Avro <c>float</c>.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ReadFloat(string? field = null) => BinaryPrimitives.ReadSingleLittleEndian(Take(sizeof(float), field));

    /// <summary>Avro <c>double</c>.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ReadDouble(string? field = null) => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double), field));

    /// <summary>Avro <c>string</c> (strict UTF-8).</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public string ReadString(string? field = null)
    {
        var bytes = Take(ReadLength(field), field);
        // ASCII (most keys, codes and names) widens in one pass into the new string; anything else is validated, then
        // decoded.
        if (Ascii.IsValid(bytes))
        {
            return string.Create(bytes.Length, bytes, static (chars, ascii) => Ascii.ToUtf16(ascii, chars, out _));
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes)) ThrowNotUtf8(bytes.Length, field);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Avro <c>bytes</c>, copied into a new array.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public byte[] ReadBytes(string? field = null) => Take(ReadLength(field), field).ToArray();

    /// <summary>The bytes of an Avro <c>bytes</c> or <c>string</c> value, without copying or decoding.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public ReadOnlySpan<byte> ReadLengthPrefixed(string? field = null) => Take(ReadLength(field), field);

    /// <summary>Avro <c>fixed</c> of <paramref name="size"/> bytes, without copying.</summary>
    /// <param name="size">The fixed type's size.</param>
    /// <param name="field">The field being read, named if reading fails.</param>
    public ReadOnlySpan<byte> ReadFixed(int size, string? field = null) => Take(size, field);

    /// <summary>The branch of a union of <paramref name="branches"/> types.</summary>
    /// <param name="branches">The number of branches.</param>
    /// <param name="field">The field being read, named if reading fails.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadUnionIndex(int branches, string? field = null)
    {
        var start = _position;
        var index = ReadLong(field);
        if ((ulong)index >= (ulong)branches) ThrowNoSuchIndex(start, index, branches, "union", "branch", field);
        return (int)index;
    }

    /// <summary>An enum symbol's position, checked against the number of symbols.</summary>
    /// <param name="symbols">The number of symbols.</param>
    /// <param name="field">The field being read, named if reading fails.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadEnum(int symbols, string? field = null)
    {
        var start = _position;
        var index = ReadLong(field);
        if ((ulong)index >= (ulong)symbols) ThrowNoSuchIndex(start, index, symbols, "enum", "symbol", field);
        return (int)index;
    }

    /// <summary>
    /// The item count of the next array or map block; 0 ends the collection. A negative count (followed by the block's
    /// byte size) is returned as positive. Every item takes at least one byte, so a count larger than the bytes left
    /// is corrupt input.
    /// </summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public int ReadBlockCount(string? field = null) => ReadBlockCount(0, field);

    /// <summary>
    /// As <see cref="ReadBlockCount(string?)"/>, for a collection that already holds <paramref name="itemsSoFar"/> items:
    /// the total may not exceed the input's length either, so that items of no bytes (empty records) spread over many
    /// blocks cannot add up to a huge collection (or overflow its length).
    /// </summary>
    public int ReadBlockCount(int itemsSoFar, string? field = null)
    {
        var start = _position;
        var count = ReadLong(field);
        if (count < 0)
        {
            if (count == long.MinValue) Throw("invalid block count", field);
            count = -count;
            var size = ReadLong(field);
            if (size < 0 || size > Remaining)
            {
                var left = Remaining;
                _position = start;
                Throw($"block size {size} exceeds the {left} bytes left", field);
            }
        }

        if (count > Remaining)
        {
            var left = Remaining;
            _position = start;
            Throw($"a block of {count} items cannot fit in the {left} bytes left", field);
        }

        if (itemsSoFar > 0 && itemsSoFar + count > _data.Length)
        {
            _position = start;
            Throw($"a block of {count} items after {itemsSoFar} would make more items than the input has bytes ({_data.Length})", field);
        }

        return (int)count;
    }

    /// <summary>Avro <c>decimal</c> on <c>bytes</c> with <paramref name="scale"/>.</summary>
    /// <param name="scale">The schema's scale.</param>
    /// <param name="field">The field being read, named if reading fails.</param>
    public decimal ReadDecimal(int scale, string? field = null)
    {
        var start = _position;
        var bytes = Take(ReadLength(field), field);
        if (bytes.Length is 0 or > 16)
        {
            _position = start;
            Throw($"a decimal must be 1 to 16 bytes here, got {bytes.Length}", field);
        }

        Span<byte> padded = stackalloc byte[16];
        padded.Fill((bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0);
        bytes.CopyTo(padded[(16 - bytes.Length)..]);
        if (!AvroDecimalScaling.TryFromUnscaled(BinaryPrimitives.ReadInt128BigEndian(padded), scale, out var value))
        {
            _position = start;
            Throw($"the decimal does not fit in System.Decimal (scale {scale})", field);
        }

        return value;
    }

    /// <summary>Avro <c>uuid</c> on <c>string</c>.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public Guid ReadUuid(string? field = null)
    {
        var start = _position;
        var bytes = Take(ReadLength(field), field);
        if (!System.Buffers.Text.Utf8Parser.TryParse(bytes, out Guid value, out var consumed, 'D') || consumed != bytes.Length)
        {
            _position = start;
            Throw("the uuid is not in the 8-4-4-4-12 hexadecimal form", field);
        }

        return value;
    }

    /// <summary>Avro <c>date</c>: days since 1970-01-01.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public DateOnly ReadDate(string? field = null)
    {
        var start = _position;
        var days = (long)ReadInt(field) + AvroTime.UnixEpochDayNumber;
        if (days < DateOnly.MinValue.DayNumber || days > DateOnly.MaxValue.DayNumber)
        {
            _position = start;
            Throw("the date is outside the range of DateOnly", field);
        }

        return DateOnly.FromDayNumber((int)days);
    }

    /// <summary>Avro <c>timestamp-millis</c>.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public DateTimeOffset ReadTimestampMillis(string? field = null)
    {
        var start = _position;
        var millis = ReadLong(field);
        if (millis < -62_135_596_800_000L || millis > 253_402_300_799_999L)
        {
            _position = start;
            Throw("the timestamp is outside the range of DateTimeOffset", field);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }

    /// <summary>Avro <c>timestamp-micros</c>.</summary>
    /// <param name="field">The field being read, named if reading fails.</param>
    public DateTimeOffset ReadTimestampMicros(string? field = null)
    {
        var start = _position;
        var micros = ReadLong(field);
        if (micros < -62_135_596_800_000_000L || micros > 253_402_300_799_999_999L)
        {
            _position = start;
            Throw("the timestamp is outside the range of DateTimeOffset", field);
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

    /// <summary>Throws a <see cref="SerdeException"/> at the current position, naming the type and the field.</summary>
    /// <param name="reason">What is wrong with the bytes.</param>
    /// <param name="field">The field being read, or <see langword="null"/> outside a record's fields.</param>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly void Throw(string reason, string? field = null) => throw new SerdeException(_typeName, _position, _data.Length, reason, field);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadLength(string? field)
    {
        var start = _position;
        var length = ReadLong(field);
        if ((ulong)length > (ulong)(_data.Length - _position)) ThrowBadLength(start, length, field);
        return (int)length;
    }

    /// <summary>The next <paramref name="count"/> bytes, after one bounds check (a slice would check again).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count, string? field)
    {
        var data = _data;
        var position = _position;
        if ((uint)count > (uint)(data.Length - position)) ThrowTruncated(count, field);
        _position = position + count;
        // In range: 0 <= position <= length always holds, and count <= length - position was just checked.
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref MemoryMarshal.GetReference(data), position), count);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(int needed, string? field) =>
        Throw($"truncated input: {needed} more bytes needed, {_data.Length - _position} left", field);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowNotBoolean(byte value, string? field) => Throw($"a boolean must be 0 or 1, got {value}", field);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIntOutOfRange(int start, long value, string? field)
    {
        _position = start;
        Throw($"the int {value} is out of range", field);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNoSuchIndex(int start, long index, int count, string type, string item, string? field)
    {
        _position = start;
        Throw($"{type} {item} {index} does not exist (the {type} has {count})", field);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadLength(int start, long length, string? field)
    {
        var left = Remaining;
        _position = start;
        Throw(length < 0 ? $"negative length {length}" : $"length {length} exceeds the {left} bytes left", field);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotUtf8(int length, string? field)
    {
        _position -= length;
        Throw("the string is not valid UTF-8", field);
    }
}
