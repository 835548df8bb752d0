using Streams.Generated.Serialization;
using Streams.Generated.Topology;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Driver;

/// <summary>Measures allocations on this thread only; kept out of parallel runs so nothing else skews them.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTests;

[Collection(nameof(AllocationTests))]
public class NumberChainAllocationTests
{
    private sealed class CountingCollector : IRecordCollector
    {
        public long Sent;
        public long LastValue;

        public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp)
        {
            Sent++;
            LastValue = Serdes.Int64.Deserialize(value);
        }
    }

    [Fact]
    public void Deserialize_process_store_and_serialize_allocate_nothing_in_steady_state()
    {
        var collector = new CountingCollector();
        var task = NumberChain.Definition.Subtopologies[0].CreateTask(new TaskContext("alloc", 0, 0, collector));
        var keys = Enumerable.Range(0, 64).Select(i => Serdes.Int64.ToBytes(i)).ToArray();
        var values = Enumerable.Range(0, 64).Select(i => Serdes.Int64.ToBytes(i)).ToArray();

        void Run(int records)
        {
            for (var i = 0; i < records; i++)
                task.Process(0, new ConsumedRecord(NumberChain.Input, 0, i, i, keys[i % 64], values[i / 64 % 64]));
        }

        Run(10_000); // warm up: JIT, store growth, buffers
        var sentBefore = collector.Sent;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(102_400); // a multiple of 128: every value index 0..63 appears equally often
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        // Values cycle 0..63 and scale by 3; even results (half of them) reach the count and the sink.
        Assert.Equal(51_200, collector.Sent - sentBefore);
        Assert.True(collector.LastValue > 0);
    }
}

[Collection(nameof(AllocationTests))]
public class WindowedCountAllocationTests
{
    private sealed class CountingCollector : IRecordCollector
    {
        public long Sent;

        public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp) => Sent++;
    }

    [Fact]
    public void Counting_in_hopping_windows_while_they_open_and_close_allocates_nothing_in_steady_state()
    {
        var collector = new CountingCollector();
        var task = WindowedNumbers.Definition.Subtopologies[0].CreateTask(new TaskContext("alloc", 0, 0, collector));
        var keys = Enumerable.Range(0, 64).Select(i => Serdes.Int64.ToBytes(i)).ToArray();
        var offset = 0;

        void Run(int records)
        {
            // 10 records per second of record time: a new window every 50 records, one closing as often.
            for (var i = 0; i < records; i++, offset++)
                task.Process(0, new ConsumedRecord(WindowedNumbers.Input, 0, offset, offset * 100L, keys[offset % 64], keys[0]));
        }

        Run(10_000); // warm up: JIT, store growth, the first windows
        var sentBefore = collector.Sent;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(100_000); // 2,000 windows opened and closed
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(200_000, collector.Sent - sentBefore); // every record in two windows, none late
    }
}


[Collection(nameof(AllocationTests))]
public class JoinAllocationTests
{
    private sealed class CountingCollector : IRecordCollector
    {
        public long Sent;

        public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp) => Sent++;
    }

    [Fact]
    public void Joining_stream_records_and_updating_the_table_allocates_nothing_in_steady_state()
    {
        var collector = new CountingCollector();
        var subtopology = NumberJoin.Definition.Subtopologies.Single();
        var task = subtopology.CreateTask(new TaskContext("alloc", 0, 0, collector));
        var stream = subtopology.Sources.Select(s => s.Name).ToList().IndexOf(NumberJoin.Numbers);
        var table = subtopology.Sources.Select(s => s.Name).ToList().IndexOf(NumberJoin.Factors);
        var keys = Enumerable.Range(0, 128).Select(i => Serdes.Int64.ToBytes(i)).ToArray();
        var offset = 0;

        void Run(int records)
        {
            // Keys 0-63 have a factor, 64-127 none; every tenth record updates a factor.
            for (var i = 0; i < records; i++, offset++)
            {
                task.Process(stream, new ConsumedRecord(NumberJoin.Numbers, 0, offset, offset, keys[offset % 128], keys[1]));
                if (offset % 10 == 0)
                    task.Process(table, new ConsumedRecord(NumberJoin.Factors, 0, offset, offset, keys[offset / 10 % 64], keys[offset % 7]));
            }
        }

        Run(12_800); // warm up: JIT, the table filled (whole rounds of the 128 keys)
        var sentBefore = collector.Sent;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(128_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(64_000, collector.Sent - sentBefore); // the half with a factor
    }
}
