using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Generated.Kafka;

namespace Streams.Generated.Tests.Runtime;

/// <summary>Invariant 4: an offset is committed only after everything derived from the records before it was acknowledged.</summary>
public class CommitManagerTests
{
    private readonly List<FakeTask> _created = new();
    private readonly FakeProducer _producer = new();
    private readonly DeliveryTracker _deliveries = new();
    private readonly FakeCommitter _committer = new();
    private readonly TaskManager _tasks;
    private readonly CommitManager _commits;

    public CommitManagerTests()
    {
        _tasks = new TaskManager(FakeTopologies.TwoStage(_created), "app", new RecordCollector(_producer, _deliveries));
        _commits = NewCommitManager(TimeSpan.FromSeconds(5));
        _tasks.Assign([new TopicPartition("lines", 0), new TopicPartition("lines", 1)]);
        foreach (var task in _created) task.ForwardTo = "app-rekey";
    }

    private CommitManager NewCommitManager(TimeSpan flushTimeout) =>
        new(_tasks, _producer, _deliveries, _committer, NullLogger.Instance, flushTimeout) { RetryBackoff = TimeSpan.FromMilliseconds(1) };

    private static string[] Describe(IEnumerable<TopicPartitionOffset> offsets) => offsets.Select(TaskManagerTests.Describe).Order().ToArray();

    [Fact]
    public void Commits_last_processed_offset_plus_one_per_partition_after_every_output_is_acknowledged()
    {
        _tasks.Process("lines", 0, 0, 0, null, [1]);
        _tasks.Process("lines", 0, 1, 0, null, [2]);
        _tasks.Process("lines", 1, 7, 0, null, [3]);
        Assert.Equal(3, _producer.InFlight);
        _committer.BeforeCommit = () =>
        {
            Assert.Equal(0, _producer.InFlight);
            Assert.Equal(0, _deliveries.InFlight);
        };

        Assert.Equal(CommitOutcome.Committed, _commits.Commit());

        Assert.Equal(["lines[0]@2", "lines[1]@8"], Describe(Assert.Single(_committer.Commits)));
        Assert.True(_producer.FlushCalls > 0);
    }

    [Fact]
    public void Only_partitions_with_new_progress_are_committed_again()
    {
        _tasks.Process("lines", 0, 0, 0, null, null);
        _tasks.Process("lines", 1, 0, 0, null, null);
        _commits.Commit();
        _tasks.Process("lines", 1, 1, 0, null, null);

        _commits.Commit();

        Assert.Equal(["lines[1]@2"], Describe(_committer.Commits[1]));
    }

    [Fact]
    public void Nothing_processed_means_no_commit()
    {
        Assert.Equal(CommitOutcome.NothingToCommit, _commits.Commit());
        Assert.Equal(0, _committer.Calls);
    }

    [Fact]
    public void A_failed_delivery_prevents_the_commit_and_names_the_topic()
    {
        _producer.DeliveryError = topic => topic == "app-rekey" ? ErrorCode.MsgSizeTooLarge : ErrorCode.NoError;
        _tasks.Process("lines", 0, 0, 0, null, [1]);

        var error = Assert.Throws<StreamsException>(() => _commits.Commit());

        Assert.Contains("'app-rekey'", error.Message);
        Assert.Contains("MsgSizeTooLarge", error.Message);
        Assert.Equal(0, _committer.Calls);
        // Sticky: a later commit attempt fails too, even with nothing new in flight.
        Assert.Throws<StreamsException>(() => _commits.Commit());
        Assert.Equal(0, _committer.Calls);
    }

    [Fact]
    public void Unacknowledged_outputs_time_out_the_commit_instead_of_committing()
    {
        _producer.AcknowledgeOnFlush = false;
        _tasks.Process("lines", 0, 0, 0, null, [1]);

        var error = Assert.Throws<StreamsException>(() => NewCommitManager(TimeSpan.FromMilliseconds(50)).Commit());

        Assert.Contains("not acknowledged", error.Message);
        Assert.Equal(0, _committer.Calls);
    }

    [Fact]
    public void Rebalance_in_progress_is_retried()
    {
        _committer.FailTimes = 2;
        _tasks.Process("lines", 0, 0, 0, null, null);

        Assert.Equal(CommitOutcome.Committed, _commits.Commit());

        Assert.Equal(3, _committer.Calls);
        Assert.Empty(_tasks.UncommittedOffsets());
    }

    [Fact]
    public void A_commit_that_keeps_meeting_a_rebalance_is_deferred_and_kept_pending()
    {
        _committer.FailTimes = 100;
        _tasks.Process("lines", 0, 0, 0, null, null);

        Assert.Equal(CommitOutcome.Deferred, _commits.Commit());

        Assert.Equal(CommitManager.MaxCommitAttempts, _committer.Calls);
        Assert.Equal(["lines[0]@1"], Describe(_tasks.UncommittedOffsets()));
        _committer.FailTimes = 0;
        Assert.Equal(CommitOutcome.Committed, _commits.Commit());
    }

    [Theory]
    [InlineData(ErrorCode.IllegalGeneration)]
    [InlineData(ErrorCode.UnknownMemberId)]
    public void A_stale_generation_defers_without_retrying(ErrorCode code)
    {
        _committer.FailTimes = 1;
        _committer.FailWith = code;
        _tasks.Process("lines", 0, 0, 0, null, null);

        Assert.Equal(CommitOutcome.Deferred, _commits.Commit());
        Assert.Equal(1, _committer.Calls);
    }

    [Fact]
    public void A_non_retriable_commit_error_fails()
    {
        _committer.FailTimes = 1;
        _committer.FailWith = ErrorCode.GroupAuthorizationFailed;
        _tasks.Process("lines", 0, 0, 0, null, null);

        var error = Assert.Throws<StreamsException>(() => _commits.Commit());
        Assert.Contains("GroupAuthorizationFailed", error.Message);
    }

    [Fact]
    public void A_revoked_partition_loses_its_pending_offset_but_others_are_still_committed()
    {
        _tasks.Process("lines", 0, 0, 0, null, null);
        _tasks.Process("lines", 1, 0, 0, null, null);
        _tasks.Revoke([new TopicPartition("lines", 0)]);

        _commits.Commit();

        Assert.Equal(["lines[1]@1"], Describe(Assert.Single(_committer.Commits)));
    }
}
