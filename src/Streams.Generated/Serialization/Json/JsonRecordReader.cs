using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Streams.Generated.Serialization.Json;

/// <summary>
/// The token reader the generated <c>ReadJson</c> methods use: a <see cref="Utf8JsonReader"/> over the record's bytes
/// plus the type and field being read, so that a wrong token, a number out of range or malformed JSON fails with one
/// <see cref="SerdeException"/> naming the type, the field (<see cref="Field"/>) and the byte offset.
/// </summary>
public ref struct JsonRecordReader
{
    private readonly string _typeName;
    private readonly int _length;
    private Utf8JsonReader _reader;

    /// <summary>Reads <paramref name="data"/> as the JSON of <paramref name="typeName"/>.</summary>
    public JsonRecordReader(ReadOnlySpan<byte> data, string typeName)
    {
        _reader = new Utf8JsonReader(data, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        _typeName = typeName;
        _length = data.Length;
        Field = null;
    }

    /// <summary>The property being read (<c>Record.property</c>), set by generated code; named in errors.</summary>
    public string? Field { get; set; }

    /// <summary>The current token is <c>null</c>.</summary>
    public readonly bool IsNull => _reader.TokenType == JsonTokenType.Null;

    /// <summary>Moves to the next token.</summary>
    public void Next()
    {
        if (!_reader.Read())
        {
            Throw("the JSON ends early");
        }
    }

    /// <summary>Checks that the current token starts an object (a record).</summary>
    public readonly void ExpectStartObject()
    {
        if (_reader.TokenType != JsonTokenType.StartObject) ThrowExpected("an object");
    }

    /// <summary>
    /// Moves to the next property name of the current object and returns true, or past its end and returns false.
    /// </summary>
    public bool NextProperty()
    {
        Next();
        return _reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Whether the current property name is <paramref name="utf8Name"/> (exact, case-sensitive, unescaped).</summary>
    public readonly bool NameIs(ReadOnlySpan<byte> utf8Name) => _reader.ValueTextEquals(utf8Name);

    /// <summary>The current property name (a map key).</summary>
    public readonly string PropertyName() => _reader.GetString()!;

    /// <summary>Skips the value of the current property (an unknown property, as System.Text.Json ignores it).</summary>
    public void SkipValue()
    {
        Next();
        _reader.Skip();
    }

    /// <summary>Checks that the current token starts an array.</summary>
    public readonly void ExpectStartArray()
    {
        if (_reader.TokenType != JsonTokenType.StartArray) ThrowExpected("an array");
    }

    /// <summary>Moves to the next item of the current array and returns true, or past its end and returns false.</summary>
    public bool NextItem()
    {
        Next();
        return _reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>A JSON <c>true</c>/<c>false</c>.</summary>
    public readonly bool GetBoolean() => _reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => ThrowExpected<bool>("true or false"),
    };

    /// <summary>A number that fits an <see cref="int"/>.</summary>
    public readonly int GetInt32() => Number() && _reader.TryGetInt32(out var value) ? value : ThrowRange<int>("an int");

    /// <summary>A number that fits a <see cref="long"/>.</summary>
    public readonly long GetInt64() => Number() && _reader.TryGetInt64(out var value) ? value : ThrowRange<long>("a long");

    /// <summary>A number that fits a <see cref="short"/>.</summary>
    public readonly short GetInt16() => Number() && _reader.TryGetInt16(out var value) ? value : ThrowRange<short>("a short");

    /// <summary>A number that fits a <see cref="byte"/>.</summary>
    public readonly byte GetByte() => Number() && _reader.TryGetByte(out var value) ? value : ThrowRange<byte>("a byte");

    /// <summary>A number as a <see cref="float"/>.</summary>
    public readonly float GetSingle() => Number() && _reader.TryGetSingle(out var value) ? value : ThrowRange<float>("a float");

    /// <summary>A number as a <see cref="double"/>.</summary>
    public readonly double GetDouble() => Number() && _reader.TryGetDouble(out var value) ? value : ThrowRange<double>("a double");

    /// <summary>A number as a <see cref="decimal"/>.</summary>
    public readonly decimal GetDecimal() => Number() && _reader.TryGetDecimal(out var value) ? value : ThrowRange<decimal>("a decimal");

    /// <summary>A string (unescaped).</summary>
    public readonly string GetString() => _reader.TokenType == JsonTokenType.String ? _reader.GetString()! : ThrowExpected<string>("a string");

    /// <summary>A base64 string, as System.Text.Json writes <c>byte[]</c>.</summary>
    public readonly byte[] GetBytes() =>
        _reader.TokenType == JsonTokenType.String && _reader.TryGetBytesFromBase64(out var value) ? value! : ThrowExpected<byte[]>("a base64 string");

    /// <summary>A <see cref="Guid"/> string.</summary>
    public readonly Guid GetGuid() =>
        _reader.TokenType == JsonTokenType.String && _reader.TryGetGuid(out var value) ? value : ThrowExpected<Guid>("a Guid string");

    /// <summary>An ISO 8601 date and time with offset.</summary>
    public readonly DateTimeOffset GetDateTimeOffset() =>
        _reader.TokenType == JsonTokenType.String && _reader.TryGetDateTimeOffset(out var value) ? value : ThrowExpected<DateTimeOffset>("an ISO 8601 date-time string");

    /// <summary>A <c>yyyy-MM-dd</c> date, as System.Text.Json writes <see cref="DateOnly"/>.</summary>
    public readonly DateOnly GetDateOnly()
    {
        if (_reader.TokenType == JsonTokenType.String && !_reader.ValueIsEscaped && !_reader.HasValueSequence && _reader.ValueSpan.Length == 10)
        {
            Span<char> text = stackalloc char[10];
            for (var i = 0; i < 10; i++)
            {
                text[i] = (char)_reader.ValueSpan[i];
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                return value;
            }
        }

        return ThrowExpected<DateOnly>("a yyyy-MM-dd date string");
    }

    /// <summary>Fails if anything but whitespace follows the value.</summary>
    public void EnsureEnd()
    {
        if (_reader.Read())
        {
            Throw("more JSON follows the value");
        }
    }

    /// <summary>Throws a <see cref="SerdeException"/> at the current token, naming the type and field.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly void Throw(string reason) => throw new SerdeException(_typeName, (int)_reader.TokenStartIndex, _length, reason, Field);

    /// <summary>Throws for a property the type requires but the JSON lacks.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly void ThrowMissing(string property) =>
        throw new SerdeException(_typeName, (int)_reader.TokenStartIndex, _length, $"the required property '{property}' is missing", Field);

    /// <summary>Converts the reader's own error for malformed JSON.</summary>
    public readonly SerdeException Malformed(Exception error) =>
        new(_typeName, (int)Math.Min(_reader.BytesConsumed, _length), _length, "malformed JSON: " + error.Message, Field);

    private readonly bool Number() => _reader.TokenType == JsonTokenType.Number || ThrowExpected<bool>("a number");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly T ThrowRange<T>(string what) => throw new SerdeException(_typeName, (int)_reader.TokenStartIndex, _length,
        $"the number {System.Text.Encoding.UTF8.GetString(_reader.ValueSpan)} does not fit {what}", Field);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowExpected(string what) => ThrowExpected<bool>(what);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly T ThrowExpected<T>(string what) =>
        throw new SerdeException(_typeName, (int)_reader.TokenStartIndex, _length, $"expected {what}, got {Describe(_reader.TokenType)}", Field);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}

/// <summary>
/// Collects the items of a JSON array into an exactly sized <c>T[]</c>, growing in pooled arrays, so reading an array
/// allocates the result only.
/// </summary>
public struct JsonArrayBuilder<T>
{
    private T[]? _items;
    private int _count;

    /// <summary>Appends an item.</summary>
    public void Add(T item)
    {
        if (_items is null || _count == _items.Length)
        {
            Grow();
        }

        _items![_count++] = item;
    }

    /// <summary>The items as a new array; returns the pooled buffer.</summary>
    public T[] ToArray()
    {
        if (_items is null)
        {
            return [];
        }

        var result = _items.AsSpan(0, _count).ToArray();
        ArrayPool<T>.Shared.Return(_items, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        _items = null;
        return result;
    }

    private void Grow()
    {
        var bigger = ArrayPool<T>.Shared.Rent(_items is null ? 8 : _items.Length * 2);
        if (_items is not null)
        {
            _items.AsSpan(0, _count).CopyTo(bigger);
            ArrayPool<T>.Shared.Return(_items, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }

        _items = bigger;
    }
}
