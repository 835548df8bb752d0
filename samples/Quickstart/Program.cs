using Streams.Generated.Serialization;
using Confluent.Kafka;
using Quickstart;
using Streams.Generated.Kafka;
using Streams.Generated.Testing;

// WordCount end to end: start a broker (or use --bootstrap-servers), write a few lines, run the generated topology,
// print the counts read back from the output topic and the topology description.
string[] lines = ["all streams lead to kafka", "hello kafka streams", "join kafka summit"];

var bootstrapServers = OptionValue(args, "--bootstrap-servers");
using var embedded = bootstrapServers is null ? EmbeddedKafka.Start() : null;
bootstrapServers ??= embedded!.BootstrapServers;
Console.WriteLine(embedded is null ? $"Kafka cluster: {bootstrapServers}" : $"Embedded Kafka broker: {bootstrapServers}");

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

try
{
    // librdkafka logs every failed connection attempt; the probe below reports an unreachable cluster once, clearly.
    using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
        .SetLogHandler((_, _) => { }).Build();
    if (embedded is null) Probe(admin, bootstrapServers);
    ITopicCreator topics = embedded is not null ? embedded : new AdminClientTopicCreator(admin, timeout: TimeSpan.FromSeconds(10));
    topics.CreateTopic(WordCount.Input, partitions: 4);
    topics.CreateTopic(WordCount.Output, OutputReader.OutputPartitions);

    using var reader = new OutputReader(bootstrapServers, WordCount.Output);
    Produce(bootstrapServers, WordCount.Input, lines);
    Console.WriteLine($"Wrote {lines.Length} lines to {WordCount.Input}");

    await using var app = new StreamsApp(WordCount.Definition, new StreamsOptions
    {
        // A fresh group per run: the in-memory counts are not restored from a changelog yet.
        ApplicationId = $"wordcount-quickstart-{DateTime.UtcNow:yyyyMMddHHmmss}",
        BootstrapServers = bootstrapServers,
        TopicCreator = topics,
    });
    await app.StartAsync(cts.Token);

    var expectedUpdates = lines.Sum(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    var counts = reader.ReadCounts(expectedUpdates, app.Completion, cts.Token);
    await app.StopAsync();

    Console.WriteLine($"Word counts from {WordCount.Output}:");
    foreach (var (word, count) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        Console.WriteLine($"  {word,-8} {count}");
    Console.WriteLine();
    Console.WriteLine(WordCount.Definition.Description);
    return 0;
}
catch (Exception e) when (e is StreamsException or KafkaException or OperationCanceledException or TimeoutException)
{
    Console.Error.WriteLine($"Quickstart failed: {e.Message}");
    return 1;
}

static void Probe(IAdminClient admin, string bootstrapServers)
{
    try
    {
        admin.GetMetadata(TimeSpan.FromSeconds(5));
    }
    catch (KafkaException e)
    {
        throw new TimeoutException($"Cannot reach the Kafka cluster at {bootstrapServers} within 5 s ({e.Error.Reason}).", e);
    }
}

static string? OptionValue(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static void Produce(string bootstrapServers, string topic, string[] lines)
{
    using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
    foreach (var line in lines)
        producer.Produce(topic, new Message<Null, string> { Value = line });
    if (producer.Flush(TimeSpan.FromSeconds(10)) > 0)
        throw new TimeoutException($"Could not write the input lines to {topic} within 10 s.");
}

/// <summary>Reads the output topic from the offsets it had before this run.</summary>
sealed class OutputReader : IDisposable
{
    public const int OutputPartitions = 4;
    private readonly IConsumer<byte[], byte[]> _consumer;

    public OutputReader(string bootstrapServers, string topic)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "quickstart-reader",
            EnableAutoCommit = false,
        }).Build();
        // Start at the end of each partition, so that output of earlier runs (on a real cluster) is not counted.
        var partitions = Enumerable.Range(0, OutputPartitions).Select(p => new TopicPartition(topic, p));
        _consumer.Assign(partitions.Select(tp => new TopicPartitionOffset(tp, _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High)));
    }

    /// <summary>Reads until <paramref name="expected"/> updates arrived (30 s at most); returns the last count per word.</summary>
    public Dictionary<string, long> ReadCounts(int expected, Task appCompletion, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var read = 0; read < expected;)
        {
            if (appCompletion.IsCompleted) appCompletion.GetAwaiter().GetResult(); // surfaces the app's error
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Only {read} of {expected} count updates arrived within 30 s.");
            var result = _consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null) continue;
            counts[Serdes.String.Deserialize(result.Message.Key)] = Serdes.Int64.Deserialize(result.Message.Value);
            read++;
        }
        return counts;
    }

    public void Dispose() => _consumer.Close();
}
