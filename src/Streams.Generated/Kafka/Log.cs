using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streams.Generated.Kafka;

/// <summary>The runtime's structured log messages (source-generated: no boxing, no formatting when disabled).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Starting application {ApplicationId} against {BootstrapServers}; source topics: {Topics}")]
    public static partial void Starting(ILogger logger, string applicationId, string bootstrapServers, string topics);

    [LoggerMessage(2, LogLevel.Information, "Created internal topic {Topic} with {Partitions} partitions")]
    public static partial void InternalTopicCreated(ILogger logger, string topic, int partitions);

    [LoggerMessage(3, LogLevel.Debug, "Creating internal topic {Topic} failed ({Reason}); checking whether it exists")]
    public static partial void InternalTopicCreateFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(4, LogLevel.Information, "State {OldState} -> {NewState}")]
    public static partial void StateChanged(ILogger logger, StreamsState oldState, StreamsState newState);

    [LoggerMessage(5, LogLevel.Information, "Partitions assigned: {Partitions}; active tasks: {Tasks}")]
    public static partial void Assigned(ILogger logger, string partitions, string tasks);

    [LoggerMessage(6, LogLevel.Information, "Partitions revoked (tasks suspended until the next assignment): {Partitions}")]
    public static partial void Revoked(ILogger logger, string partitions);

    [LoggerMessage(7, LogLevel.Warning, "Partitions lost (uncommitted progress is reprocessed by their next owner): {Partitions}; closed tasks: {Tasks}")]
    public static partial void Lost(ILogger logger, string partitions, string tasks);

    [LoggerMessage(8, LogLevel.Debug, "Committed offsets of {Partitions} partitions")]
    public static partial void Committed(ILogger logger, int partitions);

    [LoggerMessage(9, LogLevel.Debug, "Commit attempt {Attempt} failed with {Code}; retrying")]
    public static partial void CommitRetry(ILogger logger, int attempt, ErrorCode code);

    [LoggerMessage(10, LogLevel.Warning, "Commit deferred ({Code}: {Reason}); the offsets stay pending (records may be reprocessed, none are lost)")]
    public static partial void CommitDeferred(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(11, LogLevel.Error, "Application {ApplicationId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, Exception exception, string applicationId, string reason);

    [LoggerMessage(12, LogLevel.Information, "Application {ApplicationId} stopped")]
    public static partial void Stopped(ILogger logger, string applicationId);

    [LoggerMessage(13, LogLevel.Warning, "Kafka client {Client} reported {Code}: {Reason}")]
    public static partial void ClientError(ILogger logger, string client, ErrorCode code, string reason);

    [LoggerMessage(14, LogLevel.Warning, "Consume error on {Partition}: {Reason} ({Code})")]
    public static partial void ConsumeError(ILogger logger, string partition, string reason, ErrorCode code);

    [LoggerMessage(15, LogLevel.Warning, "Cleanup after a failure failed: {Reason}")]
    public static partial void CleanupFailed(ILogger logger, string reason);

    [LoggerMessage(16, LogLevel.Debug, "Skipped a record of {Topic}[{Partition}]@{Offset}: partition not assigned here (not committed; its owner processes it)")]
    public static partial void SkippedUnassigned(ILogger logger, string topic, int partition, long offset);

    [LoggerMessage(18, LogLevel.Warning, "A StateChanged handler threw")]
    public static partial void StateChangedHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(19, LogLevel.Warning, "The final commit kept meeting a rebalance for {Seconds} s; stopping without it (the records since the last commit will be reprocessed, none are lost)")]
    public static partial void CommitAbandoned(ILogger logger, double seconds);

    [LoggerMessage(20, LogLevel.Warning, "Skipped an output record to {Topic} (partition {Partition}), policy LogAndContinue (StreamsOptions.ProductionErrorPolicy): {Reason}")]
    public static partial void ProductionSkipped(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(21, LogLevel.Warning, "Sent an output record to {Topic} (partition {Partition}) to the dead-letter topic {DeadLetterTopic}, policy DeadLetter (StreamsOptions.ProductionErrorPolicy): {Reason}")]
    public static partial void ProductionDeadLettered(ILogger logger, string topic, int partition, string deadLetterTopic, string reason);

    [LoggerMessage(22, LogLevel.Warning, "Skipped record {Topic}[{Partition}]@{Offset}, policy LogAndContinue: {Reason}")]
    public static partial void RecordSkipped(ILogger logger, Exception exception, string topic, int partition, long offset, string reason);

    [LoggerMessage(23, LogLevel.Warning, "Sent record {Topic}[{Partition}]@{Offset} to the dead-letter topic {DeadLetterTopic}, policy DeadLetter: {Reason}")]
    public static partial void RecordDeadLettered(ILogger logger, Exception exception, string topic, int partition, long offset, string deadLetterTopic, string reason);

    [LoggerMessage(24, LogLevel.Debug, "Paused {Partitions}: their buffers are full (processing is behind)")]
    public static partial void Paused(ILogger logger, string partitions);

    [LoggerMessage(25, LogLevel.Debug, "Resumed {Partitions}")]
    public static partial void Resumed(ILogger logger, string partitions);

    [LoggerMessage(27, LogLevel.Warning, "Processor {Processor} of task {TaskId} dropped the record at {Topic}[{Partition}]@{Offset} (timestamp {Timestamp}): {Reason}")]
    public static partial void RecordDropped(ILogger logger, string processor, string taskId, string topic, int partition, long offset, long timestamp, string reason);

    [LoggerMessage(26, LogLevel.Warning, "Punctuator {Punctuator} of task {TaskId} failed at {Timestamp}, policy {Policy} (StreamsOptions.ProcessingErrorPolicy): going on. {Reason}")]
    public static partial void PunctuationFailed(ILogger logger, Exception exception, string punctuator, string taskId, long timestamp, ErrorPolicy policy, string reason);

    public static void ClientLog(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
            ClientLogMessage(logger, level, message.Name, message.Facility, message.Message);
    }

    [LoggerMessage(EventId = 17, Message = "librdkafka {Client} {Facility}: {Message}")]
    private static partial void ClientLogMessage(ILogger logger, LogLevel level, string client, string facility, string message);
}
