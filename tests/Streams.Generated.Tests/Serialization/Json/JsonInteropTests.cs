using System.Buffers;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Json;
using Streams.Generated.Tests.Serialization.Avro;

namespace Streams.Generated.Tests.Serialization.Json;

/// <summary>
/// Interoperability with System.Text.Json (reflection-based here, tests only), over generated values: we write the
/// same bytes it writes, it reads ours, and we read what it writes, for default options and for camelCase.
/// </summary>
public class JsonInteropTests
{
    private static readonly JsonSerializerOptions Default = new();
    private static readonly JsonSerializerOptions Camel = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    [Property(MaxTest = 300)]
    public Property Flat_records() => Prop.ForAll(JsonGenerators.Flat.ToArbitrary(), value => Check(value, Default));

    [Property(MaxTest = 150)]
    public Property Nested_records_with_arrays_maps_nullables_enums_and_renamed_properties() =>
        Prop.ForAll(JsonGenerators.Order.ToArbitrary(), value => Check(value, Default));

    [Property(MaxTest = 150)]
    public Property CamelCase_classes_with_init_required_ignored_and_computed_properties() =>
        Prop.ForAll(JsonGenerators.Settings.ToArbitrary(), value => Check(value, Camel));

    [Property(MaxTest = 100)]
    public Property Recursive_records() => Prop.ForAll(JsonGenerators.Tree.ToArbitrary(), value => Check(value, Default));

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

    private static void Check<T>(T value, JsonSerializerOptions options) where T : IJsonRecord<T>
    {
        var theirs = JsonSerializer.SerializeToUtf8Bytes(value, options);
        var buffer = new ArrayBufferWriter<byte>();
        JsonSerde<T>.Instance.Serialize(value, buffer);
        var ours = buffer.WrittenSpan.ToArray();

        Assert.Equal(System.Text.Encoding.UTF8.GetString(theirs), System.Text.Encoding.UTF8.GetString(ours));
        // What we read from their bytes, they write again identically (their equality, with arrays compared by content).
        Assert.Equal(theirs, JsonSerializer.SerializeToUtf8Bytes(JsonSerde<T>.Instance.Deserialize(theirs), options));
        Assert.Equal(theirs, JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize<T>(ours, options), options));
    }
}

/// <summary>FsCheck generators of the JSON shapes (finite numbers only: JSON has no NaN or Infinity).</summary>
internal static class JsonGenerators
{
    private static readonly Gen<double> Finite = AvroGenerators.Double.Where(double.IsFinite);
    private static readonly Gen<float> FiniteFloat = AvroGenerators.Float.Where(float.IsFinite);

    public static readonly Gen<JsonFlat> Flat =
        from id in AvroGenerators.Int
        from timestamp in AvroGenerators.Long
        from price in Finite
        from ratio in FiniteFloat
        from active in AvroGenerators.Bool
        from name in AvroGenerators.Text
        select new JsonFlat(id, timestamp, price, ratio, active, name);

    private static readonly Gen<JsonAddress> Address =
        from street in AvroGenerators.Text
        from city in AvroGenerators.Text
        from zip in AvroGenerators.Int.MaybeNullValue()
        select new JsonAddress(street, city, zip);

    private static readonly Gen<JsonLine> Line =
        from sku in AvroGenerators.Text
        from quantity in AvroGenerators.Int
        from price in AvroGenerators.Decimal(28, 8)
        select new JsonLine(sku, quantity, price);

    private static readonly Gen<DateTimeOffset> Instant =
        from ticks in Gen.Choose(-1_000_000, 1_000_000)
        from offset in Gen.Choose(-14 * 4, 14 * 4)
        select new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ticks * 123_456_789L, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset * 15));

    public static readonly Gen<JsonOrder> Order =
        from id in AvroGenerators.Uuid
        from customer in AvroGenerators.Text
        from shipTo in Address
        from billTo in Address.MaybeNull()
        from lines in Line.ArrayOf()
        from tags in Gen.Zip(AvroGenerators.Text, AvroGenerators.Text).ListOf().Select(p => p.DistinctBy(t => t.Item1).ToDictionary(t => t.Item1, t => t.Item2))
        from status in Gen.Elements(Status.Pending, Status.Shipped, Status.Cancelled)
        from placed in AvroGenerators.Date
        from updated in Instant
        from note in AvroGenerators.Text.MaybeNull()
        from signature in AvroGenerators.Bytes
        from scores in AvroGenerators.Long.ListOf().Select(l => l.ToList())
        from total in AvroGenerators.Decimal(28, 4)
        from extra in AvroGenerators.Text
        select new JsonOrder(id, customer, shipTo, billTo, lines, tags, status, placed, updated, note, signature, scores, total, extra);

    private static readonly Gen<JsonPlace> Place =
        from name in AvroGenerators.Text
        from latitude in Finite.MaybeNullValue()
        select new JsonPlace(name, latitude);

    public static readonly Gen<JsonSettings> Settings =
        from key in AvroGenerators.Text
        from limit in AvroGenerators.Long.MaybeNullValue()
        from values in AvroGenerators.Text.MaybeNull().ListOf().Select(l => l.ToList())
        from places in Gen.Zip(AvroGenerators.Text, Place.MaybeNull()).ListOf()
        from retries in AvroGenerators.Int
        select new JsonSettings
        {
            Key = key,
            Limit = limit,
            Values = values,
            Places = places.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => (JsonPlace?)p.Item2),
            Retries = retries,
        };

    public static readonly Gen<JsonTree> Tree = Gen.Sized(size => TreeOfDepth(Math.Min(size, 3)));

    private static Gen<JsonTree> TreeOfDepth(int depth) =>
        from label in AvroGenerators.Text
        from children in depth == 0 ? Gen.Constant(Array.Empty<JsonTree>()) : TreeOfDepth(depth - 1).ArrayOf().Select(c => c.Take(3).ToArray())
        from d in AvroGenerators.Int.MaybeNullValue()
        select new JsonTree(label, children, d);
}
