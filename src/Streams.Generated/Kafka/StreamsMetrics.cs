using System.Diagnostics;
using System.Diagnostics.Metrics;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>
/// Names of the <see cref="System.Diagnostics.Metrics"/> instruments a <see cref="StreamsApp"/> publishes (meter
/// <see cref="MeterName"/>; listen with OpenTelemetry's <c>AddMeter("Streams.Generated")</c>, <c>dotnet-counters</c> or a
/// <see cref="MeterListener"/>). Every measurement has the tag <see cref="ApplicationIdTag"/>; per-task ones also
/// <see cref="TaskIdTag"/>, per-thread ones <see cref="ThreadTag"/>. Documented in docs/metrics.md.
/// </summary>
public static class StreamsInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Streams.Generated";

    /// <summary>Tag: the application id.</summary>
    public const string ApplicationIdTag = "streams.application_id";

    /// <summary>Tag: the task id (<c>subtopology_partition</c>).</summary>
    public const string TaskIdTag = "streams.task_id";

    /// <summary>Tag: the stream thread's index within its app.</summary>
    public const string ThreadTag = "streams.thread";

    /// <summary>Observable counter: records taken from the consumer into a task's buffers, per task.</summary>
    public const string RecordsConsumed = "streams.records.consumed";

    /// <summary>Observable counter: records a task processed (including those its error policy skipped or dead-lettered), per task.</summary>
    public const string RecordsProcessed = "streams.records.processed";

    /// <summary>Observable counter: records a task handed to the producer (not counting dead letters), per task.</summary>
    public const string RecordsProduced = "streams.records.produced";

    /// <summary>Observable counter: input records that failed and were skipped or dead-lettered by the error policy, per task.</summary>
    public const string RecordsFailed = "streams.records.failed";

    /// <summary>Observable counter: records a processor dropped by design (late for a closed window), per task.</summary>
    public const string RecordsDropped = "streams.records.dropped";

    /// <summary>Histogram, seconds: time to run one record through its task (deserialize, processors, serialize, hand to the producer).</summary>
    public const string ProcessDuration = "streams.process.duration";

    /// <summary>Histogram, seconds: wall-clock time when a record is processed minus the record's timestamp.</summary>
    public const string EndToEndLatency = "streams.record.end_to_end_latency";

    /// <summary>Observable gauge, bytes: consumed, unprocessed bytes held in a task's partition buffers, per task.</summary>
    public const string BufferedBytes = "streams.buffer.bytes";

    /// <summary>Observable gauge: partitions a stream thread paused because their buffer is full, per thread.</summary>
    public const string PausedPartitions = "streams.partitions.paused";

    /// <summary>Histogram, seconds: a commit, from the flush of the producer to the broker's answer.</summary>
    public const string CommitDuration = "streams.commit.duration";

    /// <summary>Counter: commits that failed (the app then stops) or were deferred by a rebalance.</summary>
    public const string CommitFailures = "streams.commit.failures";

    /// <summary>Counter: rebalances a stream thread took part in (assignments received).</summary>
    public const string Rebalances = "streams.rebalances";
}

