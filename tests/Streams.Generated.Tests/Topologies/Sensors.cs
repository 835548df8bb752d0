namespace Streams.Generated.Tests.Topologies;

/// <summary>Kafka's other primitive formats at topic boundaries: Guid and float in, short and bool out, bytes through.</summary>
[Topology("sensors")]
public static partial class Sensors
{
    public const string Readings = "readings";
    public const string Alarms = "alarms";
    public const string Raw = "raw-readings";

    [Processor(From = Readings)]
    public partial class Check
    {
        public void Process(Guid sensor, float? celsius)
        {
            Alarm((short)(sensor.GetHashCode() & 0x7FFF), celsius is > 80f);
            Copy(sensor, new ReadOnlyMemory<byte>(BitConverter.GetBytes(celsius ?? float.NaN)));
        }

        [To(Alarms)] private partial void Alarm(short zone, bool hot);
        [To(Raw)] private partial void Copy(Guid key, ReadOnlyMemory<byte> value);
    }
}
