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
/// inner exception) or a processor threw. Names the record's topic, partition and offset and the task. The record's
/// offset was not committed: after the cause is fixed, the record is processed again.
/// </summary>
public sealed class RecordProcessingException : StreamsException
{
    internal RecordProcessingException(string message, string taskId, RecordContext record, Exception innerException)
        : base(message, innerException)
    {
        TaskId = taskId;
        Topic = record.Topic;
        Partition = record.Partition;
        Offset = record.Offset;
    }

    /// <summary>The task that processed the record, <c>subtopology_partition</c>.</summary>
    public string TaskId { get; }

    /// <summary>The record's topic.</summary>
    public string Topic { get; }

    /// <summary>The record's partition.</summary>
    public int Partition { get; }

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    /// <summary>Whether the record's key or value bytes could not be read as the declared type.</summary>
    public bool IsDeserializationError => InnerException is SerdeException;

    /// <summary>Wraps what a task threw for <paramref name="record"/>.</summary>
    internal static RecordProcessingException Create(string taskId, in RecordContext record, Exception error)
    {
        var message = error is SerdeException
            ? $"Cannot deserialize record {record} (task {taskId}): {error.Message}"
            : $"Processing record {record} failed in task {taskId}: {error.GetType().Name}: {error.Message}";
        return new RecordProcessingException(message, taskId, record, error);
    }
}
