using System.Buffers;
using System.Diagnostics;
using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Avro;
using Streams.Generated.Testing;
using Xunit.Abstractions;

namespace Streams.Generated.IntegrationTests;

[AvroRecord(Namespace = "shop")]
public partial record Purchase(string User, decimal Amount, string[] Items);

/// <summary>An older version of <see cref="Purchase"/>, as earlier producers wrote it: a field since removed.</summary>
[AvroRecord(Namespace = "shop", Name = "Purchase")]
public partial record PurchaseV1(string User, decimal Amount, string Channel, string[] Items);

/// <summary>A version <see cref="Purchase"/> cannot be read from: the amount changed type.</summary>
[AvroRecord(Namespace = "shop", Name = "Purchase")]
public partial record PurchaseInCents(string User, long Amount);

/// <summary>Avro values at both ends of a topology run by the Kafka runtime.</summary>
[Topology("purchases")]
public static partial class PurchaseTopology
{
    public const string Input = "purchases";
    public const string Output = "big-purchases";

    [Processor(From = Input)]
    public partial class Big
    {
        public void Process(string user, Purchase purchase)
        {
            if (purchase.Amount >= 100m) Out(purchase with { Items = [.. purchase.Items, "reviewed"] });
        }

        [To(Output)] private partial void Out(Purchase value);
    }
}

