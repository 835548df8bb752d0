using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Avro;
using Streams.Generated.Stores;
using Streams.Generated.Topology;

namespace Streams.Generated.Testing;

/// <summary>
/// Runs a generated topology in memory, synchronously and deterministically, with no broker (the counterpart of Kafka
/// Streams' <c>TopologyTestDriver</c>). It runs the same generated tasks as the Kafka runtime: every topic has one
/// partition (0), so there is one task per sub-topology. A record written to an internal repartition topic is processed
/// before <see cref="PipeInput"/> returns, in the order written.
/// </summary>
/// <remarks>
/// Punctuation follows the runtime's rules (<see cref="PunctuateAttribute"/>): stream-time punctuators fire as piped
/// records advance their task's stream time, right after the record; wall-clock punctuators fire only when the test
/// moves the driver's own clock with <see cref="AdvanceWallClockTime"/>, never by themselves.
/// </remarks>
public sealed class TopologyTestDriver : IDisposable
{
    private readonly Dictionary<string, (DriverTask Task, int SourceIndex)> _sources = new();
    private readonly List<DriverTask> _tasks = new();
    private readonly Dictionary<string, Queue<TestRecord>> _outputs = new();
    private readonly Dictionary<string, long> _nextOffsets = new();
    private readonly Queue<(string Topic, TestRecord Record)> _pendingInternal = new();
    private readonly Collector _collector;
    private readonly List<DroppedRecord> _droppedRecords = new();
    private readonly Dictionary<string, string?> _inputTopics;
    private Dictionary<string, InputValueFormat>? _inputFormats;
    private Dictionary<string, int> _plannedWireFormat = new();
    private int _plannedWriterSchemas;

    /// <summary>Creates a driver for <paramref name="topology"/>.</summary>
    /// <param name="topology">The generated definition, e.g. <c>WordCount.Definition</c>.</param>
    /// <param name="applicationId">Prefix of internal topic names; defaults to the topology name.</param>
    /// <param name="services">Resolves the constructor parameters of processors (a <c>ServiceCollection</c>'s provider, or a fake).</param>
    /// <param name="initialWallClockTime">Where the driver's wall clock starts; the Unix epoch (0 ms) by default.</param>
    public TopologyTestDriver(TopologyDefinition topology, string? applicationId = null, IServiceProvider? services = null,
        DateTimeOffset? initialWallClockTime = null)
    {
        ApplicationId = applicationId ?? topology.Name;
        WallClockTime = initialWallClockTime ?? DateTimeOffset.UnixEpoch;
        _collector = new Collector(this);
        var now = WallClockTime.ToUnixTimeMilliseconds();
        foreach (var subtopology in topology.Subtopologies)
        {
            var task = new DriverTask(subtopology.CreateTask(new TaskContext(ApplicationId, subtopology.Id, partition: 0, _collector, services) { OnDropped = _droppedRecords.Add }),
                TaskPunctuator.Create(subtopology, now));
            _tasks.Add(task);
            for (var i = 0; i < subtopology.Sources.Count; i++)
                _sources[TopologyDefinition.ResolveTopic(subtopology.Sources[i], ApplicationId)] = (task, i);
        }
        InternalTopics = topology.InternalTopics.Select(t => TopologyDefinition.InternalTopicName(ApplicationId, t)).ToHashSet();
        _inputTopics = InputValueFormat.InputTopics(topology);
    }

    /// <summary>Records processors dropped by design (late for windows that had closed), in the order dropped; the Kafka runtime logs and counts them.</summary>
    public IReadOnlyList<DroppedRecord> DroppedRecords => _droppedRecords;

    /// <summary>The application id the internal topic names are derived from.</summary>
    public string ApplicationId { get; }

    /// <summary>Closes the tasks, as the runtime does when they stop: processors that are <see cref="IDisposable"/> are disposed.</summary>
    public void Dispose()
    {
        foreach (var task in _tasks) (task.Task as IDisposable)?.Dispose();
        _tasks.Clear();
    }

