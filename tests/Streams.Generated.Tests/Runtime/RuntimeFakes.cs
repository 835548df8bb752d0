using Confluent.Kafka;
using Streams.Generated.Kafka;
using Streams.Generated.Topology;

namespace Streams.Generated.Tests.Runtime;

/// <summary>A task that records what it processed and punctuated, and can forward records or fail on demand.</summary>
internal sealed class FakeTask(TaskContext context) : ITopologyTask, IDisposable
{
    public TaskContext Context { get; } = context;
    public List<(int SourceIndex, RecordContext Record, byte[]? Key, byte[]? Value)> Processed { get; } = new();
    public Func<RecordContext, Exception?> FailWith { get; set; } = _ => null;

    /// <summary>When set, every processed record is also sent (same key and value) to this topic.</summary>
    public string? ForwardTo { get; set; }

    public bool Disposed { get; private set; }

    /// <summary>Every punctuation: the punctuator's index and the time it was called with.</summary>
    public List<(int Punctuator, long Timestamp)> Punctuated { get; } = new();

    /// <summary>What a punctuation throws, if anything.</summary>
    public Func<int, long, Exception?> FailPunctuationWith { get; set; } = (_, _) => null;

    /// <summary>When set, every punctuation sends a record to this topic with the punctuation's timestamp.</summary>
    public string? PunctuateTo { get; set; }

    public void Process(int sourceIndex, in ConsumedRecord record)
    {
        if (FailWith(record.Context) is { } error) throw error;
        // The bytes are borrowed for the call: keep copies.
        Processed.Add((sourceIndex, record.Context, record.Key?.ToArray(), record.Value?.ToArray()));
        if (ForwardTo is not null)
            Context.Collector.Send(ForwardTo, record.Key.GetValueOrDefault().Span, record.Key is null, record.Value.GetValueOrDefault().Span, record.Value is null, record.Context.Timestamp);
    }

    public object? GetStore(string name) => null;

    public void Punctuate(int punctuator, long timestamp)
    {
        Punctuated.Add((punctuator, timestamp));
        if (FailPunctuationWith(punctuator, timestamp) is { } error) throw error;
        if (PunctuateTo is not null)
            Context.Collector.Send(PunctuateTo, [], true, [(byte)punctuator], false, timestamp);
    }

    public void Dispose() => Disposed = true;
}

/// <summary>
/// A producer that keeps records "in flight" until <see cref="Flush"/> (or <see cref="AcknowledgeAll"/>) delivers them,
/// optionally failing some deliveries.
/// </summary>
internal sealed class FakeProducer : IRecordProducer
{
    private readonly List<(string Topic, Message<byte[]?, byte[]?> Message, Action<DeliveryReport<byte[]?, byte[]?>> Handler)> _inFlight = new();

    public List<(string Topic, byte[]? Key, byte[]? Value, long Timestamp, Headers? Headers)> Sent { get; } = new();
    public int QueueFullTimes { get; set; }
    public int FlushCalls { get; private set; }
    public bool AcknowledgeOnFlush { get; set; } = true;
    public Func<string, ErrorCode> DeliveryError { get; set; } = _ => ErrorCode.NoError;
    public Exception? ThrowOnProduce { get; set; }

    /// <summary>With <see cref="ThrowOnProduce"/>: throw only for this topic (null: every topic).</summary>
    public string? ThrowOnProduceTo { get; set; }
    public int InFlight => _inFlight.Count;

    public bool TryProduce(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers, Action<DeliveryReport<byte[]?, byte[]?>> onDelivery)
    {
        if (ThrowOnProduce is { } error && (ThrowOnProduceTo is null || ThrowOnProduceTo == topic)) throw error;
        if (QueueFullTimes > 0)
        {
            QueueFullTimes--;
            return false;
        }
        Sent.Add((topic, key, value, timestamp, headers));
        _inFlight.Add((topic, new Message<byte[]?, byte[]?> { Key = key, Value = value, Timestamp = new Timestamp(timestamp, TimestampType.CreateTime), Headers = headers }, onDelivery));
        return true;
    }

