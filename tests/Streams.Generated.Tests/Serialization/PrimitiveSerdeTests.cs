using Streams.Generated.Serialization;

namespace Streams.Generated.Tests.Serialization;

/// <summary>The expected bytes are what Kafka's Java serializers write for the same values.</summary>
public class PrimitiveSerdeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("kafka", "6B 61 66 6B 61")]
    [InlineData("héllo €", "68 C3 A9 6C 6C 6F 20 E2 82 AC")]
    public void String_is_utf8(string value, string hex)
    {
        Assert.Equal(hex, Hex(Serdes.String.ToBytes(value)));
        Assert.Equal(value, Serdes.String.Deserialize(Convert.FromHexString(hex.Replace(" ", ""))));
    }

    [Theory]
    [InlineData(0, "00 00 00 00")]
    [InlineData(1, "00 00 00 01")]
    [InlineData(-2, "FF FF FF FE")]
    [InlineData(int.MaxValue, "7F FF FF FF")]
    [InlineData(int.MinValue, "80 00 00 00")]
    public void Int32_is_big_endian(int value, string hex)
    {
        Assert.Equal(hex, Hex(Serdes.Int32.ToBytes(value)));
        Assert.Equal(value, Serdes.Int32.Deserialize(Serdes.Int32.ToBytes(value)));
    }

    [Theory]
    [InlineData(1L, "00 00 00 00 00 00 00 01")]
    [InlineData(-1L, "FF FF FF FF FF FF FF FF")]
    [InlineData(0x0102030405060708L, "01 02 03 04 05 06 07 08")]
    [InlineData(long.MinValue, "80 00 00 00 00 00 00 00")]
    public void Int64_is_big_endian(long value, string hex)
    {
        Assert.Equal(hex, Hex(Serdes.Int64.ToBytes(value)));
        Assert.Equal(value, Serdes.Int64.Deserialize(Serdes.Int64.ToBytes(value)));
    }

    [Theory]
    [InlineData(1.5, "3F F8 00 00 00 00 00 00")]
    [InlineData(-2.0, "C0 00 00 00 00 00 00 00")]
    [InlineData(double.PositiveInfinity, "7F F0 00 00 00 00 00 00")]
    public void Double_is_big_endian_ieee754(double value, string hex)
    {
        Assert.Equal(hex, Hex(Serdes.Double.ToBytes(value)));
        Assert.Equal(value, Serdes.Double.Deserialize(Serdes.Double.ToBytes(value)));
    }

    [Theory]
    [InlineData(true, "01")]
    [InlineData(false, "00")]
    public void Boolean_is_one_byte(bool value, string hex)
    {
        Assert.Equal(hex, Hex(Serdes.Boolean.ToBytes(value)));
        Assert.Equal(value, Serdes.Boolean.Deserialize(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Boolean_rejects_other_bytes()
    {
        var error = Assert.Throws<SerdeException>(() => Serdes.Boolean.Deserialize([2]));
        Assert.Equal("bool", error.TypeName);
        Assert.Contains("expected 0 or 1, got 2", error.Message);
    }

    [Theory]
    [InlineData((short)1, "00 01")]
    [InlineData((short)-2, "FF FE")]
    [InlineData(short.MinValue, "80 00")]
    public void Int16_is_big_endian(short value, string hex)
    {
        Assert.Equal(hex, Hex(Serdes.Int16.ToBytes(value)));
        Assert.Equal(value, Serdes.Int16.Deserialize(Serdes.Int16.ToBytes(value)));
    }

    [Theory]
    [InlineData(1.5f, "3F C0 00 00")]
    [InlineData(-2f, "C0 00 00 00")]
    [InlineData(float.NegativeInfinity, "FF 80 00 00")]
    public void Single_is_big_endian_ieee754(float value, string hex)
    {
        Assert.Equal(hex, Hex(Serdes.Single.ToBytes(value)));
        Assert.Equal(value, Serdes.Single.Deserialize(Serdes.Single.ToBytes(value)));
    }

    [Fact]
    public void Guid_is_the_lower_case_text_form_in_utf8_as_UUIDSerializer_writes_it()
    {
        var value = Guid.Parse("123E4567-E89B-12D3-A456-426614174000");
        Assert.Equal("123e4567-e89b-12d3-a456-426614174000", System.Text.Encoding.UTF8.GetString(Serdes.Guid.ToBytes(value)));
        Assert.Equal(value, Serdes.Guid.Deserialize("123E4567-E89B-12D3-A456-426614174000"u8));
        Assert.Throws<SerdeException>(() => Serdes.Guid.Deserialize("123e4567-e89b-12d3-a456-42661417400z"u8));
        Assert.Throws<SerdeException>(() => Serdes.Guid.Deserialize("123e4567"u8));
    }

    [Fact]
    public void ByteMemory_is_the_bytes_themselves_copied_out_of_the_input()
    {
        byte[] bytes = [9, 8, 7];
        Assert.Equal(bytes, Serdes.ByteMemory.ToBytes(bytes));
        var read = Serdes.ByteMemory.Deserialize(bytes);
        bytes[0] = 0;
        Assert.Equal([9, 8, 7], read.ToArray());
    }

    [Fact]
    public void ByteArray_is_the_bytes_themselves()
    {
        byte[] bytes = [0, 1, 254, 255];
        Assert.Equal(bytes, Serdes.ByteArray.ToBytes(bytes));
        Assert.Equal(bytes, Serdes.ByteArray.Deserialize(bytes));
    }

    [Fact]
    public void Three_bytes_read_as_long_name_the_type_and_sizes()
    {
        var error = Assert.Throws<SerdeException>(() => Serdes.Int64.Deserialize(new byte[3]));
        Assert.Equal("long", error.TypeName);
        Assert.Equal(3, error.Length);
        Assert.Contains("expected exactly 8 bytes, got 3", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Wrong_size_int_is_a_serde_exception(int length)
    {
        var error = Assert.Throws<SerdeException>(() => Serdes.Int32.Deserialize(new byte[length]));
        Assert.Equal("int", error.TypeName);
    }

    [Fact]
    public void Invalid_utf8_is_a_serde_exception_with_the_offset()
    {
        var error = Assert.Throws<SerdeException>(() => Serdes.String.Deserialize([0x61, 0x62, 0xFF, 0x63]));
        Assert.Equal("string", error.TypeName);
        Assert.Equal(2, error.ByteOffset);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).Chunk(2).Aggregate("", (s, c) => s.Length == 0 ? new string(c) : s + " " + new string(c));
}
