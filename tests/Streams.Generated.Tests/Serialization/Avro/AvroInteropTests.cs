using Avro;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Generated.Serialization.Avro;
using static Streams.Generated.Tests.Serialization.Avro.ApacheAvro;

namespace Streams.Generated.Tests.Serialization.Avro;

/// <summary>
/// Interoperability with Apache.Avro (the reference implementation), over generated values of every shape: what we
/// write, Apache's generic reader reads as equal; what Apache's generic writer writes, we read as equal; both write
/// the same bytes; and our own round trip is lossless.
/// </summary>
public class AvroInteropTests
{
    [Property(MaxTest = 300)]
    public Property Flat_records() => Prop.ForAll(AvroGenerators.Flat.ToArbitrary(), Check);

    [Property(MaxTest = 150)]
    public Property Nested_records_with_arrays_maps_nullables_enums_and_logical_types() => Prop.ForAll(AvroGenerators.Order.ToArbitrary(), Check);

    [Property(MaxTest = 150)]
    public Property Mutable_classes_with_nullable_collection_items() => Prop.ForAll(AvroGenerators.Settings.ToArbitrary(), Check);

    [Property(MaxTest = 100)]
    public Property Recursive_records_and_record_structs() => Prop.ForAll(AvroGenerators.Tree.ToArbitrary(), Check);

    [Fact]
    public void The_schema_constant_is_what_Apache_Avro_parses_with_logical_types_defaults_and_named_references()
    {
        var schema = (RecordSchema)Schema.Parse(Order.AvroSchemaJson);

        Assert.Equal("Streams.Generated.Tests.Serialization.Avro.Order", schema.Fullname);
        Assert.Equal(["Id", "Customer", "ShipTo", "BillTo", "Lines", "Tags", "Status", "Placed", "Updated", "Note", "Signature", "Scores", "Audited", "Total"],
            schema.Fields.Select(f => f.Name));
        Assert.Equal("shop.v1.Address", ((RecordSchema)schema["ShipTo"].Schema).Fullname);
        var billTo = (UnionSchema)schema["BillTo"].Schema;
        Assert.Equal(Schema.Type.Null, billTo.Schemas[0].Tag);
        Assert.Equal("shop.v1.Address", ((RecordSchema)billTo.Schemas[1]).Fullname); // a reference, defined once
        Assert.True(schema["Note"].DefaultValue?.Type == Newtonsoft.Json.Linq.JTokenType.Null);
        Assert.Equal("uuid", ((LogicalSchema)schema["Id"].Schema).LogicalTypeName);
        Assert.Equal("timestamp-micros", ((LogicalSchema)schema["Audited"].Schema).LogicalTypeName);
        var total = (LogicalSchema)schema["Total"].Schema;
        Assert.Equal(("decimal", "12", "2"), (total.LogicalTypeName, total.GetProperty("precision"), total.GetProperty("scale")));
        Assert.Equal(["Pending", "Shipped", "Cancelled"], ((EnumSchema)schema["Status"].Schema).Symbols);
    }

    private static void Check<T>(T value) where T : IAvroRecord<T>
    {
        var schema = Schema.Parse(T.AvroSchema);
        var expected = Normalize(ToGeneric(value, schema));

        var ours = WriteOurs(value);
        Assert.Equal(expected, Normalize(Read(schema, ours)));

        var theirs = Write(schema, ToGeneric(value, schema));
        Assert.Equal(expected, Normalize(ToGeneric(AvroSerde<T>.Instance.Deserialize(theirs), schema)));

        Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(ours));
        Assert.Equal(expected, Normalize(ToGeneric(AvroSerde<T>.Instance.Deserialize(ours), schema)));
    }
}

/// <summary>
/// Variable-length integers of every encoded length (1 to 10 bytes), each read where at least 8 bytes are left (the
/// whole-word decoder) and at the very end of the input (byte by byte), from what Apache.Avro's encoder writes.
/// </summary>
public class AvroVarintTests
{
    public static TheoryData<long> EveryLength()
    {
        var values = new TheoryData<long> { 0, -1, long.MinValue, long.MaxValue };
        for (var bits = 6; bits < 63; bits += 7)
        {
            values.Add((1L << bits) - 1); // the longest value of one length
            values.Add(1L << bits); // the shortest of the next
            values.Add(-(1L << bits) - 1);
        }

        return values;
    }

    [Theory]
    [MemberData(nameof(EveryLength))]
    public void Apache_encodings_read_back_with_and_without_bytes_after_them(long value)
    {
        using var stream = new MemoryStream();
        new global::Avro.IO.BinaryEncoder(stream).WriteLong(value);
        var encoded = stream.ToArray();

        foreach (var trailing in new[] { 0, 1, 7, 8, 10 })
        {
            // 0xFF after the value: a continuation bit the decoder must not take as part of it.
            var reader = new AvroReader([.. encoded, .. Enumerable.Repeat((byte)0xFF, trailing)], "long");
            Assert.Equal(value, reader.ReadLong());
            Assert.Equal(encoded.Length, reader.Position);
        }
    }
}
