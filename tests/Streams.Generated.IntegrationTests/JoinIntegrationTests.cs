using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Xunit.Abstractions;
using static Streams.Generated.IntegrationTests.KafkaTestHelpers;

namespace Streams.Generated.IntegrationTests;

/// <summary>Orders keyed by order id, re-keyed by customer and joined with the customers table.</summary>
[Topology("customer-orders")]
public static partial class CustomerOrders
{
    public const string Orders = "orders";
    public const string Customers = "customers";
    public const string Enriched = "enriched-orders";

    [Processor(From = Orders)]
    public partial class ByCustomer
    {
        public void Process(string orderId, string customerId) => Out(customerId, orderId);

        [To(nameof(Enrich))] private partial void Out(string customerId, string orderId);
    }

    [Join(From = nameof(ByCustomer), Table = Customers, Store = "customers", To = Enriched)]
    public partial class Enrich
    {
        public string Join(string orderId, string customerName) => $"{orderId} for {customerName}";
    }
}

/// <summary>Payments keyed by customer joined straight from their topic: needs it co-partitioned with the table.</summary>
[Topology("customer-payments")]
public static partial class CustomerPayments
{
    public const string Payments = "payments";

    [Join(From = Payments, Table = CustomerOrders.Customers, Store = "customers", To = "payment-lines")]
    public partial class WithName
    {
        public string Join(long cents, string customerName) => $"{customerName} paid {cents}";
    }
}

/// <summary>Stream-table joins on the embedded broker: co-partitioned through a repartition topic, a table read again after a restart.</summary>
public class JoinIntegrationTests(ITestOutputHelper output)
{
    private const long T0 = 1_700_000_000_000;

    [Fact]
    public async Task A_rekeyed_stream_joins_the_table_in_every_partition_and_a_restarted_app_reads_the_table_again()
    {
        using var kafka = EmbeddedKafka.Start();
        var (applicationId, customers) = WriteCustomers(kafka, orderPartitions: 2, customerPartitions: 3, count: 12);

        await using (var app = new StreamsApp(CustomerOrders.Definition, TestOptions(kafka, applicationId, output, "first")))
        {
            await app.StartAsync();
            Produce(kafka, CustomerOrders.Orders, T0 + 1_000, [.. Orders(customers, "o"), ("o-unknown", "nobody")]);
            var first = ReadValues(kafka, CustomerOrders.Enriched, 1, 12, Serdes.String);
            Assert.Equal(Joined(customers, "o"), first.Order());
            await app.StopAsync();
        }

        // The repartition topic in front of the join has the table's partition count, not the orders' (Kafka Streams' rule).
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            var topic = admin.GetMetadata(applicationId + "-Enrich-repartition", TimeSpan.FromSeconds(10)).Topics.Single();
            Assert.Equal(3, topic.Partitions.Count);
        }