    /// <summary>
    /// Topics whose values are framed in Confluent's wire format, with their schema id, as
    /// <c>StreamsOptions.ConfluentWireFormat</c> in the Kafka runtime: piped values must carry the header, output values get it.
    /// </summary>
    public IDictionary<string, int> ConfluentWireFormat { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>
    /// Older versions of the Avro schemas of input values, as <c>StreamsOptions.AvroWriterSchemas</c> in the Kafka
    /// runtime: piped values written with them are read into the topology's current types by Avro's resolution rules.
    /// Checked when the next record is piped (an <see cref="ArgumentException"/> for a schema that cannot be resolved).
    /// </summary>
    public AvroWriterSchemas AvroWriterSchemas { get; } = new();

    /// <summary>The driver's wall clock: moved only by <see cref="AdvanceWallClockTime"/>.</summary>
    public DateTimeOffset WallClockTime { get; private set; }

    private HashSet<string> InternalTopics { get; }

    /// <summary>
    /// Writes one serialized record to <paramref name="topic"/> and processes it, with everything it causes, before
    /// returning. Exceptions from deserialization or processors propagate to the caller.
    /// </summary>
    public void PipeInput(string topic, byte[]? key, byte[]? value, long timestamp = 0)
    {
        if (!_sources.ContainsKey(topic))
            throw new ArgumentException($"The topology does not read topic '{topic}'. It reads: {string.Join(", ", _sources.Keys)}.", nameof(topic));
        Dispatch(topic, new TestRecord(key, value, timestamp));
        DispatchInternal();
    }

    /// <summary>
    /// Moves the driver's wall clock forward and calls the wall-clock punctuators that are now due, each once however
    /// many intervals passed (as the runtime does after a pause), with what they cause, before returning. Exceptions
    /// from punctuators propagate to the caller.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="advance"/> is negative.</exception>
    public void AdvanceWallClockTime(TimeSpan advance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(advance, TimeSpan.Zero);
        WallClockTime += advance;
        var now = WallClockTime.ToUnixTimeMilliseconds();
        foreach (var task in _tasks)
            if (task.Punctuator is { HasWallClockTime: true } punctuator)
                Punctuate(task.Task, punctuator, PunctuationType.WallClockTime, now);
        DispatchInternal();
    }

    /// <summary>A typed writer for an input topic.</summary>
    public TestInputTopic<TKey, TValue> CreateInputTopic<TKey, TValue>(string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde) =>
        new(this, topic, keySerde, valueSerde);

    /// <summary>A typed reader for an output topic.</summary>
    public TestOutputTopic<TKey, TValue> CreateOutputTopic<TKey, TValue>(string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde) where TKey : notnull =>
        new(this, topic, keySerde, valueSerde);

    /// <summary>The key-value store named <paramref name="name"/> of the task that owns it.</summary>
    /// <exception cref="ArgumentException">No store has that name, or it is another kind of store or has other key/value types.</exception>
    public KeyValueStore<TKey, TValue> GetKeyValueStore<TKey, TValue>(string name) where TKey : notnull =>
        GetStore<KeyValueStore<TKey, TValue>>(name, $"KeyValueStore<{typeof(TKey).Name}, {typeof(TValue).Name}>");

    /// <summary>The window store named <paramref name="name"/> (of a windowed count) of the task that owns it.</summary>
    /// <exception cref="ArgumentException">No store has that name, or it is another kind of store or has other key/value types.</exception>
    public WindowStore<TKey, TValue> GetWindowStore<TKey, TValue>(string name) where TKey : notnull =>
        GetStore<WindowStore<TKey, TValue>>(name, $"WindowStore<{typeof(TKey).Name}, {typeof(TValue).Name}>");

    private TStore GetStore<TStore>(string name, string description) where TStore : class
    {
        foreach (var task in _tasks)
        {
            switch (task.Task.GetStore(name))
            {
                case TStore store: return store;
                case { } other: throw new ArgumentException($"Store '{name}' is a {other.GetType().Name}, not a {description}.", nameof(name));
            }
        }
        throw new ArgumentException($"The topology has no store named '{name}'.", nameof(name));
    }

    internal bool TryReadOutput(string topic, out TestRecord record)
    {
        record = default;
        return _outputs.TryGetValue(topic, out var queue) && queue.TryDequeue(out record);
    }

    internal int OutputCount(string topic) => _outputs.TryGetValue(topic, out var queue) ? queue.Count : 0;

    private void Dispatch(string topic, TestRecord record)
    {
        var (task, sourceIndex) = _sources[topic];
        var offset = _nextOffsets.GetValueOrDefault(topic);
        _nextOffsets[topic] = offset + 1;
        if (record.Timestamp > task.StreamTime) task.StreamTime = record.Timestamp;
        var consumed = new ConsumedRecord(topic, 0, offset, record.Timestamp, record.Key, record.Value);
        if (InputFormats().GetValueOrDefault(topic) is { } format)
            consumed = format.Read(consumed);
        task.Task.Process(sourceIndex, in consumed);
        if (task.Punctuator is { HasStreamTime: true } punctuator)
            Punctuate(task.Task, punctuator, PunctuationType.StreamTime, task.StreamTime);
    }

    /// <summary>
    /// The input formats, planned again whenever <see cref="ConfluentWireFormat"/> or <see cref="AvroWriterSchemas"/>
    /// changed since the last plan (tests set them after creating the driver).
    /// </summary>
    private Dictionary<string, InputValueFormat> InputFormats()
    {
        if (_inputFormats is null || _plannedWriterSchemas != AvroWriterSchemas.Version
            || _plannedWireFormat.Count != ConfluentWireFormat.Count || _plannedWireFormat.Except(ConfluentWireFormat).Any())
        {
            _inputFormats = InputValueFormat.Plan(_inputTopics, ConfluentWireFormat, AvroWriterSchemas, nameof(TopologyTestDriver));
            _plannedWriterSchemas = AvroWriterSchemas.Version;
            _plannedWireFormat = new Dictionary<string, int>(ConfluentWireFormat, StringComparer.Ordinal);
        }

        return _inputFormats;
    }

    /// <summary>Processes what was written to internal topics, and what that writes, in the order written.</summary>
    private void DispatchInternal()
    {
        while (_pendingInternal.TryDequeue(out var next))
            Dispatch(next.Topic, next.Record);
    }

    private static void Punctuate(ITopologyTask task, TaskPunctuator punctuator, PunctuationType type, long time)
    {
        for (var due = punctuator.TakeDue(type, time); due >= 0; due = punctuator.TakeDue(type, time))
            task.Punctuate(due, time);
    }

    /// <summary>A task, its punctuators and its stream time (the highest timestamp it has processed; -1 before any).</summary>
    private sealed class DriverTask(ITopologyTask task, TaskPunctuator? punctuator)
    {
        public ITopologyTask Task { get; } = task;
        public TaskPunctuator? Punctuator { get; } = punctuator;
        public long StreamTime { get; set; } = -1;
    }

    private sealed class Collector(TopologyTestDriver driver) : IRecordCollector
    {
        public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp)
        {
            var record = new TestRecord(keyIsNull ? null : key.ToArray(),
                valueIsNull ? null
                : driver.ConfluentWireFormat.TryGetValue(topic, out var schemaId) ? Serialization.ConfluentWireFormat.Frame(value, schemaId)
                : value.ToArray(), timestamp);
            if (driver.InternalTopics.Contains(topic))
            {
                driver._pendingInternal.Enqueue((topic, record));
                return;
            }
            if (!driver._outputs.TryGetValue(topic, out var queue))
                driver._outputs[topic] = queue = new Queue<TestRecord>();
            queue.Enqueue(record);
        }
    }
}

