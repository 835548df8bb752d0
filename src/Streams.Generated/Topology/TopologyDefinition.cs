namespace Streams.Generated.Topology;

/// <summary>
/// What the generator knows about a topology, for the drivers that run it: its sub-topologies (each one a unit of
/// tasks, cut at repartition topics), topics, stores and description. Generated as <c>MyTopology.Definition</c>.
/// </summary>
public sealed class TopologyDefinition(
    string name,
    IReadOnlyList<SubtopologyDefinition> subtopologies,
    string description,
    string mermaid)
{
    /// <summary>Name from <see cref="TopologyAttribute"/>; the default application id.</summary>
    public string Name { get; } = name;

    /// <summary>Sub-topologies, indexed by <see cref="SubtopologyDefinition.Id"/>.</summary>
    public IReadOnlyList<SubtopologyDefinition> Subtopologies { get; } = subtopologies;

    /// <summary>Text description in the style of Kafka Streams' <c>Topology.describe()</c>.</summary>
    public string Description { get; } = description;

    /// <summary>The topology as a Mermaid flowchart.</summary>
    public string Mermaid { get; } = mermaid;

    /// <summary>External topics the topology reads (not internal repartition topics).</summary>
    public IEnumerable<string> InputTopics =>
        Subtopologies.SelectMany(s => s.Sources).Where(t => !t.IsInternal).Select(t => t.Name).Distinct();

    /// <summary>External topics the topology writes.</summary>
    public IEnumerable<string> OutputTopics =>
        Subtopologies.SelectMany(s => s.Sinks).Where(t => !t.IsInternal).Select(t => t.Name).Distinct();

    /// <summary>Internal (repartition) topic name suffixes; the full name is <c>{applicationId}-{suffix}</c>.</summary>
    public IEnumerable<string> InternalTopics =>
        Subtopologies.SelectMany(s => s.Sinks).Where(t => t.IsInternal).Select(t => t.Name).Distinct();

    /// <summary>Resolves a topic reference to its name on the cluster for the given application id.</summary>
    public static string ResolveTopic(TopicReference topic, string applicationId) =>
        topic.IsInternal ? InternalTopicName(applicationId, topic.Name) : topic.Name;

    /// <summary>The full name of an internal topic: <c>{applicationId}-{suffix}</c>, as Kafka Streams names them.</summary>
    public static string InternalTopicName(string applicationId, string suffix) => applicationId + "-" + suffix;
}

/// <summary>A topic a sub-topology reads or writes.</summary>
/// <param name="Name">The topic name, or for an internal topic the suffix after <c>{applicationId}-</c>.</param>
/// <param name="IsInternal">Whether the topology owns the topic (a repartition topic).</param>
/// <param name="ValueAvroSchema">For a topic read as an Avro record: the schema of that value type (older writer schemas resolve against it).</param>
public readonly record struct TopicReference(string Name, bool IsInternal, string? ValueAvroSchema = null)
{
    /// <summary>
    /// Whether a join reads the topic as its table (<see cref="JoinAttribute"/>): the topic is the table's changelog, so a
    /// task created for one of its partitions reads it from the beginning, and processes no other record until it has
    /// read what the broker held (Kafka Streams restores a table before it processes).
    /// </summary>
    public bool IsTable { get; init; }
}