/// <summary>
/// Generated Avro serdes through the real client and broker: what the runtime writes decodes as Avro, and a corrupt
/// Avro record stops the app with topic, partition, offset, record type, field and byte offset.
/// </summary>
public class AvroIntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Avro_records_flow_through_the_broker_and_a_corrupt_one_is_reported_with_its_field()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(PurchaseTopology.Input, 2);
        kafka.CreateTopic(PurchaseTopology.Output, 2);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            var partition = new TopicPartition(PurchaseTopology.Input, new Partition(1));
            producer.Produce(partition, new Message<string, byte[]> { Key = "ada", Value = Avro(new Purchase("ada", 250.5m, ["lamp"])) });
            producer.Produce(partition, new Message<string, byte[]> { Key = "bob", Value = Avro(new Purchase("bob", 5m, ["pen"])) });
            producer.Produce(partition, new Message<string, byte[]> { Key = "eve", Value = [0x06, 0x65, 0x76, 0x65] }); // "eve", then nothing
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        await using var app = new StreamsApp(PurchaseTopology.Definition, new StreamsOptions
        {
            ApplicationId = "purchases-" + Guid.NewGuid().ToString("N")[..8],
            BootstrapServers = kafka.BootstrapServers,
            TopicCreator = kafka,
            LoggerFactory = new TestOutputLoggerFactory(output, "purchases"),
            ConfigureConsumer = consumer => consumer.SessionTimeoutMs = 6000,
        });
        await app.StartAsync();
        var completed = await Task.WhenAny(app.Completion, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(app.Completion, completed);
        var error = await Assert.ThrowsAsync<RecordProcessingException>(() => app.Completion);
        output.WriteLine(error.Message);
        Assert.Equal((PurchaseTopology.Input, 1, 2L), (error.Topic, error.Partition, error.Offset));
        var serde = Assert.IsType<SerdeException>(error.InnerException);
        Assert.Equal(("shop.Purchase", "Purchase.Amount", 4), (serde.TypeName, serde.Field, serde.ByteOffset));

        // The good big purchase went through, as Avro, before the app stopped.
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        consumer.Assign(Enumerable.Range(0, 2).Select(p => new TopicPartitionOffset(PurchaseTopology.Output, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        ConsumeResult<Ignore, byte[]>? result = null;
        while (result?.Message is null && clock.Elapsed < TimeSpan.FromSeconds(30))
            result = consumer.Consume(TimeSpan.FromMilliseconds(200));
        Assert.NotNull(result?.Message);
        var purchase = AvroSerde<Purchase>.Instance.Deserialize(result.Message.Value);
        Assert.Equal(("ada", 250.5m), (purchase.User, purchase.Amount));
        Assert.Equal(["lamp", "reviewed"], purchase.Items);
    }

    [Fact]
    public async Task Topics_in_Confluent_wire_format_are_read_and_written_with_their_schema_ids_and_a_foreign_id_is_dead_lettered()
    {
        const int InputSchemaId = 41, OutputSchemaId = 42;
        const string DeadLetters = "purchases-dlq";
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(PurchaseTopology.Input, 1);
        kafka.CreateTopic(PurchaseTopology.Output, 1);
        kafka.CreateTopic(DeadLetters, 1);
        var framed = new ConfluentAvroSerde<Purchase>(InputSchemaId);
        var otherVersion = new ConfluentAvroSerde<Purchase>(99);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "ada", Value = framed.ToBytes(new Purchase("ada", 250.5m, ["lamp"])) });
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "eve", Value = otherVersion.ToBytes(new Purchase("eve", 999m, ["?"])) });
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "bob", Value = framed.ToBytes(new Purchase("bob", 120m, ["pen"])) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        var options = KafkaTestHelpers.TestOptions(kafka, "framed-" + Guid.NewGuid().ToString("N")[..8], output, "framed");
        options.ConfluentWireFormat[PurchaseTopology.Input] = InputSchemaId;
        options.ConfluentWireFormat[PurchaseTopology.Output] = OutputSchemaId;
        options.DeserializationErrorPolicy = ErrorPolicy.DeadLetter;
        options.DeadLetterTopic = DeadLetters;
        await using var app = new StreamsApp(PurchaseTopology.Definition, options);
        await app.StartAsync();

        var outputs = ReadValues(kafka, PurchaseTopology.Output, 2);
        var letters = ReadValues(kafka, DeadLetters, 1);
        await app.StopAsync();

        var written = new ConfluentAvroSerde<Purchase>(OutputSchemaId);
        Assert.Equal(["ada", "bob"], outputs.Select(v => written.Deserialize(v).User));
        Assert.Equal(otherVersion.ToBytes(new Purchase("eve", 999m, ["?"])), Assert.Single(letters)); // as it came, header included
    }

    [Fact]
    public void The_test_driver_frames_and_unframes_the_same_topics()
    {
        var driver = new TopologyTestDriver(PurchaseTopology.Definition);
        driver.ConfluentWireFormat[PurchaseTopology.Input] = 41;
        driver.ConfluentWireFormat[PurchaseTopology.Output] = 42;
        var input = driver.CreateInputTopic(PurchaseTopology.Input, Serdes.String, new ConfluentAvroSerde<Purchase>(41));
        var outputTopic = driver.CreateOutputTopic(PurchaseTopology.Output, Serdes.String, new ConfluentAvroSerde<Purchase>(42));

        input.PipeInput("ada", new Purchase("ada", 300m, []));
        Assert.Equal("ada", outputTopic.ReadKeyValue().Value!.User);

        var error = Assert.Throws<SerdeException>(() => driver.PipeInput(PurchaseTopology.Input, null, new ConfluentAvroSerde<Purchase>(7).ToBytes(new Purchase("x", 1m, []))));
        Assert.Contains("schema id 7, expected 41", error.Message);
        Assert.Contains($"topic '{PurchaseTopology.Input}'", error.Message);
    }

    [Fact]
    public async Task Values_written_with_an_older_schema_id_are_resolved_to_the_current_type_and_an_unknown_id_is_dead_lettered()
    {
        const int OldSchemaId = 40, InputSchemaId = 41, OutputSchemaId = 42;
        const string DeadLetters = "purchases-dlq";
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(PurchaseTopology.Input, 1);
        kafka.CreateTopic(PurchaseTopology.Output, 1);
        kafka.CreateTopic(DeadLetters, 1);
        var current = new ConfluentAvroSerde<Purchase>(InputSchemaId);
        var old = new ConfluentAvroSerde<PurchaseV1>(OldSchemaId);
        var unknown = new ConfluentAvroSerde<PurchaseV1>(99);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "ada", Value = current.ToBytes(new Purchase("ada", 250.5m, ["lamp"])) });
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "eve", Value = old.ToBytes(new PurchaseV1("eve", 120m, "web", ["pen", "ink"])) });
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "bob", Value = unknown.ToBytes(new PurchaseV1("bob", 999m, "?", [])) });
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "cy", Value = old.ToBytes(new PurchaseV1("cy", 5m, "shop", [])) });
            producer.Produce(PurchaseTopology.Input, new Message<string, byte[]> { Key = "dan", Value = old.ToBytes(new PurchaseV1("dan", 300m, "app", ["tv"])) });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        var options = KafkaTestHelpers.TestOptions(kafka, "evolved-" + Guid.NewGuid().ToString("N")[..8], output, "evolved");
        options.ConfluentWireFormat[PurchaseTopology.Input] = InputSchemaId;
        options.ConfluentWireFormat[PurchaseTopology.Output] = OutputSchemaId;
        options.AvroWriterSchemas.Add(PurchaseTopology.Input, OldSchemaId, PurchaseV1.AvroSchemaJson);
        options.DeserializationErrorPolicy = ErrorPolicy.DeadLetter;
        options.DeadLetterTopic = DeadLetters;
        await using var app = new StreamsApp(PurchaseTopology.Definition, options);
        await app.StartAsync();

        var outputs = ReadValues(kafka, PurchaseTopology.Output, 3);
        var letters = ReadMessages(kafka, DeadLetters, 1);
        await app.StopAsync();

        var written = new ConfluentAvroSerde<Purchase>(OutputSchemaId);
        Assert.Equal(
            [("ada", 250.5m, "lamp,reviewed"), ("eve", 120m, "pen,ink,reviewed"), ("dan", 300m, "tv,reviewed")],
            outputs.Select(v => written.Deserialize(v)).Select(p => (p.User, p.Amount, string.Join(",", p.Items))));
        var letter = Assert.Single(letters);
        Assert.Equal(unknown.ToBytes(new PurchaseV1("bob", 999m, "?", [])), letter.Value);
        var reason = System.Text.Encoding.UTF8.GetString(letter.Headers.GetLastBytes(DeadLetterHeaders.Message));
        Assert.Contains("schema id 99, expected 41 or a configured writer schema (40)", reason);
    }

    [Fact]
    public void The_test_driver_resolves_writer_schemas_of_plain_and_framed_topics()
    {
        using var driver = new TopologyTestDriver(PurchaseTopology.Definition);
        driver.AvroWriterSchemas.Add(PurchaseTopology.Input, PurchaseV1.AvroSchemaJson);
        var outputTopic = driver.CreateOutputTopic(PurchaseTopology.Output, Serdes.String, AvroSerde<Purchase>.Instance);

        driver.PipeInput(PurchaseTopology.Input, "ada"u8.ToArray(), AvroSerde<PurchaseV1>.Instance.ToBytes(new PurchaseV1("ada", 300m, "web", ["lamp"])));
        Assert.Equal(["lamp", "reviewed"], outputTopic.ReadKeyValue().Value!.Items);

        using var framedDriver = new TopologyTestDriver(PurchaseTopology.Definition);
        framedDriver.ConfluentWireFormat[PurchaseTopology.Input] = 41;
        framedDriver.AvroWriterSchemas.Add(PurchaseTopology.Input, 40, PurchaseV1.AvroSchemaJson);
        var framedOutput = framedDriver.CreateOutputTopic(PurchaseTopology.Output, Serdes.String, AvroSerde<Purchase>.Instance);
        framedDriver.PipeInput(PurchaseTopology.Input, "eve"u8.ToArray(), new ConfluentAvroSerde<PurchaseV1>(40).ToBytes(new PurchaseV1("eve", 200m, "app", [])));
        framedDriver.PipeInput(PurchaseTopology.Input, "bob"u8.ToArray(), new ConfluentAvroSerde<Purchase>(41).ToBytes(new Purchase("bob", 400m, ["pen"])));
        Assert.Equal(["eve", "bob"], framedOutput.ReadKeyValuesToList().Select(p => p.Value!.User));
    }

    [Fact]
    public void Writer_schemas_that_cannot_apply_fail_when_the_app_is_created_naming_topic_and_reason()
    {
        using var kafka = EmbeddedKafka.Start();
        StreamsOptions Options(Action<StreamsOptions> configure)
        {
            var options = KafkaTestHelpers.TestOptions(kafka, "invalid-" + Guid.NewGuid().ToString("N")[..8], output, "invalid");
            configure(options);
            return options;
        }

        var unresolvable = Assert.Throws<ArgumentException>(() => new StreamsApp(PurchaseTopology.Definition,
            Options(o => o.AvroWriterSchemas.Add(PurchaseTopology.Input, PurchaseInCents.AvroSchemaJson))));
        Assert.Contains($"the writer schema of topic '{PurchaseTopology.Input}' cannot be read as the topology's value type", unresolvable.Message);
        Assert.Contains("field Purchase.Amount is long in the writer's schema", unresolvable.Message);

        var notRead = Assert.Throws<ArgumentException>(() => new StreamsApp(PurchaseTopology.Definition,
            Options(o => o.AvroWriterSchemas.Add(PurchaseTopology.Output, PurchaseV1.AvroSchemaJson))));
        Assert.Contains($"names topic '{PurchaseTopology.Output}', which the topology does not read as an Avro record (Avro inputs: '{PurchaseTopology.Input}')", notRead.Message);

        var idWithoutFraming = Assert.Throws<ArgumentException>(() => new StreamsApp(PurchaseTopology.Definition,
            Options(o => o.AvroWriterSchemas.Add(PurchaseTopology.Input, 40, PurchaseV1.AvroSchemaJson))));
        Assert.Contains("under schema id 40, but the topic is not in Confluent's wire format", idWithoutFraming.Message);

        var framedWithoutId = Assert.Throws<ArgumentException>(() => new StreamsApp(PurchaseTopology.Definition, Options(o =>
        {
            o.ConfluentWireFormat[PurchaseTopology.Input] = 41;
            o.AvroWriterSchemas.Add(PurchaseTopology.Input, PurchaseV1.AvroSchemaJson);
        })));
        Assert.Contains("a writer schema without a schema id, but the topic is in Confluent's wire format", framedWithoutId.Message);

        var twice = new AvroWriterSchemas { { PurchaseTopology.Input, 40, PurchaseV1.AvroSchemaJson } };
        Assert.Throws<ArgumentException>(() => twice.Add(PurchaseTopology.Input, 40, PurchaseV1.AvroSchemaJson));
        Assert.Throws<ArgumentException>(() => twice.Add(PurchaseTopology.Input, PurchaseV1.AvroSchemaJson));
    }

    private static List<byte[]> ReadValues(EmbeddedKafka kafka, string topic, int expected) =>
        ReadMessages(kafka, topic, expected).Select(m => m.Value).ToList();

    private static List<Message<Ignore, byte[]>> ReadMessages(EmbeddedKafka kafka, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var messages = new List<Message<Ignore, byte[]>>();
        var clock = Stopwatch.StartNew();
        while (messages.Count < expected && clock.Elapsed < KafkaTestHelpers.Patience)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message }) messages.Add(message);
        if (consumer.Consume(TimeSpan.FromMilliseconds(300)) is { Message: { } extra }) messages.Add(extra);
        return messages;
    }

    private static byte[] Avro(Purchase purchase)
    {
        var buffer = new ArrayBufferWriter<byte>();
        AvroSerde<Purchase>.Instance.Serialize(purchase, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
