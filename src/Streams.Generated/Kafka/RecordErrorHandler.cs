using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>
/// Applies the deserialization and processing error policies to an input record that failed: rethrow (fail), log and
/// skip, or send the original record with error headers to the dead-letter topic; and the processing policy to a
/// punctuator that threw. Used by the stream thread only.
/// </summary>
internal sealed class RecordErrorHandler(
    ErrorPolicy deserializationPolicy,
    ErrorPolicy processingPolicy,
    RecordCollector? deadLetters = null,
    string? deadLetterTopic = null,
    ILogger? logger = null)
{
    /// <summary>Fails on every error: the default policies.</summary>
    public static readonly RecordErrorHandler FailAlways = new(ErrorPolicy.Fail, ErrorPolicy.Fail);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public ErrorPolicy DeserializationPolicy => deserializationPolicy;

    public ErrorPolicy ProcessingPolicy => processingPolicy;

    /// <summary>Input records logged and skipped.</summary>
    public long Skipped { get; private set; }

    /// <summary>Input records sent to the dead-letter topic.</summary>
    public long DeadLettered { get; private set; }

    /// <summary>
    /// Returns when the record was dealt with (logged, or its dead letter sent) and its offset may count as processed.
    /// </summary>
    /// <exception cref="RecordProcessingException"><paramref name="error"/>, when its policy is <see cref="ErrorPolicy.Fail"/>.</exception>
    public void Handle(RecordProcessingException error, in RecordContext record, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, Headers? headers)
    {
        switch (error.Policy)
        {
            case ErrorPolicy.LogAndContinue:
                Skipped++;
                Log.RecordSkipped(_logger, error.InnerException!, record.Topic, record.Partition, record.Offset, error.Message);
                return;
            case ErrorPolicy.DeadLetter when deadLetters is not null:
                deadLetters.SendDeadLetter(key?.ToArray(), value?.ToArray(), record.Timestamp, DeadLetterHeaders.Build(headers, error.Stage, error.InnerException!,
                    record.Topic, record.Partition, record.Offset, error.ProcessorName, error.TaskId));
                DeadLettered++;
                Log.RecordDeadLettered(_logger, error.InnerException!, record.Topic, record.Partition, record.Offset, deadLetterTopic!, error.Message);
                return;
            default:
                throw error;
        }
    }

    /// <summary>Logs a record a processor dropped by design (see <see cref="TaskContext.ReportDropped"/>); dropping needs no policy.</summary>
    public void HandleDropped(string taskId, DroppedRecord dropped)
    {
        var record = dropped.Record;
        Log.RecordDropped(_logger, dropped.Processor, taskId, record.Topic, record.Partition, record.Offset, record.Timestamp, dropped.Reason);
    }

    /// <summary>
    /// Returns when the processing policy lets the app go on after a punctuator threw: the failure is logged (under
    /// <see cref="ErrorPolicy.DeadLetter"/> too: a punctuation has no input record to send).
    /// </summary>
    /// <param name="taskId">The task, <c>subtopology_partition</c>.</param>
    /// <param name="punctuator">The punctuator that threw.</param>
    /// <param name="timestamp">The time it was called with.</param>
    /// <param name="error">What it threw; a <see cref="ProcessorException"/> is unwrapped to its cause.</param>
    /// <exception cref="StreamsException">The policy is <see cref="ErrorPolicy.Fail"/>: the app stops.</exception>
    public void HandlePunctuationFailure(string taskId, PunctuationSchedule punctuator, long timestamp, Exception error)
    {
        var cause = error is ProcessorException { InnerException: { } inner } ? inner : error;
        var reason = $"{cause.GetType().Name}: {cause.Message}";
        if (processingPolicy == ErrorPolicy.Fail)
        {
            throw new StreamsException(
                $"Punctuator {punctuator} of task {taskId} failed at {timestamp}: {reason} Policy: Fail (StreamsOptions.ProcessingErrorPolicy).", cause);
        }
        FailedPunctuations++;
        Log.PunctuationFailed(_logger, cause, punctuator.ToString(), taskId, timestamp, processingPolicy, reason);
    }

    /// <summary>Punctuations that threw and were logged.</summary>
    public long FailedPunctuations { get; private set; }
}
