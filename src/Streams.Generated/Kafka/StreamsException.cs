using Streams.Generated.Serialization;

namespace Streams.Generated.Kafka;

/// <summary>An error that stopped a <see cref="StreamsApp"/>, or a setup problem it cannot run with.</summary>
public class StreamsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamsException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public StreamsException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>
/// A record could not be processed: its bytes do not match the declared type (<see cref="SerdeException"/> as the
/// inner exception) or a processor threw (its exception as the inner exception, its name in <see cref="ProcessorName"/>).
/// Names the record's topic, partition and offset, the task, and the error policy that applied. Under
/// <see cref="ErrorPolicy.Fail"/> the record's offset was not committed: after the cause is fixed, it is processed again.
/// </summary>
public sealed class RecordProcessingException : StreamsException
{
    private RecordProcessingException(string message, string taskId, RecordContext record, string? processorName, ErrorPolicy policy, Exception innerException)
        : base(message, innerException)
    {
        TaskId = taskId;
        Topic = record.Topic;
        Partition = record.Partition;
        Offset = record.Offset;
        ProcessorName = processorName;
        Policy = policy;
    }

    /// <summary>The task that processed the record, <c>subtopology_partition</c>.</summary>
    public string TaskId { get; }

    /// <summary>The record's topic.</summary>
    public string Topic { get; }

    /// <summary>The record's partition.</summary>
    public int Partition { get; }

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    /// <summary>The processor that threw, or <see langword="null"/> when the record could not be deserialized.</summary>
    public string? ProcessorName { get; }

    /// <summary>The policy configured for this kind of error.</summary>
    public ErrorPolicy Policy { get; }

    /// <summary>Whether the record's key or value bytes could not be read as the declared type (no processor ran).</summary>
    public bool IsDeserializationError => ProcessorName is null && InnerException is SerdeException;

    /// <summary>The stage that failed, as in <see cref="DeadLetterHeaders.Stage"/>: <c>deserialization</c> or <c>processing</c>.</summary>
    internal string Stage => IsDeserializationError ? "deserialization" : "processing";

    /// <summary>Wraps what a task threw for <paramref name="record"/>; a <see cref="ProcessorException"/> is unwrapped to its cause.</summary>
    internal static RecordProcessingException Create(string taskId, in RecordContext record, Exception error, ErrorPolicy deserializationPolicy, ErrorPolicy processingPolicy)
    {
        if (error is ProcessorException { InnerException: { } cause } failed)
        {
            return new RecordProcessingException(
                $"Processor '{failed.ProcessorName}' failed on record {record} (task {taskId}): {cause.GetType().Name}: {cause.Message} " +
                $"Policy: {processingPolicy} (StreamsOptions.ProcessingErrorPolicy).",
                taskId, record, failed.ProcessorName, processingPolicy, cause);
        }
        if (error is SerdeException)
        {
            return new RecordProcessingException(
                $"Cannot deserialize record {record} (task {taskId}): {error.Message} Policy: {deserializationPolicy} (StreamsOptions.DeserializationErrorPolicy).",
                taskId, record, null, deserializationPolicy, error);
        }
        return new RecordProcessingException(
            $"Processing record {record} failed in task {taskId}: {error.GetType().Name}: {error.Message} Policy: {processingPolicy} (StreamsOptions.ProcessingErrorPolicy).",
            taskId, record, null, processingPolicy, error);
    }
}