/// <summary>
/// A connected part of a topology with its own tasks: one task per partition number of its source topics.
/// Records cross from one sub-topology to another only through a topic.
/// </summary>
/// <param name="id">Index of the sub-topology within the topology.</param>
/// <param name="sources">Topics read, in source-index order.</param>
/// <param name="sinks">Topics written.</param>
/// <param name="stores">Names of the state stores its tasks own.</param>
/// <param name="createTask">Creates the generated task for one partition.</param>
/// <param name="punctuations">The punctuators of its nodes, in punctuator-index order; none when omitted.</param>
/// <param name="copartitionGroups">Groups of indexes into <paramref name="sources"/> that must be co-partitioned; none when omitted.</param>
public sealed class SubtopologyDefinition(
    int id,
    IReadOnlyList<TopicReference> sources,
    IReadOnlyList<TopicReference> sinks,
    IReadOnlyList<string> stores,
    Func<TaskContext, ITopologyTask> createTask,
    IReadOnlyList<PunctuationSchedule>? punctuations = null,
    IReadOnlyList<IReadOnlyList<int>>? copartitionGroups = null)
{
    /// <summary>Index of the sub-topology within the topology.</summary>
    public int Id { get; } = id;

    /// <summary>Topics read; a record from <c>Sources[i]</c> is dispatched with source index <c>i</c>.</summary>
    public IReadOnlyList<TopicReference> Sources { get; } = sources;

    /// <summary>Topics written.</summary>
    public IReadOnlyList<TopicReference> Sinks { get; } = sinks;

    /// <summary>Names of the state stores its tasks own.</summary>
    public IReadOnlyList<string> Stores { get; } = stores;

    /// <summary>
    /// The punctuators of its nodes (<see cref="PunctuateAttribute"/>); the driver calls
    /// <see cref="ITopologyTask.Punctuate"/> with an index into this list when one is due.
    /// </summary>
    public IReadOnlyList<PunctuationSchedule> Punctuations { get; } = punctuations ?? [];

    /// <summary>
    /// Groups of source indexes whose topics must have the same number of partitions, so that equal keys meet in one task:
    /// a join's table and the topics its stream side comes from (Kafka Streams' co-partition groups). The app checks them
    /// when it starts and gives repartition topics in a group the group's partition count.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> CopartitionGroups { get; } = copartitionGroups ?? [];

    /// <summary>Creates the generated task for one partition.</summary>
    public ITopologyTask CreateTask(TaskContext context) => createTask(context);
}

/// <summary>A punctuator of a node: a <see cref="PunctuateAttribute"/> method and its schedule.</summary>
/// <param name="Processor">The processor class.</param>
/// <param name="Method">The punctuator method.</param>
/// <param name="Interval">How often it fires; positive.</param>
/// <param name="Type">Whether <paramref name="Interval"/> is measured in stream time or in wall-clock time.</param>
public readonly record struct PunctuationSchedule(string Processor, string Method, TimeSpan Interval, PunctuationType Type)
{
    /// <summary>The interval in milliseconds, the unit of record timestamps.</summary>
    public long IntervalMilliseconds => Interval.Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>For messages: <c>Node.Method (every 10s of stream time)</c>.</summary>
    public override string ToString() =>
        $"{Processor}.{Method} (every {FormatInterval(IntervalMilliseconds)} of {(Type == PunctuationType.StreamTime ? "stream time" : "wall-clock time")})";

    private static string FormatInterval(long milliseconds) =>
        milliseconds % 86_400_000 == 0 ? $"{milliseconds / 86_400_000}d"
        : milliseconds % 3_600_000 == 0 ? $"{milliseconds / 3_600_000}h"
        : milliseconds % 60_000 == 0 ? $"{milliseconds / 60_000}m"
        : milliseconds % 1000 == 0 ? $"{milliseconds / 1000}s"
        : $"{milliseconds}ms";
}

/// <summary>What a generated task needs from the driver running it.</summary>
/// <param name="applicationId">The application id.</param>
/// <param name="subtopologyId">The sub-topology of the task.</param>
/// <param name="partition">The partition number of the task.</param>
/// <param name="collector">Where the task's output records go.</param>
/// <param name="services">Resolves the constructor parameters of processors; <see langword="null"/> when there is none.</param>
public sealed class TaskContext(string applicationId, int subtopologyId, int partition, IRecordCollector collector, IServiceProvider? services = null)
{
    /// <summary>The application id; prefixes internal topic names.</summary>
    public string ApplicationId { get; } = applicationId;

    /// <summary>The sub-topology the task belongs to.</summary>
    public int SubtopologyId { get; } = subtopologyId;

    /// <summary>The partition number the task processes.</summary>
    public int Partition { get; } = partition;