/// <summary>A serialized record as the test driver stores it.</summary>
public readonly record struct TestRecord(byte[]? Key, byte[]? Value, long Timestamp);

/// <summary>A record read from an output topic of a <see cref="TopologyTestDriver"/>, deserialized, with its timestamp.</summary>
/// <param name="Key">The key; <see langword="null"/> (or the default) for a null key.</param>
/// <param name="Value">The value; <see langword="null"/> (or the default) for a tombstone.</param>
/// <param name="Timestamp">The record's timestamp, in Unix milliseconds: that of the record or punctuation it came from.</param>
public readonly record struct TestRecord<TKey, TValue>(TKey? Key, TValue? Value, long Timestamp);

/// <summary>Writes typed records to an input topic of a <see cref="TopologyTestDriver"/>.</summary>
public sealed class TestInputTopic<TKey, TValue>
{
    private readonly TopologyTestDriver _driver;
    private readonly string _topic;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;

    internal TestInputTopic(TopologyTestDriver driver, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde) =>
        (_driver, _topic, _keySerde, _valueSerde) = (driver, topic, keySerde, valueSerde);

    /// <summary>Pipes a record with a null key.</summary>
    public void PipeInput(TValue value, long timestamp = 0) => _driver.PipeInput(_topic, null, Serialize(_valueSerde, value), timestamp);

