using System.Buffers;
using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Avro;
using Streams.Generated.Testing;
using Streams.Generated.Tests.Driver;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Serialization.Avro;

/// <summary>A topology whose topics carry [AvroRecord] types: the generated code picks AvroSerde with no wiring.</summary>
public class AvroTopologyTests
{
    private static readonly Address Home = new("1 Main St", "Springfield", 12345);

    [Fact]
    public void Avro_values_are_read_from_and_written_to_topics()
    {
        var driver = new TopologyTestDriver(OrderRouting.Definition);
        var input = driver.CreateInputTopic(OrderRouting.Input, Serdes.String, AvroSerde<Order>.Instance);
        var output = driver.CreateOutputTopic(OrderRouting.Output, Serdes.String, AvroSerde<Line>.Instance);

        input.PipeInput("alice", NewOrder(new Line("lamp", 2, 25.5m), new Line("sofa", 1, 1999.99m)));
        input.PipeInput("bob", NewOrder(new Line("tv", 3, 400m)));

        Assert.Equal(
            [new KeyValuePair<string?, Line?>("alice", new Line("sofa", 1, 1999.99m)), new("bob", new Line("tv", 3, 400m))],
            output.ReadKeyValuesToList());
    }

    [Fact]
    public void A_corrupt_Avro_value_names_the_record_type_field_and_offset()
    {
        var driver = new TopologyTestDriver(OrderRouting.Definition);
        var input = driver.CreateInputTopic(OrderRouting.Input, Serdes.String, Serdes.ByteArray);

        var error = Assert.Throws<SerdeException>(() => input.PipeInput("carol", [0x01, 0x02]));

        Assert.Equal(Order.AvroFullName, error.TypeName);
        Assert.Equal("Order.Id", error.Field);
    }

    internal static Order NewOrder(params Line[] lines) => new(Guid.NewGuid(), "c", Home, null, lines, [], Status.Pending,
        new DateOnly(2026, 11, 24), DateTimeOffset.UnixEpoch, null, [], [], DateTimeOffset.UnixEpoch, 0m);
}

[Collection(nameof(AllocationTests))]
public class AvroAllocationTests
{
    [Fact]
    public void Serializing_a_record_allocates_nothing_and_reading_allocates_only_its_objects()
    {
        var order = AvroTopologyTests.NewOrder(new Line("lamp", 2, 25.5m), new Line("sofa", 1, 1999.99m)) with
        {
            Tags = new() { ["gift"] = "yes" },
            Scores = [1, 2, 3],
        };
        var buffer = new ArrayBufferWriter<byte>(4096);
        for (var i = 0; i < 1000; i++)
        {
            buffer.ResetWrittenCount();
            AvroSerde<Order>.Instance.Serialize(order, buffer);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            buffer.ResetWrittenCount();
            AvroSerde<Order>.Instance.Serialize(order, buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public class AvroRepartitionTests
{
    [Fact]
    public void An_Avro_key_crosses_the_repartition_topic_and_groups_the_count()
    {
        var driver = new TopologyTestDriver(OrdersPerAddress.Definition);
        var input = driver.CreateInputTopic(OrdersPerAddress.Input, Serdes.String, AvroSerde<Order>.Instance);
        var output = driver.CreateOutputTopic(OrdersPerAddress.Output, AvroSerde<Address>.Instance, Serdes.Int64);
        var home = new Address("1 Main St", "Springfield", 12345);
        var work = new Address("2 Side St", "Shelbyville", null);

        input.PipeInput("a", AvroTopologyTests.NewOrder() with { ShipTo = home });
        input.PipeInput("b", AvroTopologyTests.NewOrder() with { ShipTo = work });
        input.PipeInput("c", AvroTopologyTests.NewOrder() with { ShipTo = home with { } }); // equal, not the same instance

        Assert.Equal([new KeyValuePair<Address?, long>(home, 1), new(work, 1), new(home, 2)], output.ReadKeyValuesToList());
        // The key reached the count through the internal repartition topic, serialized with AvroSerde<Address>.
        Assert.Equal(2, OrdersPerAddress.Definition.Subtopologies.Count);
        Assert.Contains(OrdersPerAddress.Definition.Subtopologies[0].Sinks, sink => sink.IsInternal);
    }
}
