using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization;

namespace Streams.Generated.Tests.Runtime;

public class TaskManagerTests
{
    private readonly List<FakeTask> _created = new();
    private readonly TaskManager _tasks;

    public TaskManagerTests()
    {
        var producer = new FakeProducer();
        _tasks = new TaskManager(FakeTopologies.TwoStage(_created), "app", new RecordCollector(producer, new DeliveryTracker()));
    }

    internal static string Describe(TopicPartitionOffset o) => $"{o.Topic}[{o.Partition.Value}]@{o.Offset.Value}";

    private static TopicPartition Tp(string topic, int partition) => new(topic, new Partition(partition));

    [Fact]
    public void Source_topics_include_internal_topics_with_their_full_names()
    {
        Assert.Equal(["app-rekey", "lines"], _tasks.SourceTopics.Order());
    }

    [Fact]
    public void Assignment_creates_one_task_per_subtopology_and_partition()
    {
        _tasks.Assign([Tp("lines", 2), Tp("app-rekey", 2), Tp("lines", 0)]);

        Assert.Equal(["0_0", "0_2", "1_2"], _tasks.TaskIds());
        Assert.Equal(["0_2", "1_2", "0_0"], _created.Select(t => t.Context.ToString()));
        Assert.All(_created, t => Assert.Equal("app", t.Context.ApplicationId));
    }

    [Fact]
    public void Records_go_to_the_task_of_their_partition_and_their_offsets_are_tracked()
    {
        _tasks.Assign([Tp("lines", 0), Tp("lines", 1), Tp("app-rekey", 1)]);

        Assert.True(_tasks.Process("lines", 1, 10, 1000, [1], [2]));
        Assert.True(_tasks.Process("lines", 1, 11, 1001, null, [3]));
        Assert.True(_tasks.Process("app-rekey", 1, 5, 1002, [4], null));

        var task01 = _created.Single(t => t.Context.ToString() == "0_1");
        Assert.Equal([10L, 11L], task01.Processed.Select(p => p.Record.Offset));
        Assert.Null(task01.Processed[1].Key);
        Assert.Equal(1001, task01.Processed[1].Record.Timestamp);
        Assert.Single(_created.Single(t => t.Context.ToString() == "1_1").Processed);
        Assert.Empty(_created.Single(t => t.Context.ToString() == "0_0").Processed);

        Assert.Equal(["app-rekey[1]@6", "lines[1]@12"], _tasks.UncommittedOffsets().Select(Describe).Order());
    }

    [Fact]
    public void Committed_offsets_are_not_committed_again_until_more_records_are_processed()
    {
        _tasks.Assign([Tp("lines", 0), Tp("lines", 1)]);
        _tasks.Process("lines", 0, 0, 0, null, null);
        _tasks.Process("lines", 1, 0, 0, null, null);
        _tasks.MarkCommitted(_tasks.UncommittedOffsets());

        Assert.False(_tasks.HasUncommittedOffsets);
        Assert.Empty(_tasks.UncommittedOffsets());

        _tasks.Process("lines", 1, 1, 0, null, null);
        Assert.True(_tasks.HasUncommittedOffsets);
        Assert.Equal(["lines[1]@2"], _tasks.UncommittedOffsets().Select(Describe));
    }

    [Fact]
    public void A_record_of_an_unassigned_partition_is_not_processed_nor_tracked()
    {
        _tasks.Assign([Tp("lines", 0)]);

        Assert.False(_tasks.Process("lines", 3, 7, 0, null, null));
        Assert.False(_tasks.Process("unknown", 0, 7, 0, null, null));
        Assert.Empty(_tasks.UncommittedOffsets());
    }