    /// <summary>Pipes a keyed record.</summary>
    public void PipeInput(TKey key, TValue value, long timestamp = 0) =>
        _driver.PipeInput(_topic, Serialize(_keySerde, key), Serialize(_valueSerde, value), timestamp);

    private static byte[]? Serialize<T>(ISerde<T> serde, T value) => value is null ? null : serde.ToBytes(value);
}

/// <summary>Reads typed records from an output topic of a <see cref="TopologyTestDriver"/>, in the order written.</summary>
public sealed class TestOutputTopic<TKey, TValue> where TKey : notnull
{
    private readonly TopologyTestDriver _driver;
    private readonly string _topic;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;

    internal TestOutputTopic(TopologyTestDriver driver, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde) =>
        (_driver, _topic, _keySerde, _valueSerde) = (driver, topic, keySerde, valueSerde);

    /// <summary>Whether every record written so far has been read.</summary>
    public bool IsEmpty => _driver.OutputCount(_topic) == 0;

    /// <summary>Reads the next record.</summary>
    /// <exception cref="InvalidOperationException">The topic has no unread record.</exception>
    public KeyValuePair<TKey?, TValue?> ReadKeyValue()
    {
        var record = ReadRecord();
        return new(record.Key, record.Value);
    }

    /// <summary>Reads the next record, with its timestamp.</summary>
    /// <exception cref="InvalidOperationException">The topic has no unread record.</exception>
    public TestRecord<TKey, TValue> ReadRecord()
    {
        if (!_driver.TryReadOutput(_topic, out var record))
            throw new InvalidOperationException($"No unread record in output topic '{_topic}'.");
        return new(Deserialize(_keySerde, record.Key), Deserialize(_valueSerde, record.Value), record.Timestamp);
    }

    /// <summary>Reads every unread record.</summary>
    public List<KeyValuePair<TKey?, TValue?>> ReadKeyValuesToList()
    {
        var list = new List<KeyValuePair<TKey?, TValue?>>();
        while (!IsEmpty) list.Add(ReadKeyValue());
        return list;
    }

    /// <summary>Reads every unread record and keeps the last value per key (a table view of the topic).</summary>
    public Dictionary<TKey, TValue?> ReadKeyValuesToMap()
    {
        var map = new Dictionary<TKey, TValue?>();
        foreach (var (key, value) in ReadKeyValuesToList())
            map[key ?? throw new InvalidOperationException($"Output topic '{_topic}' holds a record with a null key.")] = value;
        return map;
    }

    private static T? Deserialize<T>(ISerde<T> serde, byte[]? bytes) => bytes is null ? default : serde.Deserialize(bytes);
}
