using Streams.Generated.Serialization.Avro;

namespace Streams.Generated.Tests.Topologies;

[AvroRecord(Name = "Customer", Namespace = "enrichment")]
public partial record CustomerProfile(string Name, string Tier);

[AvroRecord(Name = "Order", Namespace = "enrichment")]
public partial record PlacedOrder(string Id, string CustomerId, string Item, int Quantity);

[AvroRecord(Name = "EnrichedOrder", Namespace = "enrichment")]
public partial record EnrichedOrder(string Id, string Item, int Quantity, string CustomerName, string Tier);

/// <summary>
/// Stream-table joins against one table of customers (keyed by customer id): orders re-keyed by customer (an inner
/// join through a repartition topic), payments keyed by customer (a left join straight from the topic, null keys
/// allowed), and page visits whose raw key bytes are the customer id (an inner join without a declared key).
/// </summary>
[Topology("order-enrichment")]
public static partial class OrderEnrichment
{
    public const string Orders = "orders";
    public const string Customers = "customers";
    public const string Payments = "payments";
    public const string Visits = "visits";
    public const string Enriched = "enriched-orders";
    public const string PaymentLines = "payment-lines";
    public const string Greetings = "greetings";

    /// <summary>Orders arrive keyed by order id: the join needs them keyed by customer id.</summary>
    [Processor(From = Orders)]
    public partial class ByCustomer
    {
        public void Process(string orderId, PlacedOrder order) => Out(order.CustomerId, order);

        [To(nameof(Enrich))] private partial void Out(string customerId, PlacedOrder order);
    }

    [Join(From = nameof(ByCustomer), Table = Customers, Store = "customers", To = Enriched)]
    public partial class Enrich
    {
        public EnrichedOrder Join(PlacedOrder order, CustomerProfile customer) =>
            new(order.Id, order.Item, order.Quantity, customer.Name, customer.Tier);
    }

    [Join(From = Payments, Table = Customers, Store = "customers-for-payments", Kind = JoinKind.Left, To = nameof(Line))]
    public partial class PaymentWithCustomer
    {
        public string Join(string? customerId, long cents, CustomerProfile? customer, in RecordContext context) =>
            $"{customer?.Name ?? "unknown customer " + (customerId ?? "(none)")} paid {cents} at offset {context.Offset}";
    }

    [Processor(From = nameof(PaymentWithCustomer))]
    public partial class Line
    {
        public void Process(string? customerId, string line) => Out(line);

        [To(PaymentLines)] private partial void Out(string line);
    }

    [Join(From = Visits, Table = Customers, Store = "customers-by-bytes", To = Greetings)]
    public partial class Greet
    {
        /// <summary>Static: the task calls it on the class and creates no instance.</summary>
        public static string Join(string page, CustomerProfile customer) => $"hello {customer.Name}, welcome to {page}";
    }
}