/// <summary>
/// The instruments of one app. Hot-path counts are plain fields the stream thread increments (<see cref="TaskMetrics"/>),
/// read by observable instruments only when a listener collects; histograms are recorded only while someone listens.
/// </summary>
internal sealed class StreamsMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _application;
    private readonly Lock _gate = new();
    private readonly List<ThreadMetrics> _threads = new();
    private readonly Dictionary<string, TaskMetrics> _tasks = new(StringComparer.Ordinal);

    public StreamsMetrics(string applicationId)
    {
        _application = new KeyValuePair<string, object?>(StreamsInstruments.ApplicationIdTag, applicationId);
        _meter = new Meter(new MeterOptions(StreamsInstruments.MeterName) { Tags = [_application] });
        ProcessDuration = _meter.CreateHistogram<double>(StreamsInstruments.ProcessDuration, "s", "Time to run one record through its task.");
        EndToEndLatency = _meter.CreateHistogram<double>(StreamsInstruments.EndToEndLatency, "s", "Processing time minus the record's timestamp.");
        CommitDuration = _meter.CreateHistogram<double>(StreamsInstruments.CommitDuration, "s", "Flush and offset commit.");
        CommitFailures = _meter.CreateCounter<long>(StreamsInstruments.CommitFailures, "{commit}", "Commits that failed or were deferred.");
        Rebalances = _meter.CreateCounter<long>(StreamsInstruments.Rebalances, "{rebalance}", "Assignments received.");
        _meter.CreateObservableCounter(StreamsInstruments.RecordsConsumed, () => PerTask(static t => t.Consumed), "{record}", "Records buffered for processing.");
        _meter.CreateObservableCounter(StreamsInstruments.RecordsProcessed, () => PerTask(static t => t.Processed), "{record}", "Records processed.");
        _meter.CreateObservableCounter(StreamsInstruments.RecordsProduced, () => PerTask(static t => t.Produced), "{record}", "Records sent to topics.");
        _meter.CreateObservableCounter(StreamsInstruments.RecordsFailed, () => PerTask(static t => t.Failed), "{record}", "Records skipped or dead-lettered.");
        _meter.CreateObservableCounter(StreamsInstruments.RecordsDropped, () => PerTask(static t => t.Dropped), "{record}", "Records dropped by design (late for a closed window).");
        _meter.CreateObservableGauge(StreamsInstruments.BufferedBytes, () => PerTask(static t => t.BufferedBytes), "By", "Consumed, unprocessed bytes.");
        _meter.CreateObservableGauge(StreamsInstruments.PausedPartitions, PausedPerThread, "{partition}", "Partitions paused by backpressure.");
    }

    public Histogram<double> ProcessDuration { get; }
    public Histogram<double> EndToEndLatency { get; }
    public Histogram<double> CommitDuration { get; }
    public Counter<long> CommitFailures { get; }
    public Counter<long> Rebalances { get; }

    /// <summary>
    /// The counts of task <paramref name="taskId"/>: the same object for as long as the app runs, so a task that is
    /// closed and created again (a rebalance, another thread) continues its counters instead of restarting them at 0
    /// (an observable counter must not go down).
    /// </summary>
    public TaskMetrics ForTask(string taskId)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(taskId, out var task)) _tasks[taskId] = task = new TaskMetrics(taskId);
            task.BufferedBytes = 0; // a new task starts with empty buffers
            return task;
        }
    }

    /// <summary>Creates the metrics of one stream thread.</summary>
    public ThreadMetrics AddThread(int index)
    {
        var thread = new ThreadMetrics(this, index);
        lock (_gate) _threads.Add(thread);
        return thread;
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> PerTask(Func<TaskMetrics, long> value)
    {
        ThreadMetrics[] threads;
        lock (_gate) threads = [.. _threads];
        foreach (var thread in threads)
            foreach (var task in thread.Tasks)
                yield return new Measurement<long>(value(task), task.Tag);
    }

    private IEnumerable<Measurement<int>> PausedPerThread()
    {
        ThreadMetrics[] threads;
        lock (_gate) threads = [.. _threads];
        foreach (var thread in threads)
            yield return new Measurement<int>(thread.PausedPartitions, thread.Tag);
    }
}

/// <summary>What one stream thread reports: its tasks (a snapshot replaced on every assignment) and paused partitions.</summary>
internal sealed class ThreadMetrics(StreamsMetrics app, int index)
{
    private volatile TaskMetrics[] _tasks = [];

    public StreamsMetrics App { get; } = app;

    public KeyValuePair<string, object?> Tag { get; } = new(StreamsInstruments.ThreadTag, index);

    public IReadOnlyList<TaskMetrics> Tasks => _tasks;

    /// <summary>Written by the stream thread, read by collectors.</summary>
    public int PausedPartitions { get; set; }

    public void SetTasks(IEnumerable<TaskMetrics> tasks) => _tasks = [.. tasks];
}

/// <summary>
/// Counts of one task. Written only by its stream thread (plain increments: 64-bit reads and writes are atomic, a
/// collector may read a value one record old).
/// </summary>
internal sealed class TaskMetrics(string taskId)
{
    public KeyValuePair<string, object?> Tag { get; } = new(StreamsInstruments.TaskIdTag, taskId);

    public long Consumed;
    public long Processed;
    public long Produced;
    public long Failed;
    public long Dropped;
    public long BufferedBytes;
}

/// <summary>Counts what one task sends, then hands it to the thread's collector.</summary>
internal sealed class CountingCollector(IRecordCollector inner, TaskMetrics metrics) : IRecordCollector
{
    public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp)
    {
        inner.Send(topic, key, keyIsNull, value, valueIsNull, timestamp);
        metrics.Produced++;
    }
}

/// <summary>Times a record's processing when a listener wants the histograms.</summary>
internal static class ProcessTiming
{
    public static long Start(StreamsMetrics? metrics) =>
        metrics is not null && (metrics.ProcessDuration.Enabled || metrics.EndToEndLatency.Enabled) ? Stopwatch.GetTimestamp() : 0;

    public static void Stop(StreamsMetrics? metrics, long started, long recordTimestamp, TimeProvider clock, TaskMetrics task)
    {
        if (started == 0) return;
        metrics!.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, task.Tag);
        if (metrics.EndToEndLatency.Enabled)
            metrics.EndToEndLatency.Record((clock.GetUtcNow().ToUnixTimeMilliseconds() - recordTimestamp) / 1000.0, task.Tag);
    }
}