    [Fact]
    public void Revoked_partitions_are_suspended_and_an_assignment_resumes_them_with_state_and_position()
    {
        _tasks.Assign([Tp("lines", 0), Tp("lines", 1)]);
        _tasks.Process("lines", 0, 5, 0, null, null);
        _tasks.Process("lines", 1, 0, 0, null, null);
        var task00 = _created.Single(t => t.Context.ToString() == "0_0");

        _tasks.Revoke([Tp("lines", 0), Tp("lines", 1)]);
        Assert.Empty(_tasks.TaskIds());
        Assert.Empty(_tasks.UncommittedOffsets());
        Assert.False(_tasks.Process("lines", 0, 6, 0, null, null));
        Assert.False(task00.Disposed);

        var positions = _tasks.Assign([Tp("lines", 0), Tp("lines", 2)]);

        Assert.Equal(["lines[0]@6", "lines[2]@-1001"], positions.Select(Describe));
        Assert.Equal(["0_0", "0_2"], _tasks.TaskIds());
        Assert.False(task00.Disposed);
        Assert.True(_created.Single(t => t.Context.ToString() == "0_1").Disposed);
        Assert.Equal(["lines[0]@6"], _tasks.UncommittedOffsets().Select(Describe));
        Assert.True(_tasks.Process("lines", 0, 6, 0, null, null));
        Assert.Equal([5L, 6L], task00.Processed.Select(p => p.Record.Offset));
        Assert.Equal(3, _created.Count);
    }

    [Fact]
    public void Lost_partitions_close_their_tasks_and_drop_their_offsets()
    {
        _tasks.Assign([Tp("lines", 0), Tp("lines", 1)]);
        _tasks.Process("lines", 0, 0, 0, null, null);
        _tasks.Process("lines", 1, 0, 0, null, null);

        var closed = _tasks.Lose([Tp("lines", 0)]);

        Assert.Equal([new TaskId(0, 0)], closed);
        Assert.True(_created.Single(t => t.Context.ToString() == "0_0").Disposed);
        Assert.Equal(["lines[1]@1"], _tasks.UncommittedOffsets().Select(Describe));
        Assert.Equal(["0_1"], _tasks.TaskIds());
        Assert.Equal(["lines[0]@-1001"], _tasks.Assign([Tp("lines", 0)]).Select(Describe));
    }

    [Fact]
    public void Close_all_disposes_active_and_suspended_tasks()
    {
        _tasks.Assign([Tp("lines", 0), Tp("app-rekey", 1)]);
        _tasks.Revoke([Tp("lines", 0)]);

        var closed = _tasks.CloseAll();

        Assert.Equal(2, closed.Count);
        Assert.All(_created, t => Assert.True(t.Disposed));
        Assert.Empty(_tasks.TaskIds());
    }

    [Fact]
    public void A_deserialization_error_names_record_task_and_type_and_leaves_the_offset_unprocessed()
    {
        _tasks.Assign([Tp("lines", 2)]);
        _tasks.Process("lines", 2, 16, 0, null, null);
        _created.Single().FailWith = record => record.Offset == 17 ? new SerdeException("long", 0, 3, "expected exactly 8 bytes, got 3") : null;

        var error = Assert.Throws<RecordProcessingException>(() => _tasks.Process("lines", 2, 17, 0, null, [1, 2, 3]));

        Assert.StartsWith("Cannot deserialize record lines[2]@17 (task 0_2): Cannot deserialize long: expected exactly 8 bytes, got 3", error.Message);
        Assert.True(error.IsDeserializationError);
        Assert.Equal(("lines", 2, 17L, "0_2"), (error.Topic, error.Partition, error.Offset, error.TaskId));
        Assert.Equal(["lines[2]@17"], _tasks.UncommittedOffsets().Select(Describe));
    }

    [Fact]
    public void A_processor_error_is_wrapped_with_the_record_and_the_original_exception()
    {
        _tasks.Assign([Tp("app-rekey", 0)]);
        var cause = new InvalidOperationException("boom");
        _created.Single().FailWith = _ => cause;

        var error = Assert.Throws<RecordProcessingException>(() => _tasks.Process("app-rekey", 0, 4, 0, null, null));

        Assert.Equal("Processing record app-rekey[0]@4 failed in task 1_0: InvalidOperationException: boom Policy: Fail (StreamsOptions.ProcessingErrorPolicy).", error.Message);
        Assert.False(error.IsDeserializationError);
        Assert.Same(cause, error.InnerException);
        Assert.Empty(_tasks.UncommittedOffsets());
    }

    [Fact]
    public void Assigning_a_topic_the_topology_does_not_read_fails_clearly()
    {
        var error = Assert.Throws<StreamsException>(() => _tasks.Assign([Tp("other", 0)]));
        Assert.Contains("does not read topic 'other'", error.Message);
    }
}
