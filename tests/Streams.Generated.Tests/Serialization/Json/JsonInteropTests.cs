using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Json;
using Streams.Generated.Tests.Serialization.Avro;

namespace Streams.Generated.Tests.Serialization.Json;

/// <summary>
/// Interoperability with System.Text.Json source generation (<see cref="JsonShapesContext"/>), over generated values:
/// we write the same bytes it writes, it reads ours, and we read what it writes, for default options and for camelCase.
/// Strings include every kind of character its default encoder escapes, numbers their extremes.
/// </summary>
public class JsonInteropTests
{
    [Property(MaxTest = 300)]
    public Property Flat_records() => Prop.ForAll(JsonGenerators.Flat.ToArbitrary(), value => Check(value, JsonShapesContext.Default.JsonFlat));

    [Property(MaxTest = 150)]
    public Property Nested_records_with_arrays_maps_nullables_enums_and_renamed_properties() =>
        Prop.ForAll(JsonGenerators.Order.ToArbitrary(), value => Check(value, JsonShapesContext.Default.JsonOrder));

    [Property(MaxTest = 150)]
    public Property CamelCase_classes_with_init_required_ignored_and_computed_properties() =>
        Prop.ForAll(JsonGenerators.Settings.ToArbitrary(), value => Check(value, JsonCamelShapesContext.Default.JsonSettings));

    [Property(MaxTest = 100)]
    public Property Recursive_records() => Prop.ForAll(JsonGenerators.Tree.ToArbitrary(), value => Check(value, JsonShapesContext.Default.JsonTree));

    [Property(MaxTest = 100)]
    public Property Property_names_that_need_escaping() =>
        Prop.ForAll(JsonGenerators.EscapedNames.ToArbitrary(), value => Check(value, JsonShapesContext.Default.JsonEscapedNames));

    [Property(MaxTest = 100)]
    public Property CamelCase_of_non_ASCII_names() =>
        Prop.ForAll(JsonGenerators.UnicodeCamel.ToArbitrary(), value => Check(value, JsonCamelShapesContext.Default.JsonUnicodeCamel));

    [Fact]
    public void Extreme_numbers_are_written_as_System_Text_Json_writes_them()
    {
        Check(new JsonFlat(int.MinValue, long.MinValue, double.MaxValue, float.MaxValue, false, ""), JsonShapesContext.Default.JsonFlat);
        Check(new JsonFlat(int.MaxValue, long.MaxValue, double.MinValue, float.MinValue, true, ""), JsonShapesContext.Default.JsonFlat);
        Check(new JsonFlat(0, 0, double.Epsilon, float.Epsilon, true, ""), JsonShapesContext.Default.JsonFlat);
        Check(new JsonFlat(-1, -1, -0.0, -0.0f, true, ""), JsonShapesContext.Default.JsonFlat);
        Check(new JsonFlat(1, 1, -double.Epsilon, 1e-45f, true, ""), JsonShapesContext.Default.JsonFlat);
        Check(new JsonFlat(1, 1, 1e21, 1e21f, true, ""), JsonShapesContext.Default.JsonFlat);
        Check(new JsonFlat(1, 1, 0.1 + 0.2, 16777217f, true, ""), JsonShapesContext.Default.JsonFlat);
        Check(new JsonFlat(1, 1, 2.2250738585072014E-308, 1.17549435E-38f, true, ""), JsonShapesContext.Default.JsonFlat);
    }

