using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Avro;
using Streams.Generated.Testing;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Driver;

/// <summary>Stream-table joins (inner, left, raw keys, tombstones, null keys) through the generated code of <see cref="OrderEnrichment"/>.</summary>
public class JoinDriverTests : IDisposable
{
    private readonly TopologyTestDriver _driver = new(OrderEnrichment.Definition);
    private readonly TestInputTopic<string, CustomerProfile> _customers;
    private readonly TestInputTopic<string, PlacedOrder> _orders;
    private readonly TestOutputTopic<string, EnrichedOrder> _enriched;

    public JoinDriverTests()
    {
        _customers = _driver.CreateInputTopic(OrderEnrichment.Customers, Serdes.String, AvroSerde<CustomerProfile>.Instance);
        _orders = _driver.CreateInputTopic(OrderEnrichment.Orders, Serdes.String, AvroSerde<PlacedOrder>.Instance);
        _enriched = _driver.CreateOutputTopic(OrderEnrichment.Enriched, Serdes.String, AvroSerde<EnrichedOrder>.Instance);
    }

    public void Dispose() => _driver.Dispose();

    [Fact]
    public void Inner_join_emits_for_matching_keys_only_with_the_stream_key_and_timestamp()
    {
        _customers.PipeInput("c1", new CustomerProfile("Ada", "gold"), 10);
        _orders.PipeInput("o1", new PlacedOrder("o1", "c1", "book", 2), 20);
        _orders.PipeInput("o2", new PlacedOrder("o2", "c9", "pen", 1), 30); // no customer c9: nothing

        // Re-keyed by customer (through the repartition topic): the result carries the stream record's key and timestamp.
        Assert.Equal([new TestRecord<string, EnrichedOrder>("c1", new EnrichedOrder("o1", "book", 2, "Ada", "gold"), 20)],
            ReadAll(_enriched));
        Assert.Empty(_driver.DroppedRecords); // no match is not a drop: an inner join has nothing to say
    }

    [Fact]
    public void Table_updates_and_tombstones_change_what_later_records_join_with_and_emit_nothing()
    {
        _customers.PipeInput("c1", new CustomerProfile("Ada", "gold"), 10);
        _orders.PipeInput("o1", new PlacedOrder("o1", "c1", "book", 1), 20);
        _customers.PipeInput("c1", new CustomerProfile("Ada", "platinum"), 30);
        _orders.PipeInput("o2", new PlacedOrder("o2", "c1", "lamp", 1), 40);
        _customers.PipeInput("c1", null!, 50); // tombstone: c1 leaves the table
        _orders.PipeInput("o3", new PlacedOrder("o3", "c1", "desk", 1), 60);

        Assert.Equal(["gold", "platinum"], ReadAll(_enriched).Select(r => r.Value!.Tier));
        Assert.False(_driver.GetKeyValueStore<string, CustomerProfile>("customers").TryGet("c1", out _));
    }

