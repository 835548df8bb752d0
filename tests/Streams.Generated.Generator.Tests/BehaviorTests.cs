using System.Buffers.Binary;
using System.Globalization;
using Streams.Generated.Generator.Tests.Infrastructure;
using Streams.Generated.Serialization;
using Streams.Generated.Topology;
using Serde = Streams.Generated.Serialization.Serdes;

namespace Streams.Generated.Generator.Tests;

/// <summary>Compiles <see cref="Sources.Behaviors"/> once and runs its generated tasks.</summary>
public sealed class BehaviorsFixture : IDisposable
{
    public LoadedAssembly Loaded { get; } = CSharpGeneratorRunner.CompileAndLoad(Sources.Behaviors);

    public void Dispose() => Loaded.Dispose();
}

public class BehaviorTests(BehaviorsFixture fixture) : IClassFixture<BehaviorsFixture>
{
    private (ITopologyTask Task, RecordingCollector Collector) CreateTask(string topology, int subtopology = 0, string applicationId = "app",
        IServiceProvider? services = null)
    {
        var collector = new RecordingCollector();
        var definition = fixture.Loaded.Definition("Samples.Behaviors." + topology);
        return (definition.Subtopologies[subtopology].CreateTask(new TaskContext(applicationId, subtopology, 0, collector, services)), collector);
    }

    private static byte[] Bytes(string value) => Serde.String.ToBytes(value);

    [Fact]
    public void Process_gets_the_record_context_and_outputs_inherit_the_timestamp()
    {
        var (task, collector) = CreateTask("WithContext");
        task.Process(0, new ConsumedRecord("in", 4, 42, 1_700_000_000_000, null, Bytes("v")));

        var sent = Assert.Single(collector.Sent);
        Assert.Equal("out", sent.Topic);
        Assert.Equal("in/4/42/1700000000000:v", Serde.String.Deserialize(sent.Value!));
        Assert.Equal(1_700_000_000_000, sent.Timestamp);
        Assert.Null(sent.Key); // the nullable key was null and is kept
    }

    [Fact]
    public void A_count_reading_a_topic_groups_by_the_key_bytes_and_writes_them_unchanged()
    {
        var (task, collector) = CreateTask("RawCount");
        byte[] user = [0x00, 0xFF, 0x10];
        task.Process(0, new ConsumedRecord("clicks", 0, 0, 1, user, Bytes("a")));
        task.Process(0, new ConsumedRecord("clicks", 0, 1, 2, [0x01], null));
        task.Process(0, new ConsumedRecord("clicks", 0, 2, 3, [.. user], Bytes("b"))); // equal bytes, another array

        Assert.Equal([1L, 1L, 2L], collector.Sent.Select(s => Serde.Int64.Deserialize(s.Value!)));
        Assert.Equal(user, collector.Sent[2].Key);
        Assert.All(collector.Sent, s => Assert.Equal("click-counts", s.Topic));
        var error = Assert.Throws<SerdeException>(() => task.Process(0, new ConsumedRecord("clicks", 0, 3, 4, null, Bytes("c"))));
        Assert.Contains("key", error.Message);
    }

    [Fact]
    public void A_task_disposes_its_disposable_processors_when_it_closes()
    {
        var (task, _) = CreateTask("Disposing");
        var disposed = fixture.Loaded.StaticField<int>("Samples.Behaviors.Disposing", "Disposed");
        Assert.IsAssignableFrom<IDisposable>(task).Dispose();
        Assert.Equal(disposed + 1, fixture.Loaded.StaticField<int>("Samples.Behaviors.Disposing", "Disposed"));

        var (plain, _) = CreateTask("MemNull");
        Assert.False(plain is IDisposable); // no disposable processor, no Dispose
    }

    [Fact]
    public void A_tombstone_reaches_a_nullable_memory_parameter_as_null_and_empty_bytes_as_empty()
    {
        // C# turns "cond ? memory : null" into empty memory (through byte[]): the generated code must not.
        var (task, collector) = CreateTask("MemNull");
        task.Process(0, new ConsumedRecord("mem-in", 0, 0, 1, null, (byte[]?)null));
        task.Process(0, new ConsumedRecord("mem-in", 0, 1, 1, null, []));
        Assert.Equal(["null", "len0"], collector.Sent.Select(s => Serde.String.Deserialize(s.Value!)));
    }

