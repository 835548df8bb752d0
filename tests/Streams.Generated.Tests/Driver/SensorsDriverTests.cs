using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Driver;

public class SensorsDriverTests
{
    [Fact]
    public void Guid_float_short_bool_and_memory_cross_topics_with_Kafkas_primitive_serdes()
    {
        var driver = new TopologyTestDriver(Sensors.Definition);
        var input = driver.CreateInputTopic(Sensors.Readings, Serdes.Guid, Serdes.Single);
        var alarms = driver.CreateOutputTopic(Sensors.Alarms, Serdes.Int16, Serdes.Boolean);
        var raw = driver.CreateOutputTopic(Sensors.Raw, Serdes.Guid, Serdes.ByteMemory);
        var sensor = Guid.Parse("6f1c1d2e-0000-4000-8000-000000000001");

        input.PipeInput(sensor, 91.5f);
        input.PipeInput(sensor, 20f);

        var zone = (short)(sensor.GetHashCode() & 0x7FFF);
        Assert.Equal([new KeyValuePair<short, bool>(zone, true), new(zone, false)], alarms.ReadKeyValuesToList());
        var copies = raw.ReadKeyValuesToList();
        Assert.Equal([sensor, sensor], copies.Select(c => c.Key));
        Assert.Equal(91.5f, BitConverter.ToSingle(copies[0].Value.Span));
    }

    [Fact]
    public void A_null_float_value_reaches_the_nullable_parameter_as_null()
    {
        var driver = new TopologyTestDriver(Sensors.Definition);
        driver.PipeInput(Sensors.Readings, Serdes.Guid.ToBytes(Guid.Empty), null);

        var alarms = driver.CreateOutputTopic(Sensors.Alarms, Serdes.Int16, Serdes.Boolean);
        Assert.False(Assert.Single(alarms.ReadKeyValuesToList()).Value);
    }
}
