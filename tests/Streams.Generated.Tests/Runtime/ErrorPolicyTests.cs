using System.Text;
using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;

namespace Streams.Generated.Tests.Runtime;

/// <summary>The deserialization, processing and production error policies, over a fake producer.</summary>
public class ErrorPolicyTests
{
    private const string DeadLetters = "app-dlq";
    private readonly List<FakeTask> _created = new();
    private readonly FakeProducer _producer = new() { AcknowledgeOnFlush = false };

    private static TopicPartition Tp(string topic, int partition) => new(topic, new Partition(partition));

    private static string Header(Headers? headers, string key) => Encoding.UTF8.GetString(headers!.GetLastBytes(key));

    private (TaskManager Tasks, DeliveryTracker Deliveries, RecordErrorHandler Errors) Create(ErrorPolicy deserialization, ErrorPolicy processing, ErrorPolicy production = ErrorPolicy.Fail)
    {
        var deliveries = new DeliveryTracker(production, DeadLetters) { DeadLetterProducer = _producer };
        var collector = new RecordCollector(_producer, deliveries);
        var errors = new RecordErrorHandler(deserialization, processing, collector, DeadLetters);
        var options = TaskOptions.Default with { KeepHeaders = true }; // as the stream thread sets it when dead letters are on
        return (new TaskManager(FakeTopologies.TwoStage(_created), "app", collector, errors, options), deliveries, errors);
    }

    [Fact]
    public void Log_and_continue_skips_a_bad_record_and_counts_its_offset_as_processed()
    {
        var (tasks, _, errors) = Create(ErrorPolicy.LogAndContinue, ErrorPolicy.Fail);
        tasks.Assign([Tp("lines", 0)]);
        _created.Single().FailWith = r => r.Offset == 3 ? new SerdeException("long", 0, 1, "too short") : null;

        Assert.True(tasks.Process("lines", 0, 3, 0, null, [1]));
        Assert.True(tasks.Process("lines", 0, 4, 0, null, [1]));

        Assert.Equal([4L], _created.Single().Processed.Select(p => p.Record.Offset));
        Assert.Equal(["lines[0]@5"], tasks.UncommittedOffsets().Select(TaskManagerTests.Describe));
        Assert.Equal(1, errors.Skipped);
        Assert.Empty(_producer.Sent);
    }

    [Fact]
    public void Each_kind_of_error_follows_its_own_policy()
    {
        var (tasks, _, _) = Create(ErrorPolicy.LogAndContinue, ErrorPolicy.Fail);
        tasks.Assign([Tp("lines", 0)]);
        _created.Single().FailWith = _ => new ProcessorException("Split", new FormatException("bad line"));

        var error = Assert.Throws<RecordProcessingException>(() => tasks.Process("lines", 0, 8, 0, null, [1]));

        Assert.Equal("Processor 'Split' failed on record lines[0]@8 (task 0_0): FormatException: bad line Policy: Fail (StreamsOptions.ProcessingErrorPolicy).", error.Message);
        Assert.Equal("Split", error.ProcessorName);
        Assert.IsType<FormatException>(error.InnerException);
        Assert.False(error.IsDeserializationError);
        Assert.Empty(tasks.UncommittedOffsets());
    }

    [Fact]
    public void Dead_letter_sends_the_original_record_with_error_headers()
    {
        var (tasks, deliveries, errors) = Create(ErrorPolicy.DeadLetter, ErrorPolicy.DeadLetter);
        tasks.Assign([Tp("lines", 1)]);
        _created.Single().FailWith = r => r.Offset switch
        {
            10 => new SerdeException("long", 2, 3, "expected exactly 8 bytes, got 3"),
            11 => new ProcessorException("Split", new FormatException("bad line")),
            _ => null,
        };
        var original = new Headers { { "trace", [7] } };

        tasks.Process("lines", 1, 10, 1234, [1], [2, 3, 4], original);
        tasks.Process("lines", 1, 11, 1235, null, [5], null);
        tasks.Process("lines", 1, 12, 1236, null, [6], null);

        Assert.Equal(2, errors.DeadLettered);
        Assert.Equal(2, deliveries.InFlight); // the commit waits for the dead letters like for any output
        var (topic, key, value, timestamp, headers) = _producer.Sent[0];
        Assert.Equal((DeadLetters, 1234L), (topic, timestamp));
        Assert.Equal([1], key);
        Assert.Equal([2, 3, 4], value);
        Assert.Equal([7], headers!.GetLastBytes("trace"));
        Assert.Equal("deserialization", Header(headers, DeadLetterHeaders.Stage));
        Assert.Equal(typeof(SerdeException).FullName, Header(headers, DeadLetterHeaders.Exception));
        Assert.Contains("expected exactly 8 bytes", Header(headers, DeadLetterHeaders.Message));
        Assert.Equal(("lines", "1", "10", "0_1"), (Header(headers, DeadLetterHeaders.Topic), Header(headers, DeadLetterHeaders.Partition),
            Header(headers, DeadLetterHeaders.Offset), Header(headers, DeadLetterHeaders.Task)));
        Assert.Null(headers.FirstOrDefault(h => h.Key == DeadLetterHeaders.Processor));

        var processing = _producer.Sent[1].Headers;
        Assert.Equal("processing", Header(processing, DeadLetterHeaders.Stage));
        Assert.Equal("Split", Header(processing, DeadLetterHeaders.Processor));
        Assert.Equal(typeof(FormatException).FullName, Header(processing, DeadLetterHeaders.Exception));
        Assert.Equal("bad line", Header(processing, DeadLetterHeaders.Message));
        Assert.Equal(["lines[1]@13"], tasks.UncommittedOffsets().Select(TaskManagerTests.Describe));
    }