    [Fact]
    public void The_table_store_is_queryable()
    {
        _customers.PipeInput("c1", new CustomerProfile("Ada", "gold"));
        _customers.PipeInput("c2", new CustomerProfile("Bob", "silver"));

        var store = _driver.GetKeyValueStore<string, CustomerProfile>("customers");
        Assert.Equal(new CustomerProfile("Bob", "silver"), store.Get("c2"));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Left_join_emits_for_every_stream_record_with_a_null_right_side_when_the_table_has_no_value()
    {
        var payments = _driver.CreateInputTopic(OrderEnrichment.Payments, Serdes.String, Serdes.Int64);
        var lines = _driver.CreateOutputTopic(OrderEnrichment.PaymentLines, Serdes.String, Serdes.String);
        _customers.PipeInput("c1", new CustomerProfile("Ada", "gold"));

        payments.PipeInput("c1", 500);
        payments.PipeInput("c2", 700);
        payments.PipeInput(900); // a null key: joined with no customer (a left join keeps it, KIP-962)

        Assert.Equal(
        [
            new("c1", "Ada paid 500 at offset 0"),
            new("c2", "unknown customer c2 paid 700 at offset 1"),
            new(null, "unknown customer (none) paid 900 at offset 2"),
        ], lines.ReadKeyValuesToList());
        Assert.Empty(_driver.DroppedRecords);
    }

    [Fact]
    public void A_join_without_a_declared_key_matches_raw_key_bytes()
    {
        var visits = _driver.CreateInputTopic(OrderEnrichment.Visits, Serdes.String, Serdes.String);
        var greetings = _driver.CreateOutputTopic(OrderEnrichment.Greetings, Serdes.String, Serdes.String);
        _customers.PipeInput("c1", new CustomerProfile("Ada", "gold"));

        visits.PipeInput("c1", "/home");
        visits.PipeInput("c2", "/shop");

        Assert.Equal([new("c1", "hello Ada, welcome to /home")], greetings.ReadKeyValuesToList());
    }

    [Fact]
    public void Records_without_a_key_are_dropped_and_reported_by_an_inner_join_and_by_the_table()
    {
        var visits = _driver.CreateInputTopic(OrderEnrichment.Visits, Serdes.String, Serdes.String);
        var greetings = _driver.CreateOutputTopic(OrderEnrichment.Greetings, Serdes.String, Serdes.String);

        visits.PipeInput("/home", 5); // no key: nothing to look up
        _customers.PipeInput(new CustomerProfile("Nobody", "none"), 6); // no key: no place in the table

        Assert.True(greetings.IsEmpty);
        Assert.Equal(
        [
            ("Greet", OrderEnrichment.Visits, "null key: an inner join looks stream records up by key"),
            ("Enrich", OrderEnrichment.Customers, "null key: a record of table 'customers' needs a key"),
            ("PaymentWithCustomer", OrderEnrichment.Customers, "null key: a record of table 'customers' needs a key"),
            ("Greet", OrderEnrichment.Customers, "null key: a record of table 'customers' needs a key"),
        ], _driver.DroppedRecords.Select(d => (d.Processor, d.Record.Topic, d.Reason)));
        Assert.Equal(0, _driver.GetKeyValueStore<string, CustomerProfile>("customers").Count);
    }

    [Fact]
    public void A_stream_record_without_a_value_is_dropped_and_reported_not_an_error()
    {
        _customers.PipeInput("c1", new CustomerProfile("Ada", "gold"));
        var greetings = _driver.CreateOutputTopic(OrderEnrichment.Greetings, Serdes.String, Serdes.String);

        _driver.PipeInput(OrderEnrichment.Visits, Serdes.String.ToBytes("c1"), null, 7);

        Assert.True(greetings.IsEmpty);
        Assert.Equal([("Greet", 7L, "null value: a join ignores stream records without a value")],
            _driver.DroppedRecords.Select(d => (d.Processor, d.Record.Timestamp, d.Reason)));
    }

    [Fact]
    public void A_table_value_that_cannot_be_read_fails_with_a_serde_exception_naming_the_type()
    {
        // Two bytes of a string length (a zig-zag varint) promising more than there is: the runtime applies its error policy.
        var error = Assert.Throws<SerdeException>(() => _driver.PipeInput(OrderEnrichment.Customers, Serdes.String.ToBytes("c1"), [0x0A, 0x41]));

        Assert.Equal("enrichment.Customer", error.TypeName); // the Avro record name
        Assert.Equal(0, _driver.GetKeyValueStore<string, CustomerProfile>("customers").Count);
    }

    [Fact]
    public void The_description_shows_the_table_and_both_sides_in_one_sub_topology()
    {
        Assert.Contains("Source: customers-source (topics: [customers])", OrderEnrichment.DescriptionText);
        Assert.Contains("-->|table| n_Enrich", OrderEnrichment.MermaidText);
        Assert.Contains("join table customers, store: customers", OrderEnrichment.MermaidText);
        Assert.Contains("left join table customers", OrderEnrichment.MermaidText);
        var joins = OrderEnrichment.Definition.Subtopologies[1];
        Assert.Equal(["Enrich-repartition", "customers", "payments", "visits"], joins.Sources.Select(s => s.Name));
        Assert.Equal([false, true, false, false], joins.Sources.Select(s => s.IsTable));
        Assert.Equal([[0, 1, 2, 3]], joins.CopartitionGroups.Select(g => g.ToArray()));
    }

    private static List<TestRecord<string, EnrichedOrder>> ReadAll(TestOutputTopic<string, EnrichedOrder> topic)
    {
        var records = new List<TestRecord<string, EnrichedOrder>>();
        while (!topic.IsEmpty) records.Add(topic.ReadRecord());
        return records;
    }
}
