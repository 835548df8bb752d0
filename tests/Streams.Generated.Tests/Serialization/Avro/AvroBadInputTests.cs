using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Avro;

namespace Streams.Generated.Tests.Serialization.Avro;

/// <summary>A record of no fields: its items take no bytes.</summary>
[AvroRecord(Namespace = "shapes")]
public partial record Marker;

[AvroRecord(Namespace = "shapes")]
public partial record Markers(Marker[] Items);

/// <summary>
/// Truncated, over-long, corrupt and random bytes: every generated deserializer fails with one exception type that
/// names the type, the field and the byte offset; never another exception, a hang, or an allocation out of proportion
/// to the input (lengths and counts are checked against the bytes left).
/// </summary>
public class AvroBadInputTests
{
    private static readonly Gen<byte[]> RandomBytes = Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n));

    [Property(MaxTest = 500)]
    public Property Random_bytes_either_read_or_fail_with_a_SerdeException() =>
        Prop.ForAll(RandomBytes.ToArbitrary(), bytes =>
        {
            ReadsOrFailsCleanly<Flat>(bytes);
            ReadsOrFailsCleanly<Order>(bytes);
            ReadsOrFailsCleanly<Settings>(bytes);
            ReadsOrFailsCleanly<TreeNode>(bytes);
        });

    [Property(MaxTest = 200)]
    public Property Mutated_valid_encodings_either_read_or_fail_with_a_SerdeException() =>
        Prop.ForAll(AvroGenerators.Order.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), ArbMap.Default.ArbFor<byte>(),
            (order, where, with) =>
            {
                var bytes = ApacheAvro.WriteOurs(order);
                bytes[where % bytes.Length] = with;
                ReadsOrFailsCleanly<Order>(bytes);
            });

    [Property(MaxTest = 100)]
    public Property Every_truncation_fails_naming_type_field_and_offset() =>
        Prop.ForAll(AvroGenerators.Order.ToArbitrary(), order =>
        {
            var bytes = ApacheAvro.WriteOurs(order);
            for (var length = 0; length < bytes.Length; length++)
            {
                var error = Assert.Throws<SerdeException>(() => AvroSerde<Order>.Instance.Deserialize(bytes.AsSpan(0, length)));
                Assert.Equal("Streams.Generated.Tests.Serialization.Avro.Order", error.TypeName);
                Assert.NotNull(error.Field);
                Assert.InRange(error.ByteOffset, 0, length);
                Assert.Equal(length, error.Length);
            }
        });

    [Fact]
    public void A_trailing_byte_is_reported_as_left_over()
    {
        var bytes = ApacheAvro.WriteOurs(new Flat(1, 2, 3, 4, true, "x"));
        var error = Assert.Throws<SerdeException>(() => AvroSerde<Flat>.Instance.Deserialize([.. bytes, 0]));
        Assert.Contains("1 bytes are left over", error.Message);
        Assert.Equal(bytes.Length, error.ByteOffset);
    }

    [Fact]
    public void A_corrupt_length_prefix_fails_before_allocating()
    {
        // Flat: int 1, long 2, double, float, bool, then the string's length: claim 2^40 bytes.
        var bytes = ApacheAvro.WriteOurs(new Flat(1, 2, 3, 4, true, ""));
        var corrupt = bytes[..^1].Concat(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x40 }).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<SerdeException>(() => AvroSerde<Flat>.Instance.Deserialize(corrupt));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "no buffer sized by the corrupt length");
        Assert.Equal("Flat.Name", error.Field);
        Assert.Equal(bytes.Length - 1, error.ByteOffset);
        Assert.Contains("exceeds the 0 bytes left", error.Message);
        Assert.Equal(
            "Cannot deserialize Streams.Generated.Tests.Serialization.Avro.Flat, field Flat.Name: "
            + $"length 1099511627776 exceeds the 0 bytes left (byte offset {bytes.Length - 1}, input length {corrupt.Length}).",
            error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0xFF, 0x42 })] // 0xFF never occurs in UTF-8
    [InlineData(new byte[] { 0x41, 0xC3 })] // a two-byte sequence cut short
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate
    public void An_invalid_UTF8_string_fails_at_its_first_byte(byte[] text)
    {
        var bytes = ApacheAvro.WriteOurs(new Flat(1, 2, 3, 4, true, ""));
        byte[] corrupt = [.. bytes[..^1], (byte)(text.Length * 2), .. text];

        var error = Assert.Throws<SerdeException>(() => AvroSerde<Flat>.Instance.Deserialize(corrupt));

        Assert.Equal(("Flat.Name", bytes.Length), (error.Field, error.ByteOffset));
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public void An_error_inside_a_nested_record_names_the_nested_field()
    {
        var bytes = ApacheAvro.WriteOurs(AvroTopologyTests.NewOrder());
        // Order: the uuid (1 + 36 bytes), the customer "c" (2 bytes), then ShipTo's Street: cut inside it.
        var error = Assert.Throws<SerdeException>(() => AvroSerde<Order>.Instance.Deserialize(bytes.AsSpan(0, 40)));

        Assert.Equal("Address.Street", error.Field);
    }

    [Fact]
    public void A_corrupt_array_count_fails_before_allocating()
    {
        // TreeNode: label "" then the children array's block count: claim 2^31 items.
        byte[] corrupt = [0x00, 0x80, 0x80, 0x80, 0x80, 0x10];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<SerdeException>(() => AvroSerde<TreeNode>.Instance.Deserialize(corrupt));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "no array sized by the corrupt count");
        Assert.Equal("TreeNode.Children", error.Field);
        Assert.Contains("cannot fit", error.Message);
    }

    [Fact]
    public void Blocks_of_items_of_no_bytes_cannot_add_up_to_more_items_than_the_input_has_bytes()
    {
        // 1,500 blocks of 1,000 empty records, each block within the bytes left: 1.5 million items from 3 KB.
        var corrupt = Enumerable.Repeat<byte[]>([0xD0, 0x0F], 1_500).SelectMany(b => b).Append((byte)0).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<SerdeException>(() => AvroSerde<Markers>.Instance.Deserialize(corrupt));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024, "no collection out of proportion to the input");
        Assert.Equal("Markers.Items", error.Field);
        Assert.Contains("more items than the input has bytes (3001)", error.Message);
        Assert.Equal(6, error.ByteOffset); // three blocks (3,000 items) fit in 3,001 bytes; the fourth, at byte 6, does not
    }

    private static void ReadsOrFailsCleanly<T>(byte[] bytes) where T : IAvroRecord<T>
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            AvroSerde<T>.Instance.Deserialize(bytes);
        }
        catch (SerdeException error)
        {
            Assert.Equal(T.AvroFullName, error.TypeName);
            Assert.InRange(error.ByteOffset, 0, bytes.Length);
        }

        // Every allocation is bounded by the input: a few objects per byte at most.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024 + bytes.Length * 256L);
    }
}

public class AvroDecimalTests
{
    [Fact]
    public void A_decimal_beyond_the_schemas_precision_or_scale_is_not_written()
    {
        // Order.Total is decimal(12, 2).
        var order = AvroTopologyTests.NewOrder();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        var tooManyDigits = Assert.Throws<OverflowException>(() => AvroSerde<Order>.Instance.Serialize(order with { Total = 12345678901.5m }, buffer));
        Assert.Contains("more than 12 digits", tooManyDigits.Message);
        var tooManyPlaces = Assert.Throws<OverflowException>(() => AvroSerde<Order>.Instance.Serialize(order with { Total = 1.234m }, buffer));
        Assert.Contains("more than 2 decimal places", tooManyPlaces.Message);

        buffer.Clear();
        AvroSerde<Order>.Instance.Serialize(order with { Total = 9999999999.99m }, buffer);
        Assert.Equal(9999999999.99m, AvroSerde<Order>.Instance.Deserialize(buffer.WrittenSpan).Total);
    }
}
