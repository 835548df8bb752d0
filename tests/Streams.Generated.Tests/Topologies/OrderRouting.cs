using Streams.Generated.Tests.Serialization.Avro;

namespace Streams.Generated.Tests.Topologies;

/// <summary>Avro records at topic boundaries: read Orders, route the big ones as a smaller Avro record.</summary>
[Topology("order-routing")]
public static partial class OrderRouting
{
    public const string Input = "orders";
    public const string Output = "large-order-lines";

    [Processor(From = Input)]
    public partial class RouteLarge
    {
        public void Process(string customer, Order order)
        {
            foreach (var line in order.Lines)
                if (line.UnitPrice * line.Quantity >= 1000m) Large(line);
        }

        [To(Output)] private partial void Large(Line value);
    }
}
