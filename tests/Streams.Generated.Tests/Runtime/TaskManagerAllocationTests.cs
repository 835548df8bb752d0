using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Tests.Driver;
using Streams.Generated.Topology;

namespace Streams.Generated.Tests.Runtime;

/// <summary>The runtime's own share of the per-record path (buffer, order, dispatch, offsets) allocates nothing in steady state.</summary>
[Collection(nameof(AllocationTests))]
public class TaskManagerAllocationTests
{
    private sealed class CountingTask : ITopologyTask
    {
        public long Processed;

        public void Process(int sourceIndex, in ConsumedRecord record) => Processed += record.Value!.Value.Length;

        public object? GetStore(string name) => null;
    }

    [Fact]
    public void Buffering_and_processing_records_allocates_nothing_once_warm()
    {
        var task = new CountingTask();
        var topology = new TopologyDefinition("t", [new SubtopologyDefinition(0, [new TopicReference("in", false)], [], [], _ => task)], "", "");
        var metrics = new StreamsMetrics("alloc-test");
        var tasks = new TaskManager(topology, "app", new RecordCollector(new FakeProducer(), new DeliveryTracker()), null,
            TaskOptions.Default with { Metrics = metrics.AddThread(0) });
        tasks.Assign([new TopicPartition("in", new Partition(0)), new TopicPartition("in", new Partition(1))]);
        var pause = new List<TopicPartition>();
        var resume = new List<TopicPartition>();
        byte[] key = [1, 2, 3, 4, 5, 6, 7, 8];
        var value = new byte[100];
        long offset = 0;

        void Round()
        {
            for (var i = 0; i < 500; i++)
            {
                tasks.Buffer("in", i & 1, offset, offset, key, false, value, false, null);
                offset++;
            }
            tasks.FlushBuffers(pause);
            while (tasks.ProcessBuffered(500, resume) > 0) { }
            tasks.UpdateGauges();
        }

        for (var i = 0; i < 200; i++) Round(); // warm up: pools filled, code tiered
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++) Round();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(400 * 500 * 100L, task.Processed);
        Assert.Equal(0, allocated);
        metrics.Dispose();
    }
}

public class TaskMetricsTests
{
    private sealed class NoopTask : ITopologyTask
    {
        public void Process(int sourceIndex, in ConsumedRecord record) { }

        public object? GetStore(string name) => null;
    }

    [Fact]
    public void A_task_created_again_continues_its_counters_on_any_thread_of_the_app()
    {
        var topology = new TopologyDefinition("t", [new SubtopologyDefinition(0, [new TopicReference("in", false)], [], [], _ => new NoopTask())], "", "");
        using var metrics = new StreamsMetrics("metrics-test");
        TaskManager Thread(int index) => new(topology, "app", new RecordCollector(new FakeProducer(), new DeliveryTracker()), null,
            TaskOptions.Default with { Metrics = metrics.AddThread(index) });
        var partition = new TopicPartition("in", new Partition(0));
        var first = Thread(0);
        first.Assign([partition]);
        first.Process("in", 0, 0, 0, null, "v"u8.ToArray());
        first.Process("in", 0, 1, 1, null, "v"u8.ToArray());
        first.Revoke([partition]);
        first.CloseAll();

        var second = Thread(1);
        second.Assign([partition]);
        second.Process("in", 0, 2, 2, null, "v"u8.ToArray());

        var task = metrics.ForTask("0_0");
        Assert.Equal((3L, 3L), (task.Consumed, task.Processed));
    }
}
