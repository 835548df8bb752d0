using Streams.Generated.Tests.Serialization.Avro;

namespace Streams.Generated.Tests.Topologies;

/// <summary>An [AvroRecord] as the key of a repartition topic and of a count's store: re-key orders by address, count.</summary>
[Topology("orders-per-address")]
public static partial class OrdersPerAddress
{
    public const string Input = "orders";
    public const string Output = "orders-per-address";

    [Processor(From = Input)]
    public partial class ByAddress
    {
        public void Process(string customer, Order order) => ShipTo(order.ShipTo, order.Id.ToString());

        [To(nameof(Count))] private partial void ShipTo(Address key, string value);
    }

    [Count(From = nameof(ByAddress), Store = "per-address", To = Output)]
    public partial class Count;
}