    public int Flush(TimeSpan timeout)
    {
        FlushCalls++;
        if (AcknowledgeOnFlush) AcknowledgeAll();
        return _inFlight.Count;
    }

    public void AcknowledgeAll()
    {
        // Handlers may produce again (a dead letter): deliver a snapshot, keep what they add.
        var delivering = _inFlight.ToList();
        _inFlight.Clear();
        foreach (var (topic, message, handler) in delivering)
        {
            handler(new DeliveryReport<byte[]?, byte[]?>
            {
                Topic = topic,
                Partition = new Partition(0),
                Error = new Error(DeliveryError(topic)),
                Message = message,
            });
        }
    }
}

/// <summary>Records commits; can fail the first calls with a given error.</summary>
internal sealed class FakeCommitter : IOffsetCommitter
{
    public List<List<TopicPartitionOffset>> Commits { get; } = new();
    public int Calls { get; private set; }
    public int FailTimes { get; set; }
    public ErrorCode FailWith { get; set; } = ErrorCode.RebalanceInProgress;

    /// <summary>Runs before every commit attempt (e.g. to assert nothing is in flight).</summary>
    public Action? BeforeCommit { get; set; }

    public void Commit(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        Calls++;
        BeforeCommit?.Invoke();
        if (FailTimes > 0)
        {
            FailTimes--;
            throw new KafkaException(new Error(FailWith, "injected"));
        }
        Commits.Add(offsets.ToList());
    }
}

/// <summary>Hand-built topologies for runtime tests (no generator needed).</summary>
internal static class FakeTopologies
{
    public const string Input = "lines";
    public const string Output = "counts";

    /// <summary>
    /// Two sub-topologies like word count: 0 reads <c>lines</c> and writes the internal <c>rekey</c>, 1 reads
    /// <c>{app}-rekey</c> and writes <c>counts</c>. Every created task is added to <paramref name="created"/>.
    /// </summary>
    public static TopologyDefinition TwoStage(List<FakeTask> created) =>
        new("two-stage",
        [
            new SubtopologyDefinition(0, [new TopicReference(Input, false)], [new TopicReference("rekey", true)], [],
                context => Track(created, new FakeTask(context))),
            new SubtopologyDefinition(1, [new TopicReference("rekey", true)], [new TopicReference(Output, false)], ["store"],
                context => Track(created, new FakeTask(context))),
        ], "", "");

    /// <summary>One sub-topology with two sources (a join-like task).</summary>
    /// <summary>One sub-topology reading <c>left</c> and <c>right</c> (a join's table when <paramref name="rightIsTable"/>).</summary>
    public static TopologyDefinition TwoSources(List<FakeTask> created, bool rightIsTable = false) =>
        new("two-sources",
        [
            new SubtopologyDefinition(0, [new TopicReference("left", false), new TopicReference("right", false) { IsTable = rightIsTable }],
                [new TopicReference(Output, false)], [], context => Track(created, new FakeTask(context))),
        ], "", "");

    /// <summary>One sub-topology reading <c>lines</c>, writing <see cref="Output"/>, with the given punctuators.</summary>
    public static TopologyDefinition Punctuated(List<FakeTask> created, params PunctuationSchedule[] punctuations) =>
        new("punctuated",
        [
            new SubtopologyDefinition(0, [new TopicReference(Input, false)], [new TopicReference(Output, false)], [],
                context => Track(created, new FakeTask(context)), punctuations),
        ], "", "");

    private static FakeTask Track(List<FakeTask> created, FakeTask task)
    {
        created.Add(task);
        return task;
    }
}

internal static class TaskManagerTestExtensions
{
    /// <summary>
    /// Buffers one record and processes everything buffered, as one poll loop would. Returns <see langword="false"/>
    /// for a record of a partition not assigned here.
    /// </summary>
    public static bool Process(this TaskManager tasks, string topic, int partition, long offset, long timestamp, byte[]? key, byte[]? value, Headers? headers = null)
    {
        if (!tasks.Buffer(topic, partition, offset, timestamp, key, key is null, value, value is null, headers)) return false;
        tasks.FlushBuffers([]);
        while (tasks.ProcessBuffered(int.MaxValue, []) > 0) { }
        return true;
    }
}
