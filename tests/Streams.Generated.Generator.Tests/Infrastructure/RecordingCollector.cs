using Streams.Generated.Topology;

namespace Streams.Generated.Generator.Tests.Infrastructure;

/// <summary>A record a task sent, with copies of its bytes.</summary>
public sealed record SentRecord(string Topic, byte[]? Key, byte[]? Value, long Timestamp);

/// <summary>Records every <see cref="IRecordCollector.Send"/> of a task.</summary>
public sealed class RecordingCollector : IRecordCollector
{
    public List<SentRecord> Sent { get; } = [];

    public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp) =>
        Sent.Add(new SentRecord(topic, keyIsNull ? null : key.ToArray(), valueIsNull ? null : value.ToArray(), timestamp));
}
