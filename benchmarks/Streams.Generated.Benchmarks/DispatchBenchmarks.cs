using Streams.Generated.Serialization;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using Streams.Generated.Topology;

namespace Streams.Generated.Benchmarks;

/// <summary>
/// Per-record cost of the in-process path: deserialize key and value, map, filter, count in a store, serialize the
/// updated count and hand it to the collector. <c>Chain_Baseline</c> is the same work written by hand in one method.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const int Records = 1024;
    private byte[][] _keys = null!;
    private byte[][] _values = null!;
    private ITopologyTask _task = null!;
    private readonly SinkCollector _collector = new();

    // Baseline state: what a hand-written consume-transform-produce loop keeps.
    private readonly Dictionary<long, long> _counts = new();
    private readonly ArrayBufferWriter<byte> _keyBuffer = new(64), _valueBuffer = new(64);

    [GlobalSetup]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Records).Select(i => Serdes.Int64.ToBytes(i % 256)).ToArray();
        _values = Enumerable.Range(0, Records).Select(i => Serdes.Int64.ToBytes(i * 7)).ToArray();
        _task = ChainTopology.Definition.Subtopologies[0].CreateTask(new TaskContext("bench", 0, 0, _collector));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public long Chain_Baseline()
    {
        for (var i = 0; i < Records; i++)
        {
            var key = Serdes.Int64.Deserialize(_keys[i]);
            var value = Serdes.Int64.Deserialize(_values[i]) + key;
            if ((value & 1) != 0) continue;
            _counts[key] = _counts.TryGetValue(key, out var count) ? ++count : count = 1;
            _keyBuffer.ResetWrittenCount();
            Serdes.Int64.Serialize(key, _keyBuffer);
            _valueBuffer.ResetWrittenCount();
            Serdes.Int64.Serialize(count, _valueBuffer);
            _collector.Send(ChainTopology.Output, _keyBuffer.WrittenSpan, false, _valueBuffer.WrittenSpan, false, i);
        }
        return _collector.Sent;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Chain_StreamsGenerated()
    {
        for (var i = 0; i < Records; i++)
            _task.Process(0, new ConsumedRecord(ChainTopology.Input, 0, i, i, _keys[i], _values[i]));
        return _collector.Sent;
    }
}
