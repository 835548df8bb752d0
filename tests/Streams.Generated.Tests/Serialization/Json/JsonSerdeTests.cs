using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Json;
using Streams.Generated.Testing;
using Streams.Generated.Tests.Driver;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Serialization.Json;

public class JsonSerdeTests
{
    [Fact]
    public void Json_values_are_read_from_and_written_to_topics()
    {
        var driver = new TopologyTestDriver(ActiveItems.Definition);
        var input = driver.CreateInputTopic(ActiveItems.Input, Serdes.String, JsonSerde<JsonFlat>.Instance);
        var output = driver.CreateOutputTopic(ActiveItems.Output, Serdes.String, Serdes.String);

        input.PipeInput("a", new JsonFlat(1, 2, 3.5, 0.5f, true, "lamp"));
        input.PipeInput("b", new JsonFlat(2, 2, 3.5, 0.5f, false, "sofa"));

        var written = Assert.Single(output.ReadKeyValuesToList());
        Assert.Equal("a", written.Key);
        Assert.Equal("""{"Id":1,"Timestamp":2,"Price":3.5,"Ratio":0.5,"Active":true,"Name":"LAMP"}""", written.Value);
    }

    [Fact]
    public void A_corrupt_Json_value_names_the_record_type_field_and_offset()
    {
        var driver = new TopologyTestDriver(ActiveItems.Definition);
        var error = Assert.Throws<SerdeException>(() => driver.PipeInput(ActiveItems.Input, Serdes.String.ToBytes("k"), """{"Id":1,"Active":"yes"}"""u8.ToArray()));

        Assert.Equal(("JsonFlat.Active", 17), (error.Field, error.ByteOffset));
        Assert.Contains("expected true or false, got a string", error.Message);
    }

    private static readonly Gen<byte[]> RandomBytes = Gen.OneOf(
        Gen.Choose(0, 100).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)),
        JsonGenerators.Order.Select(o => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(o))
            .SelectMany(b => Gen.Choose(0, b.Length - 1).Select(i => { b[i] = (byte)(b[i] ^ 0x5A); return b; })));

    [Property(MaxTest = 500)]
    public Property Random_and_mutated_bytes_either_read_or_fail_with_a_SerdeException() =>
        Prop.ForAll(RandomBytes.ToArbitrary(), bytes =>
        {
            try
            {
                JsonSerde<JsonOrder>.Instance.Deserialize(bytes);
                JsonSerde<JsonSettings>.Instance.Deserialize(bytes);
            }
            catch (SerdeException error)
            {
                Assert.InRange(error.ByteOffset, 0, bytes.Length);
            }
        });
}

[Collection(nameof(AllocationTests))]
public class JsonAllocationTests
{
    [Fact]
    public void Serializing_a_record_allocates_nothing_in_steady_state()
    {
        // Strings that need escaping (quotes, non-ASCII, a surrogate pair), a map, nulls, every value kind.
        var order = new JsonOrder(Guid.NewGuid(), "c \"quoted\" <é> 🚀", new JsonAddress("s", "c", 1), null, [new JsonLine("x", 1, 2.5m), new JsonLine("y\n", -2, -0.001m)],
            new() { ["k"] = "v", ["ключ"] = "значение" }, Avro.Status.Shipped, new DateOnly(2026, 11, 25), DateTimeOffset.UnixEpoch.AddTicks(1_234_500), "n", [1, 2], [3], 9.99m, "e");
        var flat = new JsonFlat(-7, long.MinValue, double.Epsilon, float.MaxValue, true, "plain");
        var buffer = new ArrayBufferWriter<byte>(4096);
        for (var i = 0; i < 1000; i++)
        {
            Write(order, flat, buffer);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Write(order, flat, buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Write(JsonOrder order, JsonFlat flat, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        JsonSerde<JsonOrder>.Instance.Serialize(order, buffer);
        JsonSerde<JsonFlat>.Instance.Serialize(flat, buffer);
    }
}