    [Fact]
    public void A_failed_delivery_under_dead_letter_is_sent_to_the_dead_letter_topic_and_nothing_fails()
    {
        var (_, deliveries, _) = Create(ErrorPolicy.Fail, ErrorPolicy.Fail, production: ErrorPolicy.DeadLetter);
        var collector = new RecordCollector(_producer, deliveries);
        _producer.DeliveryError = topic => topic == "out" ? ErrorCode.MsgSizeTooLarge : ErrorCode.NoError;

        collector.Send("out", [1], false, [2], false, 99);
        _producer.AcknowledgeAll(); // "out" fails -> its dead letter is queued
        _producer.AcknowledgeAll(); // the dead letter is acknowledged

        Assert.Null(deliveries.FirstError);
        Assert.Equal(0, deliveries.InFlight);
        Assert.Equal(1, deliveries.DeadLettered);
        var (topic, key, value, timestamp, headers) = _producer.Sent[1];
        Assert.Equal((DeadLetters, 99L), (topic, timestamp));
        Assert.Equal([1], key);
        Assert.Equal([2], value);
        Assert.Equal("production", Header(headers, DeadLetterHeaders.Stage));
        Assert.Equal("out", Header(headers, DeadLetterHeaders.Topic));
    }

    [Fact]
    public void A_dead_letter_that_cannot_be_written_fails_the_app()
    {
        var (_, deliveries, _) = Create(ErrorPolicy.Fail, ErrorPolicy.Fail, production: ErrorPolicy.DeadLetter);
        var collector = new RecordCollector(_producer, deliveries);
        _producer.DeliveryError = _ => ErrorCode.TopicAuthorizationFailed;

        collector.Send("out", [1], false, [2], false, 0);
        _producer.AcknowledgeAll();
        _producer.AcknowledgeAll();

        Assert.Contains("A dead letter could not be written", deliveries.FirstError!.Message);
    }

    [Fact]
    public void A_failed_delivery_under_log_and_continue_is_counted_and_forgotten()
    {
        var (_, deliveries, _) = Create(ErrorPolicy.Fail, ErrorPolicy.Fail, production: ErrorPolicy.LogAndContinue);
        var collector = new RecordCollector(_producer, deliveries);
        _producer.DeliveryError = _ => ErrorCode.MsgSizeTooLarge;

        collector.Send("out", [1], false, [2], false, 0);
        _producer.AcknowledgeAll();

        Assert.Null(deliveries.FirstError);
        Assert.Equal(1, deliveries.Skipped);
        Assert.Single(_producer.Sent);
    }

    [Fact]
    public void A_record_the_producer_refuses_at_once_follows_the_production_policy()
    {
        var (_, deliveries, _) = Create(ErrorPolicy.Fail, ErrorPolicy.Fail, production: ErrorPolicy.DeadLetter);
        var collector = new RecordCollector(_producer, deliveries);
        _producer.ThrowOnProduceTo = "out";
        _producer.ThrowOnProduce = new StreamsException("Cannot produce a record to topic 'out': too large.",
            new KafkaException(new Error(ErrorCode.MsgSizeTooLarge)));

        collector.Send("out", [1], false, [2], false, 0);

        Assert.Equal(DeadLetters, _producer.Sent.Single().Topic);
        Assert.Equal(1, deliveries.InFlight);
        Assert.Equal(1, deliveries.DeadLettered);
    }

    [Fact]
    public void Dead_letter_without_a_topic_is_rejected_when_the_options_are_validated()
    {
        var options = new StreamsOptions { ApplicationId = "a", BootstrapServers = "b", ProcessingErrorPolicy = ErrorPolicy.DeadLetter };
        var error = Assert.Throws<ArgumentException>(() => new StreamsApp(FakeTopologies.TwoStage(_created), options));
        Assert.Contains("DeadLetterTopic is required", error.Message);
        Assert.Contains("processing: DeadLetter", error.Message);
    }
}