    /// <summary>Where the task's output records go.</summary>
    public IRecordCollector Collector { get; } = collector;

    /// <summary>
    /// Resolves the constructor parameters of processors (<see cref="Kafka.StreamsOptions.Services"/>, or the provider given
    /// to the test driver); <see langword="null"/> when none was configured.
    /// </summary>
    public IServiceProvider? Services { get; } = services;

    /// <summary>
    /// Resolves a processor's constructor parameter from <see cref="Services"/>; the generated task calls it once per
    /// processor per task, when it creates the processor (no reflection: the type is a compile-time argument).
    /// </summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="processor">The processor class, for the error message.</param>
    /// <param name="parameter">The parameter as declared (<c>IPriceService prices</c>), for the error message.</param>
    /// <exception cref="InvalidOperationException">No service provider is configured, or it has no such service.</exception>
    public T GetRequiredService<T>(string processor, string parameter) where T : class =>
        Services is null
            ? throw new InvalidOperationException(
                $"Processor {processor} needs a service for its constructor parameter '{parameter}', but no service provider is configured: " +
                "set StreamsOptions.Services (AddStreamsApp of Streams.Generated.Hosting sets it to the host's), or pass one to the TopologyTestDriver.")
            : Services.GetService(typeof(T)) as T
                ?? throw new InvalidOperationException(
                    $"Processor {processor} needs a service for its constructor parameter '{parameter}', but the service provider has none of that type: register one.");

    /// <summary>Where the runtime hears of records a processor dropped by design (late for a closed window); null: nowhere.</summary>
    internal Action<DroppedRecord>? OnDropped { get; init; }

    /// <summary>
    /// Reports a record that <paramref name="processor"/> did not process by design, such as a record for windows that
    /// have closed: the runtime logs it as a warning and counts it (<c>streams.records.dropped</c>); the test driver
    /// lists it. Nothing is dropped silently.
    /// </summary>
    public void ReportDropped(string processor, in RecordContext record, string reason) => OnDropped?.Invoke(new DroppedRecord(processor, record, reason));

    /// <summary>The task id in Kafka Streams' notation, <c>subtopology_partition</c>.</summary>
    public override string ToString() => $"{SubtopologyId}_{Partition}";
}

/// <summary>
/// The generated code of one sub-topology for one partition. The driver calls <see cref="Process"/> once per input
/// record; inside, every hop between nodes is a direct call.
/// </summary>
public interface ITopologyTask
{
    /// <summary>Deserializes the record and runs it through the graph.</summary>
    /// <param name="sourceIndex">Index of the record's topic in <see cref="SubtopologyDefinition.Sources"/>.</param>
    /// <param name="record">The record.</param>
    /// <exception cref="Serialization.SerdeException">The key or value bytes do not match the declared type.</exception>
    void Process(int sourceIndex, in ConsumedRecord record);

    /// <summary>The task's state store with the given name, or <see langword="null"/>.</summary>
    object? GetStore(string name);

    /// <summary>
    /// Calls a punctuator. Outputs it calls carry <paramref name="timestamp"/> and a record context with no source (topic
    /// <c>""</c>, partition and offset -1). The default implementation is for tasks without punctuators.
    /// </summary>
    /// <param name="punctuator">Index in <see cref="SubtopologyDefinition.Punctuations"/>.</param>
    /// <param name="timestamp">The stream time or wall-clock time (Unix milliseconds) at which it fires.</param>
    /// <exception cref="ProcessorException">The punctuator (or a node it called) threw; names the node.</exception>
    void Punctuate(int punctuator, long timestamp) =>
        throw new NotSupportedException($"{GetType().Name} has no punctuators.");
}

/// <summary>
/// Receives the serialized records a task writes to topics. The spans are only valid during the call: an
/// implementation copies what it keeps.
/// </summary>
public interface IRecordCollector
{
    /// <summary>Sends a record to <paramref name="topic"/>; partitioned by the key's bytes (murmur2, as Kafka).</summary>
    void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp);
}
