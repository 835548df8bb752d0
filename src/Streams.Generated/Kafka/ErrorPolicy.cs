using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Streams.Generated.Kafka;

/// <summary>What the runtime does with a record it cannot deserialize, process or produce.</summary>
public enum ErrorPolicy
{
    /// <summary>
    /// Stop the application with the error (the default). Progress before the record is committed; the record is not,
    /// so after a fix and a restart it is processed again. Nothing is lost.
    /// </summary>
    Fail,

    /// <summary>Log the error with the record's topic, partition and offset, skip the record, and go on.</summary>
    LogAndContinue,

    /// <summary>
    /// Send the record (original key, value, headers and timestamp) to <see cref="StreamsOptions.DeadLetterTopic"/> with
    /// <see cref="DeadLetterHeaders"/> describing the error, and go on. The input offset is committed only after the
    /// dead letter was acknowledged.
    /// </summary>
    DeadLetter,
}

/// <summary>
/// Headers added to a dead letter, beside the original record's own headers (names as Kafka Streams' KIP-1034, plus the
/// processor and task). Values are UTF-8 text.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>The exception's full type name (for a processor failure: the processor's own exception).</summary>
    public const string Exception = "__streams.errors.exception";

    /// <summary>The exception message.</summary>
    public const string Message = "__streams.errors.message";

    /// <summary>The exception's stack trace.</summary>
    public const string StackTrace = "__streams.errors.stacktrace";

    /// <summary>The topic the record came from (input errors) or was being written to (production errors).</summary>
    public const string Topic = "__streams.errors.topic";

    /// <summary>The partition of <see cref="Topic"/>; absent when the failed production had no partition yet.</summary>
    public const string Partition = "__streams.errors.partition";

    /// <summary>The offset of an input record; absent for production errors.</summary>
    public const string Offset = "__streams.errors.offset";

    /// <summary>The processor that threw; absent for deserialization and production errors.</summary>
    public const string Processor = "__streams.errors.processor";

    /// <summary>The task (<c>subtopology_partition</c>) that read the record; absent for production errors.</summary>
    public const string Task = "__streams.errors.task";

    /// <summary>Which stage failed: <c>deserialization</c>, <c>processing</c> or <c>production</c>.</summary>
    public const string Stage = "__streams.errors.stage";

    /// <summary>The original headers followed by the error headers.</summary>
    internal static Headers Build(Headers? original, string stage, Exception error, string topic, int? partition, long? offset, string? processor, string? task)
    {
        var headers = new Headers();
        if (original is not null)
            foreach (var header in original) headers.Add(header.Key, header.GetValueBytes());
        Add(headers, Stage, stage);
        Add(headers, Exception, error.GetType().FullName ?? error.GetType().Name);
        Add(headers, Message, error.Message);
        Add(headers, StackTrace, error.StackTrace ?? "");
        Add(headers, Topic, topic);
        if (partition is { } p) Add(headers, Partition, p.ToString(CultureInfo.InvariantCulture));
        if (offset is { } o) Add(headers, Offset, o.ToString(CultureInfo.InvariantCulture));
        if (processor is not null) Add(headers, Processor, processor);
        if (task is not null) Add(headers, Task, task);
        return headers;
    }

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