    [Fact]
    public void A_null_value_for_a_non_nullable_parameter_is_a_serde_exception()
    {
        var (task, _) = CreateTask("Nulls");
        var error = Assert.Throws<SerdeException>(() => task.Process(0, new ConsumedRecord("strict", 0, 0, 0, Bytes("k"), null)));
        Assert.Equal("int", error.TypeName);
        Assert.Contains("value", error.Message);
    }

    [Fact]
    public void A_null_key_for_a_non_nullable_parameter_is_a_serde_exception()
    {
        var (task, _) = CreateTask("Nulls");
        var error = Assert.Throws<SerdeException>(() => task.Process(0, new ConsumedRecord("strict", 0, 0, 0, null, Serde.Int32.ToBytes(1))));
        Assert.Equal("string", error.TypeName);
        Assert.Contains("key", error.Message);
    }

    [Fact]
    public void Wrong_sized_input_is_a_serde_exception()
    {
        var (task, _) = CreateTask("Nulls");
        var error = Assert.Throws<SerdeException>(() => task.Process(0, new ConsumedRecord("strict", 0, 0, 0, Bytes("k"), [1, 2])));
        Assert.Equal("int", error.TypeName);
    }

    [Fact]
    public void Nullable_parameters_receive_null_and_null_is_written_as_null()
    {
        // Unconnected nodes reading different topics are separate sub-topologies.
        var (task, collector) = CreateTask("Nulls", 1);
        task.Process(0, new ConsumedRecord("lenient", 0, 0, 5, Bytes("k"), null));
        task.Process(0, new ConsumedRecord("lenient", 0, 1, 6, Bytes("k"), Serde.Int32.ToBytes(-2)));

        Assert.Equal(2, collector.Sent.Count);
        Assert.Equal(new SentRecord("lenient-out", null, null, 5), collector.Sent[0]);
        Assert.Equal("k", Serde.String.Deserialize(collector.Sent[1].Key!));
        Assert.Equal(-2, Serde.Int32.Deserialize(collector.Sent[1].Value!));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFE }, collector.Sent[1].Value);
    }

    [Fact]
    public void A_process_value_node_passes_the_raw_key_through_unchanged()
    {
        var (task, collector) = CreateTask("Nulls", 2);
        task.Process(0, new ConsumedRecord("raw", 0, 0, 0, [9, 8, 7], [1, 2, 3]));
        task.Process(0, new ConsumedRecord("raw", 0, 1, 0, null, []));

        Assert.Equal(new byte[] { 9, 8, 7 }, collector.Sent[0].Key);
        Assert.Equal(new byte[] { 1, 2, 3 }, collector.Sent[0].Value);
        Assert.Null(collector.Sent[1].Key);
        Assert.Equal(Array.Empty<byte>(), collector.Sent[1].Value);
    }

    [Fact]
    public void A_key_change_before_a_count_goes_through_the_repartition_topic_after_the_stateless_nodes()
    {
        var definition = fixture.Loaded.Definition("Samples.Behaviors.Rekey");
        Assert.Equal(2, definition.Subtopologies.Count);
        Assert.Equal([new TopicReference("PerKey-repartition", true)], definition.Subtopologies[0].Sinks);
        Assert.Equal([new TopicReference("PerKey-repartition", true)], definition.Subtopologies[1].Sources);
        Assert.Equal(["per-key"], definition.Subtopologies[1].Stores);

        var (first, toRepartition) = CreateTask("Rekey", 0, "rk");
        first.Process(0, new ConsumedRecord("rekey-in", 0, 0, 9, null, Bytes("a  x ")));
        var sent = Assert.Single(toRepartition.Sent);
        Assert.Equal("rk-PerKey-repartition", sent.Topic);
        Assert.Equal("a", Serde.String.Deserialize(sent.Key!));
        Assert.Equal("a  x", Serde.String.Deserialize(sent.Value!));

        var (second, output) = CreateTask("Rekey", 1, "rk");
        second.Process(0, new ConsumedRecord("rk-PerKey-repartition", 0, 0, 9, sent.Key, sent.Value));
        second.Process(0, new ConsumedRecord("rk-PerKey-repartition", 0, 1, 9, sent.Key, sent.Value));
        Assert.Equal(["a:1", "a:2"], output.Sent.Select(s => Serde.String.Deserialize(s.Value!)));
        Assert.All(output.Sent, s => Assert.Equal("a", Serde.String.Deserialize(s.Key!)));
    }

    [Fact]
    public void A_null_key_into_a_count_fails_before_it_is_written_to_the_repartition_topic()
    {
        var (task, collector) = CreateTask("Rekey", 0);
        var failure = Assert.Throws<ProcessorException>(() => task.Process(0, new ConsumedRecord("rekey-in", 0, 0, 0, null, Bytes("oneword"))));
        Assert.Equal("Trim", failure.ProcessorName); // the innermost node: its output writes the repartition topic
        var error = Assert.IsType<SerdeException>(failure.InnerException);
        Assert.Equal("string", error.TypeName);
        Assert.Contains("key", error.Message);
        Assert.Empty(collector.Sent);

        var (count, _) = CreateTask("Rekey", 1);
        Assert.Throws<SerdeException>(() => count.Process(0, new ConsumedRecord("app-PerKey-repartition", 0, 0, 0, null, Bytes("x"))));
    }

    [Fact]
    public void Readers_of_one_topic_share_a_subtopology_and_a_merge_node_reads_a_topic_and_nodes()
    {
        var definition = fixture.Loaded.Definition("Samples.Behaviors.Fan");
        var subtopology = Assert.Single(definition.Subtopologies);
        Assert.Equal([new TopicReference("fan-in", false), new TopicReference("fan-side", false)], subtopology.Sources);

        var (task, collector) = CreateTask("Fan");
        task.Process(0, new ConsumedRecord("fan-in", 0, 0, 0, Serde.Int64.ToBytes(3), Bytes("v")));
        task.Process(1, new ConsumedRecord("fan-side", 0, 0, 0, Serde.Int64.ToBytes(4), Bytes("side")));

        Assert.Equal(["30=v/left", "30=v/right", "40=side"],
            collector.Sent.Select(s => $"{BinaryPrimitives.ReadInt64BigEndian(s.Key)}={Serde.String.Deserialize(s.Value!)}"));
    }

    [Fact]
    public void An_unknown_source_index_is_rejected()
    {
        var (task, _) = CreateTask("Fan");
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Process(5, new ConsumedRecord("x", 0, 0, 0, null, null)));
    }

    // Punctuation: the definition lists every punctuator of a sub-topology; Punctuate(index, timestamp) calls it directly.

    [Fact]
    public void The_definition_lists_the_punctuators_of_each_subtopology_in_declaration_order()
    {
        var definition = fixture.Loaded.Definition("Samples.Behaviors.Punctual");

        Assert.Equal(
            [
                new PunctuationSchedule("Tally", "Report", TimeSpan.FromSeconds(10), PunctuationType.StreamTime),
                new PunctuationSchedule("Tally", "Heartbeat", TimeSpan.FromMinutes(1), PunctuationType.WallClockTime),
            ],
            definition.Subtopologies[0].Punctuations);
        Assert.Equal([new PunctuationSchedule("Faulty", "Tick", TimeSpan.FromMilliseconds(250), PunctuationType.WallClockTime)],
            definition.Subtopologies[1].Punctuations);
        Assert.Equal("Tally.Report (every 10s of stream time)", definition.Subtopologies[0].Punctuations[0].ToString());
        Assert.Empty(fixture.Loaded.Definition("Samples.Behaviors.Fan").Subtopologies[0].Punctuations);
    }

    [Fact]
    public void A_punctuator_is_called_with_its_timestamp_and_its_outputs_carry_it()
    {
        var (task, collector) = CreateTask("Punctual");
        task.Process(0, new ConsumedRecord("visits", 0, 0, 1_000, Bytes("home"), Bytes("ann")));
        task.Process(0, new ConsumedRecord("visits", 0, 1, 2_000, Bytes("home"), Bytes("bob")));
        task.Process(0, new ConsumedRecord("visits", 0, 2, 3_000, Bytes("about"), Bytes("ann")));
        Assert.Empty(collector.Sent);

        task.Punctuate(0, 10_000);

        Assert.Equal(["home=2@10000", "about=1@10000"],
            collector.Sent.Select(s => $"{Serde.String.Deserialize(s.Key!)}={Serde.Int32.Deserialize(s.Value!)}@{s.Timestamp}"));
        Assert.All(collector.Sent, s => Assert.Equal("page-visits", s.Topic));
        collector.Sent.Clear();
        task.Punctuate(0, 20_000);
        Assert.Empty(collector.Sent); // the report cleared the tally
    }

    [Fact]
    public void Outputs_a_punctuator_calls_have_no_source_record_and_outputs_that_keep_the_key_send_none()
    {
        var (task, collector) = CreateTask("Punctual");
        task.Process(0, new ConsumedRecord("visits", 3, 7, 1_000, Bytes("home"), Bytes("ann"))); // a key the node received

        task.Punctuate(1, 1_700_000_000_000);

        var sent = Assert.Single(collector.Sent);
        Assert.Equal("heartbeats", sent.Topic);
        Assert.Equal("/-1/-1/1700000000000:1700000000000", Serde.String.Deserialize(sent.Value!));
        Assert.Equal(1_700_000_000_000, sent.Timestamp);
        Assert.Null(sent.Key);
    }

    [Fact]
    public void A_punctuator_that_throws_fails_with_a_processor_exception_naming_its_node()
    {
        var (task, _) = CreateTask("Punctual", subtopology: 1);

        var failure = Assert.Throws<ProcessorException>(() => task.Punctuate(0, 42));

        Assert.Equal("Faulty", failure.ProcessorName);
        Assert.Equal("tick at 42", Assert.IsType<InvalidOperationException>(failure.InnerException).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Punctuate(1, 42));
    }

    [Fact]
    public void A_task_without_punctuators_refuses_to_punctuate()
    {
        var (task, _) = CreateTask("Fan");
        Assert.Throws<NotSupportedException>(() => task.Punctuate(0, 0));
    }

    // Processor services: a processor's constructor parameters come from the task context's service provider, by type.

    [Fact]
    public void The_task_creates_the_processor_with_its_services_once()
    {
        var provider = new FakeServiceProvider(new()
        {
            [typeof(Func<string, double>)] = new Func<string, double>(symbol => symbol == "ACME" ? 0.5 : 1),
            [typeof(IFormatProvider)] = CultureInfo.InvariantCulture,
        });
        var (task, collector) = CreateTask("Prices", services: provider);

        task.Process(0, new ConsumedRecord("prices-usd", 0, 0, 1, Serde.String.ToBytes("ACME"), Serde.Double.ToBytes(3)));
        task.Process(0, new ConsumedRecord("prices-usd", 0, 1, 2, Serde.String.ToBytes("INIT"), Serde.Double.ToBytes(2.5)));

        Assert.Equal(["ACME=1.50 EUR", "INIT=2.50 EUR"], collector.Sent.Select(s => Serde.String.Deserialize(s.Value!)));
        Assert.Equal([typeof(Func<string, double>), typeof(IFormatProvider)], provider.Requested);
    }

    [Fact]
    public void Without_a_service_provider_task_creation_fails_naming_the_processor_and_the_parameter()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CreateTask("Prices"));

        Assert.StartsWith("Processor Convert needs a service for its constructor parameter 'Func<string, double> euroPerDollar', "
            + "but no service provider is configured", error.Message);
    }

    [Fact]
    public void A_service_the_provider_does_not_have_fails_task_creation_naming_it()
    {
        var provider = new FakeServiceProvider(new() { [typeof(Func<string, double>)] = new Func<string, double>(_ => 1) });

        var error = Assert.Throws<InvalidOperationException>(() => CreateTask("Prices", services: provider));

        Assert.Equal("Processor Convert needs a service for its constructor parameter 'IFormatProvider? format', "
            + "but the service provider has none of that type: register one.", error.Message);
    }

    private sealed class FakeServiceProvider(Dictionary<Type, object> services) : IServiceProvider
    {
        public List<Type> Requested { get; } = [];

        public object? GetService(Type serviceType)
        {
            Requested.Add(serviceType);
            return services.GetValueOrDefault(serviceType);
        }
    }
}