        // A new app instance starts with empty stores: its tasks read the customers table from the beginning before
        // joining the new orders (which are newer than every customer record).
        await using (var app = new StreamsApp(CustomerOrders.Definition, TestOptions(kafka, applicationId, output, "second")))
        {
            await app.StartAsync();
            Produce(kafka, CustomerOrders.Orders, T0 + 2_000, Orders(customers, "p"));
            var all = ReadValues(kafka, CustomerOrders.Enriched, 1, 24, Serdes.String);
            Assert.Equal(Joined(customers, "p"), all.Skip(12).Order());
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Two_instances_split_the_join_tasks_and_the_one_left_takes_over_reading_the_moved_tables_again()
    {
        using var kafka = EmbeddedKafka.Start();
        var (applicationId, customers) = WriteCustomers(kafka, orderPartitions: 4, customerPartitions: 4, count: 40);

        await using var first = new StreamsApp(CustomerOrders.Definition, TestOptions(kafka, applicationId, output, "first"));
        await using var second = new StreamsApp(CustomerOrders.Definition, TestOptions(kafka, applicationId, output, "second"));
        await first.StartAsync();
        await WaitUntil(() => first.State == StreamsState.Running, () => $"first {first.State}");
        await second.StartAsync();
        string[] allTasks = [.. Enumerable.Range(0, 2).SelectMany(s => Enumerable.Range(0, 4).Select(p => $"{s}_{p}"))];
        await WaitUntil(() => first.State == StreamsState.Running && second.State == StreamsState.Running
            && first.AssignedTasks.Any(t => t.StartsWith("1_")) && second.AssignedTasks.Any(t => t.StartsWith("1_"))
            && first.AssignedTasks.Concat(second.AssignedTasks).Order().SequenceEqual(allTasks),
            () => $"first [{string.Join(",", first.AssignedTasks)}], second [{string.Join(",", second.AssignedTasks)}]");
        output.WriteLine($"first owns {string.Join(",", first.AssignedTasks)}; second owns {string.Join(",", second.AssignedTasks)}");

        // Each instance joins the partitions it owns: the range assignor gives it the same numbers of both topics.
        Produce(kafka, CustomerOrders.Orders, T0 + 1_000, Orders(customers, "o"));
        var before = ReadValues(kafka, CustomerOrders.Enriched, 1, 40, Serdes.String);
        Assert.Equal(Joined(customers, "o"), before.Order());

        await second.StopAsync();
        await WaitUntil(() => first.State == StreamsState.Running && first.AssignedTasks.SequenceEqual(allTasks),
            () => $"first {first.State} [{string.Join(",", first.AssignedTasks)}]");

        // The join tasks that moved start with empty stores: they read their customers partitions again before joining.
        Produce(kafka, CustomerOrders.Orders, T0 + 2_000, Orders(customers, "p"));
        var all = ReadValues(kafka, CustomerOrders.Enriched, 1, 80, Serdes.String);
        Assert.Equal(Joined(customers, "p"), all.Skip(40).Order());
    }

    [Fact]
    public async Task Join_inputs_with_different_partition_counts_fail_start_naming_both_topics()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(CustomerPayments.Payments, 2);
        kafka.CreateTopic(CustomerOrders.Customers, 3);
        await using var app = new StreamsApp(CustomerPayments.Definition, TestOptions(kafka, "payments-" + Guid.NewGuid().ToString("N")[..8], output, "app"));

        var error = await Assert.ThrowsAsync<StreamsException>(() => app.StartAsync());

        output.WriteLine(error.Message);
        Assert.Contains("'payments' (2 partitions)", error.Message);
        Assert.Contains("'customers' (3 partitions)", error.Message);
        Assert.Contains("not co-partitioned", error.Message);
    }

    /// <summary>Creates the topics of <see cref="CustomerOrders"/> and writes customers c0..c{count-1} (named name0...) at T0.</summary>
    private static (string ApplicationId, (string Id, string Name)[] Customers) WriteCustomers(EmbeddedKafka kafka, int orderPartitions,
        int customerPartitions, int count)
    {
        kafka.CreateTopic(CustomerOrders.Orders, orderPartitions);
        kafka.CreateTopic(CustomerOrders.Customers, customerPartitions);
        kafka.CreateTopic(CustomerOrders.Enriched, 1);
        var customers = Enumerable.Range(0, count).Select(i => ($"c{i}", $"name{i}")).ToArray();
        Produce(kafka, CustomerOrders.Customers, T0, customers);
        return ("joins-" + Guid.NewGuid().ToString("N")[..8], customers);
    }

    /// <summary>One order per customer, keyed by order id ({prefix}{i}), valued by the customer id.</summary>
    private static (string Key, string Value)[] Orders((string Id, string Name)[] customers, string prefix) =>
        customers.Select((c, i) => ($"{prefix}{i}", c.Id)).ToArray();

    /// <summary>What the join makes of <see cref="Orders"/>, in order.</summary>
    private static IEnumerable<string> Joined((string Id, string Name)[] customers, string prefix) =>
        customers.Select((c, i) => $"{prefix}{i} for {c.Name}").Order();

    private static void Produce(EmbeddedKafka kafka, string topic, long timestamp, (string Key, string Value)[] records)
    {
        // Partitioned as Kafka's Java clients and the runtime's repartition topics are (murmur2): librdkafka's default,
        // CRC32, would put a customer in another partition than its re-keyed orders.
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        foreach (var (key, value) in records)
            producer.Produce(topic, new Message<string, string> { Key = key, Value = value, Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }
}
