using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using Streams.Generated.Kafka;

namespace Streams.Generated.Tests.Runtime;

/// <summary>How a task picks its next record across its partitions, waits for an empty one, and pauses full ones.</summary>
public class PartitionGroupTests
{
    private readonly List<FakeTask> _created = new();
    private readonly FakeTimeProvider _clock = new();

    private static TopicPartition Tp(string topic, int partition) => new(topic, new Partition(partition));

    private readonly HashSet<string> _caughtUp = new();

    private TaskManager Create(TimeSpan maxTaskIdle = default, long pauseBytes = 1 << 20, long resumeBytes = 1 << 19, bool rightIsTable = false) =>
        new(FakeTopologies.TwoSources(_created, rightIsTable), "app", new RecordCollector(new FakeProducer(), new DeliveryTracker()), null,
            new TaskOptions(pauseBytes, resumeBytes, false, maxTaskIdle, _clock, IsCaughtUp: (tp, next) => { _askedNext[tp.Topic] = next; return _caughtUp.Contains(tp.Topic); }));

    private readonly Dictionary<string, long> _askedNext = new(); // the next offset each topic's question carried

    private static void Buffer(TaskManager tasks, string topic, long offset, long timestamp) =>
        Assert.True(tasks.Buffer(topic, 0, offset, timestamp, default, true, [(byte)offset], false, null));

    [Fact]
    public void A_task_processes_the_records_of_its_partitions_in_timestamp_order()
    {
        var tasks = Create();
        tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        Buffer(tasks, "left", 0, 10);
        Buffer(tasks, "left", 1, 30);
        Buffer(tasks, "left", 2, 50);
        Buffer(tasks, "right", 0, 20);
        Buffer(tasks, "right", 1, 40);
        Buffer(tasks, "right", 2, 45);
        tasks.FlushBuffers([]);

        Assert.Equal(6, tasks.ProcessBuffered(100, []));

        var task = _created.Single();
        Assert.Equal([10L, 20, 30, 40, 45, 50], task.Processed.Select(p => p.Record.Timestamp));
        Assert.Equal([0, 1, 0, 1, 1, 0], task.Processed.Select(p => p.SourceIndex));
        Assert.Equal(["left[0]@3", "right[0]@3"], tasks.UncommittedOffsets().Select(TaskManagerTests.Describe).Order());
    }

    [Fact]
    public void Records_appended_but_not_flushed_are_not_processed_and_a_batch_limit_is_kept()
    {
        var tasks = Create();
        tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        for (var i = 0; i < 5; i++) Buffer(tasks, "left", i, i);
        Assert.False(tasks.HasProcessableRecords);
        tasks.FlushBuffers([]);
        Assert.True(tasks.HasProcessableRecords);

        Assert.Equal(2, tasks.ProcessBuffered(2, []));
        Assert.Equal(3, tasks.ProcessBuffered(100, []));
        Assert.False(tasks.HasProcessableRecords);
    }

    [Fact]
    public void An_empty_partition_that_is_caught_up_is_not_waited_for()
    {
        var tasks = Create(maxTaskIdle: TimeSpan.FromHours(1));
        tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        Buffer(tasks, "left", 0, 100);
        tasks.FlushBuffers([]);
        Assert.Equal(0, tasks.ProcessBuffered(100, [])); // "right" may still hold records: wait

        _caughtUp.Add("right"); // its consumer position reached the high watermark: nothing older can be on the way
        Assert.Equal(1, tasks.ProcessBuffered(100, []));
        Assert.Equal(100, _created.Single().Processed.Single().Record.Timestamp);
    }

    [Fact]
    public void A_table_is_read_from_the_beginning_and_waited_for_until_caught_up_even_without_an_idle_wait()
    {
        var tasks = Create(rightIsTable: true);
        var positions = tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        Assert.Equal([Offset.Unset, Offset.Beginning], positions.Select(p => p.Offset)); // a new task's store is empty: read the whole table

        Buffer(tasks, "left", 0, 100);
        tasks.FlushBuffers([]);
        Assert.Equal(0, tasks.ProcessBuffered(100, [])); // the table may hold updates older than the stream record
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, tasks.ProcessBuffered(100, [])); // however long: no idle wait gives up on a table

        Buffer(tasks, "right", 0, 50);
        tasks.FlushBuffers([]);
        Assert.Equal(1, tasks.ProcessBuffered(100, [])); // the table update first, then the table is empty and lags again
        _caughtUp.Add("right");
        Assert.Equal(1, tasks.ProcessBuffered(100, []));
        Assert.Equal([(1, 50L), (0, 100L)], _created.Single().Processed.Select(p => (p.SourceIndex, p.Record.Timestamp)));

