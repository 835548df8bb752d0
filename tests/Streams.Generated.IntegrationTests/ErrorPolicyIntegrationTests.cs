using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Xunit.Abstractions;
using static Streams.Generated.IntegrationTests.IntegrationTopologies;
using static Streams.Generated.IntegrationTests.KafkaTestHelpers;

namespace Streams.Generated.IntegrationTests;

/// <summary>Poison pills on the embedded broker: the app keeps going, bad records are dead-lettered or skipped, good ones all arrive.</summary>
public class ErrorPolicyIntegrationTests(ITestOutputHelper output)
{
    private const int Partitions = 2;
    private const int Records = 300;

    /// <summary>Every 25th record is three bytes (not a long); other multiples of 7 make the processor throw.</summary>
    private static bool IsCorrupt(int i) => i % 25 == 0;

    private static bool Throws(int i) => !IsCorrupt(i) && i % 7 == 0;

    [Fact]
    public async Task Dead_letter_policy_keeps_the_app_running_and_the_dead_letter_topic_holds_each_bad_record_with_its_error()
    {
        using var kafka = StartCluster();
        var applicationId = "poison-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = new StreamsApp(Poison, Options(kafka, applicationId, ErrorPolicy.DeadLetter));
        await app.StartAsync();

        var good = Enumerable.Range(1, Records).Where(i => !IsCorrupt(i) && !Throws(i)).Select(i => 2L * i).Order().ToList();
        var bad = Enumerable.Range(1, Records).Where(i => IsCorrupt(i) || Throws(i)).ToList();
        Assert.Equal(good, ReadLongs(kafka, PoisonOutput, Partitions, good.Count).Order());
        var letters = ReadAll(kafka, PoisonDeadLetters, bad.Count);
        Assert.Equal(StreamsState.Running, app.State);
        await app.StopAsync();

        Assert.Equal(bad, letters.Select(l => int.Parse(Header(l, "seq"), System.Globalization.CultureInfo.InvariantCulture)).Order());
        foreach (var letter in letters)
        {
            var seq = int.Parse(Header(letter, "seq"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("k" + seq, Encoding.UTF8.GetString(letter.Message.Key!));
            Assert.Equal(Value(seq), letter.Message.Value);
            Assert.Equal(1_700_000_000_000 + seq, letter.Message.Timestamp.UnixTimestampMs);
            Assert.Equal(PoisonInput, Header(letter, DeadLetterHeaders.Topic));
            Assert.Equal((seq % Partitions).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(letter, DeadLetterHeaders.Partition));
            Assert.True(long.TryParse(Header(letter, DeadLetterHeaders.Offset), out _));
            Assert.Equal("0_" + seq % Partitions, Header(letter, DeadLetterHeaders.Task));
            if (IsCorrupt(seq))
            {
                Assert.Equal("deserialization", Header(letter, DeadLetterHeaders.Stage));
                Assert.Equal(typeof(SerdeException).FullName, Header(letter, DeadLetterHeaders.Exception));
                Assert.Contains("expected exactly 8 bytes, got 3", Header(letter, DeadLetterHeaders.Message));
            }
            else
            {
                Assert.Equal("processing", Header(letter, DeadLetterHeaders.Stage));
                Assert.Equal("Picky", Header(letter, DeadLetterHeaders.Processor));
                Assert.Equal(typeof(InvalidOperationException).FullName, Header(letter, DeadLetterHeaders.Exception));
                Assert.Equal($"{seq} is a multiple of 7", Header(letter, DeadLetterHeaders.Message));
            }
        }
        AssertEverythingCommitted(kafka, applicationId);
    }

    [Fact]
    public async Task Log_and_continue_skips_bad_records_and_commits_past_them()
    {
        using var kafka = StartCluster();
        var applicationId = "poison-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = new StreamsApp(Poison, Options(kafka, applicationId, ErrorPolicy.LogAndContinue));
        await app.StartAsync();

        var good = Enumerable.Range(1, Records).Where(i => !IsCorrupt(i) && !Throws(i)).Select(i => 2L * i).Order().ToList();
        Assert.Equal(good, ReadLongs(kafka, PoisonOutput, Partitions, good.Count).Order());
        await app.StopAsync();

        AssertEverythingCommitted(kafka, applicationId);
        Assert.Empty(ReadAll(kafka, PoisonDeadLetters, 0));
    }

    private static byte[] Value(int i) => IsCorrupt(i) ? [1, 2, 3] : Serdes.Int64.ToBytes(i);

    private static EmbeddedKafka StartCluster()
    {
        var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(PoisonInput, Partitions);
        kafka.CreateTopic(PoisonOutput, Partitions);
        kafka.CreateTopic(PoisonDeadLetters, 1);
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        for (var i = 1; i <= Records; i++)
        {
            producer.Produce(new TopicPartition(PoisonInput, i % Partitions), new Message<byte[]?, byte[]>
            {
                Key = Encoding.UTF8.GetBytes("k" + i),
                Value = Value(i),
                Timestamp = new Timestamp(1_700_000_000_000 + i, TimestampType.CreateTime),
                Headers = new Headers { { "seq", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) } },
            });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        return kafka;
    }

    private StreamsOptions Options(EmbeddedKafka kafka, string applicationId, ErrorPolicy policy)
    {
        var options = TestOptions(kafka, applicationId, output, "poison");
        options.DeserializationErrorPolicy = policy;
        options.ProcessingErrorPolicy = policy;
        options.DeadLetterTopic = PoisonDeadLetters;
        return options;
    }

    private static void AssertEverythingCommitted(EmbeddedKafka kafka, string applicationId)
    {
        var (committed, end) = CommittedAndEndOffsets(kafka, applicationId, PoisonInput, Partitions);
        Assert.Equal(end, committed);
    }

    private static string Header(ConsumeResult<byte[]?, byte[]?> record, string key) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(key));

    /// <summary>Reads <paramref name="expected"/> records, then checks for a short while that no more arrive.</summary>
    private static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(EmbeddedKafka kafka, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var clock = Stopwatch.StartNew();
        while (records.Count < expected && clock.Elapsed < Patience)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } result) records.Add(result);
        if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: not null } extra) records.Add(extra);
        return records;
    }
}
