using Streams.Generated.Topology;

namespace Streams.Generated.Benchmarks;

/// <summary>Stands in for the producer: counts records and touches the bytes so the work is not elided.</summary>
internal sealed class SinkCollector : IRecordCollector
{
    public long Sent;

    public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp) =>
        Sent += key[^1] + value[^1] + 1;
}
