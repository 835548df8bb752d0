using System.Buffers;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Generated.Serialization.Json;

namespace Streams.Generated.Tests.Serialization.Json;

/// <summary>
/// <see cref="JsonRecordWriter"/>'s strings against what <see cref="Utf8JsonWriter"/> (which System.Text.Json's
/// serializer writes strings and dictionary keys with) writes under default options: every UTF-16 code unit, and the
/// surrogate cases.
/// </summary>
public class JsonRecordWriterTests
{
    [Fact]
    public void Every_UTF16_code_unit_is_escaped_as_System_Text_Json_escapes_it()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var text = "a" + (char)c + "b";
            Assert.Equal(Theirs(text), Ours(text));
        }
    }

    [Theory]
    [InlineData("\uD83D\uDE80")] // a pair
    [InlineData("\uD800")] // lone high
    [InlineData("\uDC00x")] // lone low
    [InlineData("\uDBFF\uDBFF\uDFFF")] // lone high, then a pair
    [InlineData("\uDFFF\uD800")] // low then high: two lone ones
    [InlineData("x\uD800")] // high at the end
    [InlineData("")]
    [InlineData("plain ASCII, no escaping at all: / ~ { } [ ] ! ? # $ % ^ * ( ) = ; : @ | , .")]
    public void Surrogates_are_escaped_as_System_Text_Json_escapes_them(string text) => Assert.Equal(Theirs(text), Ours(text));

    [Property(MaxTest = 1000)]
    public Property Random_strings_are_written_as_System_Text_Json_writes_them() =>
        Prop.ForAll(JsonGenerators.Text.ToArbitrary(), text => Assert.Equal(Theirs(text), Ours(text)));

    /// <summary>A string value and a map key, as <see cref="Utf8JsonWriter"/> writes them.</summary>
    private static string Theirs(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(text);
            writer.WriteStartObject();
            writer.WritePropertyName(text);
            writer.WriteNullValue();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_string_too_long_to_escape_within_an_int_is_refused_as_System_Text_Json_refuses_it()
    {
        var text = "\n" + new string('a', 166_666_666); // one character to escape, 166,666,667 in all
        var error = Assert.Throws<ArgumentException>(() =>
        {
            var writer = new JsonRecordWriter(new ArrayBufferWriter<byte>(1));
            writer.WriteString(text);
        });
        Assert.Contains("limit is 166666666", error.Message);
        using var theirs = new System.Text.Json.Utf8JsonWriter(new ArrayBufferWriter<byte>(1));
        Assert.ThrowsAny<ArgumentException>(() => theirs.WriteStringValue(text));
    }

    private static string Ours(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new JsonRecordWriter(buffer);
        writer.WriteLiteral("["u8);
        writer.WriteString(text);
        writer.WriteLiteral(",{"u8);
        writer.WritePropertyName(text);
        writer.WriteNull();
        writer.WriteLiteral("}]"u8);
        writer.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
