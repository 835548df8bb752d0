using System.Buffers;
using BenchmarkDotNet.Attributes;
using Streams.Generated.Serialization;
using Streams.Generated.Topology;

namespace Streams.Generated.Benchmarks;

/// <summary>Orders (long key: customer id, long value: amount) joined with a table of customer discounts.</summary>
[Topology("join")]
public static partial class JoinTopology
{
    public const string Orders = "orders";
    public const string Discounts = "discounts";
    public const string Output = "discounted";

    [Join(From = Orders, Table = Discounts, Store = "discounts", To = Output)]
    public partial class Discount
    {
        public static long Join(long customerId, long amount, long discount) => amount - discount;
    }
}

/// <summary><see cref="JoinTopology"/> without a declared key: the table is keyed by the raw key bytes.</summary>
[Topology("join-raw-key")]
public static partial class RawKeyJoinTopology
{
    [Join(From = JoinTopology.Orders, Table = JoinTopology.Discounts, Store = "discounts", To = JoinTopology.Output)]
    public partial class Discount
    {
        public static long Join(long amount, long discount) => amount - discount;
    }
}

/// <summary>
/// Per-record cost of a stream-table join in process: deserialize key and value, look the key up in the table, join,
/// serialize the result and hand it to the collector. Half of the keys have a table value (an inner join: the other half
/// produces nothing). Every 16th record is a table update of an existing key. <c>Join_Baseline</c> is the same work
/// written by hand with a <c>Dictionary&lt;long, long&gt;</c>.
/// </summary>
[MemoryDiagnoser]
public class JoinBenchmarks
{
    private const int Records = 1024;
    private byte[][] _keys = null!;
    private byte[][] _values = null!;
    private ITopologyTask _task = null!, _rawKeyTask = null!;
    private int _orders, _discounts;
    private readonly SinkCollector _collector = new();

    private readonly Dictionary<long, long> _table = new();
    private readonly ArrayBufferWriter<byte> _keyBuffer = new(64), _valueBuffer = new(64);

    [GlobalSetup]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Records).Select(i => Serdes.Int64.ToBytes(i % 512)).ToArray();
        _values = Enumerable.Range(0, Records).Select(i => Serdes.Int64.ToBytes(i * 7)).ToArray();
        var subtopology = JoinTopology.Definition.Subtopologies.Single();
        _task = subtopology.CreateTask(new TaskContext("bench", 0, 0, _collector));
        _rawKeyTask = RawKeyJoinTopology.Definition.Subtopologies.Single().CreateTask(new TaskContext("bench", 0, 0, _collector));
        _orders = IndexOf(subtopology, JoinTopology.Orders);
        _discounts = IndexOf(subtopology, JoinTopology.Discounts);
        if (IndexOf(RawKeyJoinTopology.Definition.Subtopologies.Single(), JoinTopology.Discounts) != _discounts)
            throw new InvalidOperationException("Both join topologies must read their sources in the same order.");
        for (var key = 0; key < 256; key++)
        {
            _table[key] = key;
            _task.Process(_discounts, new ConsumedRecord(JoinTopology.Discounts, 0, key, 0, _keys[key], _keys[key]));
            _rawKeyTask.Process(_discounts, new ConsumedRecord(JoinTopology.Discounts, 0, key, 0, _keys[key], _keys[key]));
        }
    }

    private static int IndexOf(SubtopologyDefinition subtopology, string topic)
    {
        for (var i = 0; i < subtopology.Sources.Count; i++)
            if (subtopology.Sources[i].Name == topic) return i;
        throw new ArgumentException(topic);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public long Join_Baseline()
    {
        for (var i = 0; i < Records; i++)
        {
            var key = Serdes.Int64.Deserialize(_keys[i]);
            if ((i & 15) == 0)
            {
                _table[key & 255] = Serdes.Int64.Deserialize(_values[i]);
                continue;
            }
            var amount = Serdes.Int64.Deserialize(_values[i]);
            if (!_table.TryGetValue(key, out var discount)) continue;
            _keyBuffer.ResetWrittenCount();
            Serdes.Int64.Serialize(key, _keyBuffer);
            _valueBuffer.ResetWrittenCount();
            Serdes.Int64.Serialize(amount - discount, _valueBuffer);
            _collector.Send(JoinTopology.Output, _keyBuffer.WrittenSpan, false, _valueBuffer.WrittenSpan, false, i);
        }
        return _collector.Sent;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Join_StreamsGenerated() => Run(_task);

    /// <summary>The same join keyed by the raw key bytes (<c>Join(amount, discount)</c>, no key parameter).</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long Join_StreamsGenerated_RawKey() => Run(_rawKeyTask);

    private long Run(ITopologyTask task)
    {
        for (var i = 0; i < Records; i++)
        {
            if ((i & 15) == 0)
                task.Process(_discounts, new ConsumedRecord(JoinTopology.Discounts, 0, i, i, _keys[i & 255], _values[i]));
            else
                task.Process(_orders, new ConsumedRecord(JoinTopology.Orders, 0, i, i, _keys[i], _values[i]));
        }
        return _collector.Sent;
    }
}
