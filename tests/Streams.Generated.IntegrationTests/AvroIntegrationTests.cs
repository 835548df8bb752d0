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

    private static List<byte[]> ReadValues(EmbeddedKafka kafka, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var values = new List<byte[]>();
        var clock = Stopwatch.StartNew();
        while (values.Count < expected && clock.Elapsed < KafkaTestHelpers.Patience)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message }) values.Add(message.Value);
        if (consumer.Consume(TimeSpan.FromMilliseconds(300)) is { Message: { } extra }) values.Add(extra.Value);
        return values;
    }

    private static byte[] Avro(Purchase purchase)
    {
        var buffer = new ArrayBufferWriter<byte>();
        AvroSerde<Purchase>.Instance.Serialize(purchase, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