    [Fact]
    public void Extreme_decimals_dates_and_times_are_written_as_System_Text_Json_writes_them()
    {
        foreach (var total in new[] { decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, -7.9228162514264337593543950335m, 1.000m, -0.0m, 0m })
        {
            foreach (var updated in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.FromHours(-14)).AddTicks(1_000_000), new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.FromHours(-14)).AddTicks(1), new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromHours(14)).AddTicks(10) })
            {
                var order = new JsonOrder(Guid.Empty, "", new JsonAddress("", "", null), null, [new JsonLine("", 0, total)], [], Status.Pending,
                    DateOnly.MaxValue, updated, null, [], [long.MinValue, long.MaxValue], total, "");
                Check(order, JsonShapesContext.Default.JsonOrder);
                Check(order with { Placed = DateOnly.MinValue, Id = Guid.AllBitsSet }, JsonShapesContext.Default.JsonOrder);
            }
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NaN_and_infinity_are_refused_as_System_Text_Json_refuses_them(double notFinite)
    {
        var flat = new JsonFlat(1, 1, notFinite, 0, true, "");
        Assert.Throws<ArgumentException>(() => JsonSerializer.SerializeToUtf8Bytes(flat, JsonShapesContext.Default.JsonFlat));
        Assert.Throws<ArgumentException>(() => JsonSerde<JsonFlat>.Instance.Serialize(flat, new ArrayBufferWriter<byte>()));
        Assert.Throws<ArgumentException>(() => JsonSerde<JsonFlat>.Instance.Serialize(flat with { Price = 0, Ratio = (float)notFinite }, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Unknown_properties_are_skipped_and_missing_ones_keep_their_defaults()
    {
        var settings = JsonSerde<JsonSettings>.Instance.Deserialize("""{"extra":{"a":[1,2,{}]},"key":"k","values":["x",null]}"""u8);

        Assert.Equal("k", settings.Key);
        Assert.Equal(["x", null], settings.Values);
        Assert.Null(settings.Limit);
        Assert.Equal(3, settings.Retries); // the initializer's value, as System.Text.Json leaves it
        Assert.Equal("not serialized", settings.Cache);
    }

    [Fact]
    public void A_missing_required_property_and_wrong_tokens_fail_naming_type_field_and_offset()
    {
        var missing = Assert.Throws<SerdeException>(() => JsonSerde<JsonSettings>.Instance.Deserialize("""{"values":[]}"""u8));
        Assert.Contains("the required property 'key' is missing", missing.Message);

        var wrong = Assert.Throws<SerdeException>(() => JsonSerde<JsonFlat>.Instance.Deserialize("""{"Id":"seven"}"""u8));
        Assert.Equal(("Streams.Generated.Tests.Serialization.Json.JsonFlat", "JsonFlat.Id", 6), (wrong.TypeName, wrong.Field, wrong.ByteOffset));
        Assert.Contains("expected a number, got a string", wrong.Message);

        var range = Assert.Throws<SerdeException>(() => JsonSerde<JsonFlat>.Instance.Deserialize("""{"Id":3000000000}"""u8));
        Assert.Contains("the number 3000000000 does not fit an int", range.Message);

        var malformed = Assert.Throws<SerdeException>(() => JsonSerde<JsonFlat>.Instance.Deserialize("""{"Id":1,"""u8));
        Assert.Contains("malformed JSON", malformed.Message);

        // Utf8JsonReader itself rejects a second top-level value.
        var trailing = Assert.Throws<SerdeException>(() => JsonSerde<JsonFlat>.Instance.Deserialize("""{} {}"""u8));
        Assert.Contains("malformed JSON", trailing.Message);
        Assert.Equal(3, trailing.ByteOffset); // the second "{"
    }

    private static void Check<T>(T value, JsonTypeInfo<T> theirType) where T : IJsonRecord<T>
    {
        var theirs = JsonSerializer.SerializeToUtf8Bytes(value, theirType);
        var buffer = new ArrayBufferWriter<byte>();
        JsonSerde<T>.Instance.Serialize(value, buffer);
        var ours = buffer.WrittenSpan.ToArray();

        Assert.Equal(System.Text.Encoding.UTF8.GetString(theirs), System.Text.Encoding.UTF8.GetString(ours));
        Assert.Equal(theirs, ours);
        // The same bytes when the output comes in spans just as large as asked for, so that the writer has to grow.
        Assert.Equal(theirs, SmallSpanBufferWriter.Write(value));
        // What we read from their bytes, they write again identically (their equality, with arrays compared by content).
        Assert.Equal(theirs, JsonSerializer.SerializeToUtf8Bytes(JsonSerde<T>.Instance.Deserialize(theirs), theirType));
        Assert.Equal(theirs, JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(ours, theirType)!, theirType));
    }
}

/// <summary>
/// FsCheck generators of the JSON shapes: strings with every kind of character System.Text.Json escapes (control
/// characters, quotes, backslashes, HTML-sensitive ones, non-ASCII, surrogate pairs and lone surrogates), and finite
/// numbers from their whole range (JSON has no NaN or Infinity).
/// </summary>
internal static class JsonGenerators
{
    private static readonly Gen<string> AnyChar = Gen.OneOf(
        Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString()),
        Gen.Choose(0, 0x1F).Select(c => ((char)c).ToString()),
        Gen.Elements("\"", "\\", "<", ">", "&", "'", "+", "`", "/", "\u007F", "\u0080", "\u2028", "\uFEFF", "\uFFFD", "\uFFFF"),
        Gen.Choose(0x80, 0xFFFF).Select(c => ((char)c).ToString()), // lone surrogates included
        Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)); // surrogate pairs

    public static readonly Gen<string> Text = Gen.OneOf(AvroGenerators.Text, AnyChar.ListOf().Select(string.Concat));

    // Map keys distinct as written: two lone surrogates both become \uFFFD.
    private static Dictionary<string, TValue> Map<TValue>(IEnumerable<(string Key, TValue Value)> pairs) =>
        pairs.DistinctBy(p => JsonSerializer.Serialize(p.Key)).ToDictionary(p => p.Key, p => p.Value);

    // Any bit pattern, so every exponent and mantissa shows up, with the extremes.
    private static readonly Gen<double> Finite = Gen.OneOf(AvroGenerators.Double,
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(p => BitConverter.Int64BitsToDouble(((long)p.Item1 << 32) | (uint)p.Item2))).Where(double.IsFinite);

    private static readonly Gen<float> FiniteFloat = Gen.OneOf(AvroGenerators.Float,
        Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle)).Where(float.IsFinite);

    public static readonly Gen<JsonFlat> Flat =
        from id in AvroGenerators.Int
        from timestamp in AvroGenerators.Long
        from price in Finite
        from ratio in FiniteFloat
        from active in AvroGenerators.Bool
        from name in Text
        select new JsonFlat(id, timestamp, price, ratio, active, name);

    private static readonly Gen<JsonAddress> Address =
        from street in Text
        from city in Text
        from zip in AvroGenerators.Int.MaybeNullValue()
        select new JsonAddress(street, city, zip);

    private static readonly Gen<JsonLine> Line =
        from sku in Text
        from quantity in AvroGenerators.Int
        from price in Decimal
        select new JsonLine(sku, quantity, price);

    // Fractions of a second with any number of trailing zeros, and the whole range of years and offsets.
    private static readonly Gen<DateTimeOffset> Instant = Gen.OneOf(
        from ticks in Gen.Choose(-1_000_000, 1_000_000)
        from offset in Gen.Choose(-14 * 4, 14 * 4)
        select new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ticks * 123_456_789L, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset * 15)),
        from days in Gen.Choose(0, DateOnly.MaxValue.DayNumber)
        from second in Gen.Choose(0, 86_399)
        from fraction in Gen.Choose(0, 9_999_999)
        from zeros in Gen.Choose(0, 7)
        from offset in Gen.Choose(-14 * 60, 14 * 60)
        select At(days * TimeSpan.TicksPerDay + second * TimeSpan.TicksPerSecond + fraction / Pow10(zeros) * Pow10(zeros), offset));

    private static int Pow10(int exponent) => (int)Math.Pow(10, exponent);

    /// <summary>The local time <paramref name="ticks"/> at the offset, or at UTC where that time would be out of range.</summary>
    private static DateTimeOffset At(long ticks, int offsetMinutes)
    {
        var utcTicks = ticks - offsetMinutes * TimeSpan.TicksPerMinute;
        return utcTicks >= 0 && utcTicks <= DateTime.MaxValue.Ticks
            ? new DateTimeOffset(new DateTime(ticks), TimeSpan.FromMinutes(offsetMinutes))
            : new DateTimeOffset(new DateTime(ticks), TimeSpan.Zero);
    }

    private static readonly Gen<decimal> Decimal = Gen.OneOf(AvroGenerators.Decimal(28, 8), AvroGenerators.Decimal(28, 28),
        Gen.Elements(decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 1.000m, -0.0m, 100m));

    public static readonly Gen<JsonOrder> Order =
        from id in AvroGenerators.Uuid
        from customer in Text
        from shipTo in Address
        from billTo in Address.MaybeNull()
        from lines in Line.ArrayOf()
        from tags in Gen.Zip(Text, Text).ListOf().Select(Map)
        from status in Gen.Elements(Status.Pending, Status.Shipped, Status.Cancelled)
        from placed in AvroGenerators.Date
        from updated in Instant
        from note in Text.MaybeNull()
        from signature in AvroGenerators.Bytes
        from scores in AvroGenerators.Long.ListOf().Select(l => l.ToList())
        from total in Decimal
        from extra in Text
        select new JsonOrder(id, customer, shipTo, billTo, lines, tags, status, placed, updated, note, signature, scores, total, extra);

    private static readonly Gen<JsonPlace> Place =
        from name in Text
        from latitude in Finite.MaybeNullValue()
        select new JsonPlace(name, latitude);

    public static readonly Gen<JsonSettings> Settings =
        from key in Text
        from limit in AvroGenerators.Long.MaybeNullValue()
        from values in Text.MaybeNull().ListOf().Select(l => l.ToList())
        from places in Gen.Zip(Text, Place.MaybeNull()).ListOf()
        from retries in AvroGenerators.Int
        select new JsonSettings
        {
            Key = key,
            Limit = limit,
            Values = values,
            Places = Map(places.Select(p => (p.Item1, (JsonPlace?)p.Item2))),
            Retries = retries,
        };

    public static readonly Gen<JsonTree> Tree = Gen.Sized(size => TreeOfDepth(Math.Min(size, 3)));

    private static Gen<JsonTree> TreeOfDepth(int depth) =>
        from label in Text
        from children in depth == 0 ? Gen.Constant(Array.Empty<JsonTree>()) : TreeOfDepth(depth - 1).ArrayOf().Select(c => c.Take(3).ToArray())
        from d in AvroGenerators.Int.MaybeNullValue()
        select new JsonTree(label, children, d);

    public static readonly Gen<JsonEscapedNames> EscapedNames =
        from html in AvroGenerators.Int
        from unicode in Text.MaybeNull()
        from quoted in AvroGenerators.Bool
        from plain in Text
        select new JsonEscapedNames(html, unicode, quoted, plain);

    public static readonly Gen<JsonUnicodeCamel> UnicodeCamel =
        from size in AvroGenerators.Int
        from name in Text
        from place in Place.MaybeNull()
        select new JsonUnicodeCamel(size, name, place);
}

/// <summary>
/// A buffer writer that hands out spans exactly as large as asked for, in new arrays, so a writer that asks for too
/// little or writes past what it asked for fails, and one that writes much has to grow several times.
/// </summary>
internal sealed class SmallSpanBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    public static byte[] Write<T>(T value) where T : IJsonRecord<T>
    {
        var writer = new SmallSpanBufferWriter();
        JsonSerde<T>.Instance.Serialize(value, writer);
        return [.. writer._written];
    }

    public void Advance(int count)
    {
        Assert.InRange(count, 0, _current.Length);
        _written.AddRange(_current.AsSpan(0, count));
        _current = [];
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
