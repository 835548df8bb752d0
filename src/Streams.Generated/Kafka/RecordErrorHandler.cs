using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Streams.Generated.Kafka;

/// <summary>
/// Applies the deserialization and processing error policies to an input record that failed: rethrow (fail), log and
/// skip, or send the original record with error headers to the dead-letter topic. Used by the stream thread only.
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
}