        // Restored: from now on the table is a partition like the others (no idle wait configured: not waited for).
        _caughtUp.Remove("right");
        Buffer(tasks, "left", 1, 200);
        tasks.FlushBuffers([]);
        Assert.Equal(1, tasks.ProcessBuffered(100, []));
    }

    [Fact]
    public void A_table_assigned_again_after_a_revocation_is_asked_about_with_the_offset_it_resumes_at()
    {
        var tasks = Create(rightIsTable: true);
        tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        for (var offset = 0; offset < 3; offset++) Buffer(tasks, "right", offset, offset);
        tasks.FlushBuffers([]);
        Assert.Equal(3, tasks.ProcessBuffered(100, []));

        tasks.Revoke([Tp("left", 0), Tp("right", 0)]);
        var positions = tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        Assert.Equal(3, positions.Single(p => p.Topic == "right").Offset.Value); // resumed with its store, not re-read

        Buffer(tasks, "left", 0, 100);
        tasks.FlushBuffers([]);
        Assert.Equal(0, tasks.ProcessBuffered(100, []));
        // Until the consumer delivers a record from it, it knows no position there: the question carries the task's own.
        Assert.Equal(3, _askedNext["right"]);
    }

    [Fact]
    public void With_an_idle_wait_a_task_waits_for_an_empty_partition_then_goes_on_without_it()
    {
        var tasks = Create(maxTaskIdle: TimeSpan.FromMilliseconds(500));
        tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        Buffer(tasks, "left", 0, 100);
        tasks.FlushBuffers([]);

        Assert.Equal(0, tasks.ProcessBuffered(100, [])); // "right" may hold an older record: wait
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(0, tasks.ProcessBuffered(100, []));

        Buffer(tasks, "right", 0, 50); // it arrives in time, and goes first
        tasks.FlushBuffers([]);
        Assert.Equal(1, tasks.ProcessBuffered(1, []));
        Assert.Equal(50, _created.Single().Processed.Single().Record.Timestamp);

        // Now "right" is empty again: wait again, and after the idle time process "left" without it.
        Assert.Equal(0, tasks.ProcessBuffered(100, []));
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, tasks.ProcessBuffered(100, []));
        Assert.Equal([50L, 100], _created.Single().Processed.Select(p => p.Record.Timestamp));

        // Everything processed; a later record on one side waits the whole idle time again.
        Assert.False(tasks.HasProcessableRecords);
        Buffer(tasks, "left", 1, 200);
        tasks.FlushBuffers([]);
        Assert.Equal(0, tasks.ProcessBuffered(100, []));
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(0, tasks.ProcessBuffered(100, []));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, tasks.ProcessBuffered(100, []));
    }

    [Fact]
    public void A_full_buffer_asks_to_pause_its_partition_and_a_drained_one_to_resume_it()
    {
        var tasks = Create(pauseBytes: 250, resumeBytes: 100);
        tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        var pause = new List<TopicPartition>();
        for (var i = 0; i < 10; i++) Buffer(tasks, "left", i, i); // 25-byte frames
        tasks.FlushBuffers(pause);

        Assert.Equal([Tp("left", 0)], pause);
        Assert.Equal(1, tasks.PausedPartitions);
        Assert.Equal(250, tasks.BufferedBytes);

        var resume = new List<TopicPartition>();
        tasks.ProcessBuffered(6, resume);
        Assert.Empty(resume); // 100 bytes left: not under the resume threshold yet
        tasks.ProcessBuffered(1, resume);
        Assert.Equal([Tp("left", 0)], resume);
        Assert.Equal(0, tasks.PausedPartitions);
    }

    [Fact]
    public void A_revocation_drops_unprocessed_records_and_the_reassigned_partition_resumes_after_the_last_processed_one()
    {
        var tasks = Create();
        tasks.Assign([Tp("left", 0), Tp("right", 0)]);
        for (var i = 0; i < 4; i++) Buffer(tasks, "left", i, i);
        tasks.FlushBuffers([]);
        tasks.ProcessBuffered(2, []);

        tasks.Revoke([Tp("left", 0), Tp("right", 0)]);
        Assert.Equal(0, tasks.BufferedBytes);
        var positions = tasks.Assign([Tp("left", 0), Tp("right", 0)]);

        Assert.Equal(["left[0]@2", "right[0]@-1001"], positions.Select(TaskManagerTests.Describe).Order());
        Assert.Single(_created); // the task (and its state) survived
    }
}
