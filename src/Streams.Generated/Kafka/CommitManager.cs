using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Streams.Generated.Kafka;

/// <summary>Commits consumer offsets; a seam for unit tests.</summary>
internal interface IOffsetCommitter
{
    /// <summary>Commits synchronously.</summary>
    /// <exception cref="KafkaException">The commit failed.</exception>
    void Commit(IReadOnlyList<TopicPartitionOffset> offsets);
}

/// <summary>The real consumer behind <see cref="IOffsetCommitter"/>.</summary>
internal sealed class KafkaOffsetCommitter(IConsumer<StagedBytes, StagedBytes> consumer) : IOffsetCommitter
{
    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets) => consumer.Commit(offsets);
}

/// <summary>What a commit attempt did.</summary>
internal enum CommitOutcome
{
    /// <summary>Nothing was processed since the last commit.</summary>
    NothingToCommit,

    /// <summary>The offsets were committed.</summary>
    Committed,

    /// <summary>
    /// The group is rebalancing (or this member's generation is stale): the offsets stay pending and are tried again at
    /// the next commit. Safe: records whose offsets are never committed are reprocessed, not lost.
    /// </summary>
    Deferred,
}

/// <summary>
/// The at-least-once commit (invariant 4): flush the producer until every record sent so far is acknowledged; if any
/// delivery failed, fail without committing; else commit last processed offset + 1 per partition, synchronously.
/// </summary>
internal sealed class CommitManager(
    TaskManager tasks,
    IRecordProducer producer,
    DeliveryTracker deliveries,
    IOffsetCommitter committer,
    ILogger logger,
    TimeSpan flushTimeout)
{
    internal const int MaxCommitAttempts = 4;
    private static readonly TimeSpan FlushStep = TimeSpan.FromMilliseconds(100);

    /// <summary>Where commit durations and failures are reported, or <see langword="null"/>.</summary>
    internal StreamsMetrics? Metrics { get; init; }

    /// <summary>Time to wait before commit attempt n + 1 (n from 1); kept short because the consumer is not polled meanwhile.</summary>
    internal TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Flushes the producer and commits what was processed.</summary>
    /// <exception cref="StreamsException">A delivery failed, flushing timed out, or the commit failed for good.</exception>
    public CommitOutcome Commit()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = CommitOnce();
            if (outcome == CommitOutcome.Deferred) Metrics?.CommitFailures.Add(1);
            else if (outcome == CommitOutcome.Committed) Metrics?.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return outcome;
        }
        catch
        {
            Metrics?.CommitFailures.Add(1);
            throw;
        }
    }

    private CommitOutcome CommitOnce()
    {
        // Flush even when no offset is pending: a caller about to stop relies on the flush.
        FlushAndCheck();
        var offsets = tasks.UncommittedOffsets();
        if (offsets.Count == 0) return CommitOutcome.NothingToCommit;

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                committer.Commit(offsets);
                tasks.MarkCommitted(offsets);
                Log.Committed(logger, offsets.Count);
                return CommitOutcome.Committed;
            }
            catch (KafkaException e)
            {
                var code = CommitErrorCode(e);
                if (IsStaleMember(code))
                {
                    // The group moved on without this member: its partitions are about to be revoked or lost.
                    Log.CommitDeferred(logger, code, e.Message);
                    return CommitOutcome.Deferred;
                }
                if (!IsRetriable(code))
                    throw new StreamsException($"Committing offsets failed: {e.Message} ({code}).", e);
                if (attempt == MaxCommitAttempts)
                {
                    Log.CommitDeferred(logger, code, e.Message);
                    return CommitOutcome.Deferred;
                }
                Log.CommitRetry(logger, attempt, code);
                Thread.Sleep(RetryBackoff * attempt);
            }
        }
    }

    /// <summary>Waits until every record sent so far is acknowledged; throws the first delivery error.</summary>
    public void FlushAndCheck()
    {
        var started = Stopwatch.GetTimestamp();
        while (deliveries.InFlight > 0)
        {
            producer.Flush(FlushStep);
            if (deliveries.InFlight > 0 && Stopwatch.GetElapsedTime(started) > flushTimeout)
                throw new StreamsException($"{deliveries.InFlight} produced records were not acknowledged within {flushTimeout}; offsets are not committed.");
        }
        if (deliveries.FirstError is { } error) throw error;
    }

    private static ErrorCode CommitErrorCode(KafkaException e)
    {
        if (e.Error.IsError) return e.Error.Code;
        if (e is TopicPartitionOffsetException partitions)
            foreach (var result in partitions.Results)
                if (result.Error.IsError) return result.Error.Code;
        return e.Error.Code;
    }

    internal static bool IsStaleMember(ErrorCode code) =>
        code is ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedInstanceId
            or ErrorCode.StaleMemberEpoch or ErrorCode.Local_State;

    internal static bool IsRetriable(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.RequestTimedOut or ErrorCode.Local_TimedOut
            or ErrorCode.GroupLoadInProgress or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.NotCoordinatorForGroup
            or ErrorCode.Local_Transport or ErrorCode.Local_WaitCoord;
}
