using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Streams.Generated.Analyzers;

/// <summary>
/// Every diagnostic the Streams.Generated analyzers report. Ids are assigned by hand and are stable: never renumber one,
/// never reuse a retired one; a new rule gets the next free number and a line in <c>AnalyzerReleases.Unshipped.md</c>
/// and a page <c>docs/diagnostics/&lt;ID&gt;.md</c>.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>Category of every rule (shown by the IDE and usable in .editorconfig).</summary>
    public const string Category = "StreamsGenerated";

    private const string HelpLinkBase = "https://github.com/streams-generated/streams-generated/blob/main/docs/diagnostics/";

    /// <summary>Name of the diagnostic property that tells the code fix to add <c>static</c> as well as <c>partial</c>.</summary>
    public const string AddStaticProperty = "AddStatic";

    /// <summary>
    /// Name of the diagnostic property that marks an SG0012 the "Make partial" code fix can solve (a type that is only
    /// missing the <c>partial</c> modifier).
    /// </summary>
    public const string MakePartialProperty = "MakePartial";

    /// <summary>
    /// Name of the SG0005 property holding the name of a type declared in source that <c>[AvroRecord]</c> can give a serde;
    /// the diagnostic's first additional location is that type's identifier.
    /// </summary>
    public const string AvroCandidateProperty = "AvroCandidate";

    /// <summary>
    /// Name of the SG0019 property holding the corrected text of the Window or Grace argument the diagnostic is on, when
    /// one correction is obvious (a hopping window advancing by more than its size, a negative grace).
    /// </summary>
    public const string CorrectedArgumentProperty = "CorrectedArgument";

    /// <summary>SG0001: a node class is not <c>partial</c>, or its topology class is not <c>static partial</c>.</summary>
    public static readonly DiagnosticDescriptor NotPartial = Create(
        "SG0001",
        "Topology and node classes must be partial",
        "{0} '{1}' must be declared '{2}' so that the generator can add the topology code; add the missing modifier",
        "The source generator implements a topology by adding members to the [Topology] class and to its node classes, so the topology class must be 'static partial', every [Processor]/[Count]/[Join] class must be 'partial', and any class containing the topology must be 'partial'.");

    /// <summary>SG0002: a <c>From</c>/<c>To</c> value that is neither a node of the topology nor a legal topic name.</summary>
    public static readonly DiagnosticDescriptor UnknownReference = Create(
        "SG0002",
        "Unknown node or invalid topic name",
        "{0}; {1}",
        "A From or To value names a node of the same topology (write nameof(Node)) or a Kafka topic (1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-', and not '.' or '..'). The Table of a [Join] is always a topic, other than its From.");

    /// <summary>SG0003: the key or value type sent along a connection differs from what the receiving node accepts.</summary>
    public static readonly DiagnosticDescriptor TypeMismatch = Create(
        "SG0003",
        "Key or value type mismatch between connected nodes",
        "{0} sends {1} type '{2}' to '{3}', which expects '{4}'; {5}",
        "Outputs call the next node directly, so the key and value types an output sends must be the types the target's Process method accepts (a [Join]'s Join method: its key and its left value). An output without a key parameter keeps the key its node received; a Process(value) node reading a topic receives the raw key as 'ReadOnlyMemory<byte>?'.");

    /// <summary>SG0004: a processor without exactly one valid <c>Process</c> method, or a join without exactly one valid <c>Join</c> method.</summary>
    public static readonly DiagnosticDescriptor InvalidProcess = Create(
        "SG0004",
        "Invalid Process or Join method",
        "{0} '{1}' needs exactly one public or internal {2}, optionally with a trailing 'in RecordContext context' parameter: {3}",
        "A [Processor] class declares one accessible instance method 'void Process(TValue value)' or 'void Process(TKey key, TValue value)', and a [Join] class one instance or static method 'TResult Join(TLeft left, TRight right)' or 'TResult Join(TKey key, TLeft left, TRight right)' (with Kind = JoinKind.Left, 'right' accepts null), each optionally followed by 'in RecordContext context'; the generated code calls it directly for every record, so its parameter and return types must be types the generated code can name (not ref structs, pointers or private types).");

    /// <summary>SG0005: a key or value type at a topic boundary that has no serde.</summary>
    public static readonly DiagnosticDescriptor NoSerde = Create(
        "SG0005",
        "No serde for a type at a topic boundary",
        "There is no serde for {0} type '{1}' {2} topic '{3}'; use " + SerdeSupport.SupportedTypesText + " (nullable forms allowed), or convert in a processor before the topic",
        "Records read from or written to a topic (including internal repartition topics and the table topic of a [Join]) are serialized with Kafka's primitive serdes, so the key and value types at a topic boundary must be " + SerdeSupport.SupportedTypesText + ", or nullable forms of them.");

    /// <summary>SG0006: an output method that is not a non-generic instance <c>partial void</c> method.</summary>
    public static readonly DiagnosticDescriptor InvalidOutput = Create(
        "SG0006",
        "Invalid output method",
        "Output method '{0}' must be a non-generic instance 'partial void' method taking (TValue value) or (TKey key, TValue value) in a [Processor] class: {1}",
        "The generator implements each [To] method as a direct call into the target node or as serialization into the target topic, so it must be a declaration the generator can complete: a non-generic, non-static 'partial void' method with one (value) or two (key, value) parameters, declared in a [Processor] class.");

    /// <summary>SG0007: a node class that is not nested directly in a <c>[Topology]</c> class.</summary>
    public static readonly DiagnosticDescriptor NodeOutsideTopology = Create(
        "SG0007",
        "Node class outside a topology",
        "Class '{0}' is marked [{1}] but is not nested directly in a [Topology] class; move it into a 'static partial' class marked [Topology]",
        "Nodes belong to the topology that directly contains them; a [Processor], [Count] or [Join] class anywhere else is ignored by the generator.");

    /// <summary>SG0008: an invalid or duplicate state store name.</summary>
    public static readonly DiagnosticDescriptor InvalidStoreName = Create(
        "SG0008",
        "Invalid or duplicate store name",
        "Store name '{0}' {1}",
        "A state store name becomes part of its changelog topic name, so it must be a legal topic name (1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'), and it must be unique within its topology. A [Join] must set one: it keeps its table there.");

    /// <summary>SG0009: node-to-node connections that form a cycle.</summary>
    public static readonly DiagnosticDescriptor Cycle = Create(
        "SG0009",
        "Cycle between nodes",
        "{0} closes the cycle {1}; nodes call each other directly and cannot form a loop: to feed records back, write them to a topic and read that topic",
        "Inside a topology, records flow from node to node by direct method calls, so the connections between nodes must not form a cycle (a record would recurse without bound). A loop through a topic is fine.");

    /// <summary>SG0010: a topology or node class the generated code cannot extend or instantiate.</summary>
    public static readonly DiagnosticDescriptor UnsupportedClass = Create(
        "SG0010",
        "Unsupported topology or node class declaration",
        "{0} '{1}' {2}",
        "The generator adds members to the topology class and to the classes around it, and the generated task creates one instance of every processor and join class per task by calling its constructor, with each parameter resolved from the service provider by type. So the topology and the classes around it must not be generic (nor ref or readonly structs), and a node class must be a non-generic, non-abstract, non-static class with one node attribute ([Processor], [Count] or [Join], whose Kind is JoinKind.Inner or JoinKind.Left) and exactly one public or internal constructor, whose parameters are of class or interface types, passed by value.");

    /// <summary>SG0011: a node reads from a node that sends it nothing, so no record ever reaches it.</summary>
    public static readonly DiagnosticDescriptor Unreachable = Create(
        "SG0011",
        "Node unreachable from any source",
        "'{0}' reads from node '{1}', but '{1}' sends it nothing, so no record can reach '{0}'; {2}",
        "A node reading from another node (From = nameof(Node)) receives what that node's outputs send to it. If none of them targets it, the node is cut off from every source topic and would never run.");

    /// <summary>SG0012: an <c>[AvroRecord]</c> type, or one of its members, that the Avro encoding cannot represent.</summary>
    public static readonly DiagnosticDescriptor AvroUnsupported = Create(
        "SG0012",
        "Type cannot be encoded as Avro",
        "{0}",
        "The generator writes an Avro schema and a span-based reader and writer for every [AvroRecord] type. The type must be a partial, non-generic, non-abstract class, struct or record, accessible to the generated code, with a public constructor whose parameters all name its properties (or a parameterless one); every field must have a type Avro can represent and a valid Avro name.");

    /// <summary>SG0013: a sink writes a topic that a node of its own sub-topology reads, so its records feed back into it.</summary>
    public static readonly DiagnosticDescriptor SinkToOwnSource = Create(
        "SG0013",
        "Sink writes to a topic its own sub-topology reads",
        "{0} writes to topic '{1}', which '{2}' reads in the same sub-topology, so every record written comes back into the nodes that produced it; write to another topic, or suppress SG0013 if the loop is deliberate and has a stop condition",
        "A sub-topology is the set of nodes connected by direct calls (not through a topic). When one of its outputs (or the To of a [Count]) writes a topic that one of its own nodes reads, every record written is read again by the graph that produced it: without a stop condition the loop never ends and the topic grows without bound. Kafka Streams allows it, so this is a warning; suppress it where the loop is deliberate.",
        DiagnosticSeverity.Warning);

    /// <summary>SG0014: a call that blocks the stream thread inside a processor class.</summary>
    public static readonly DiagnosticDescriptor BlockingCall = Create(
        "SG0014",
        "Blocking call inside a processor",
        "'{0}' blocks the stream thread in processor '{1}'; {2}",
        "A processor runs on the stream thread, one record after another, for every task of the app: a call that sleeps or waits (Thread.Sleep, Task.Wait, Task<T>.Result, GetAwaiter().GetResult(), WaitHandle.WaitOne, SemaphoreSlim.Wait, Monitor.Wait...) stalls every partition the thread owns, delays commits, and can exceed max.poll.interval.ms, which makes the consumer leave its group.",
        DiagnosticSeverity.Warning);

    /// <summary>SG0015: a LINQ call or a capturing lambda inside a processor's Process method.</summary>
    public static readonly DiagnosticDescriptor HotPathAllocation = Create(
        "SG0015",
        "Avoidable allocation in Process or Join",
        "{0} in '{1}' {2}; {3}",
        "Process (and a join's Join) runs once per record, and the rest of the per-record path allocates nothing. A LINQ call (System.Linq.Enumerable) can allocate every time: an enumerator for most operators over most sources, a delegate for each capturing lambda, buffers for ToList, ToArray or OrderBy. A lambda or anonymous method that captures a variable, a parameter or 'this' allocates a closure and a delegate each time its scope runs. A loop, or a static lambda that gets its state as an argument, does not.",
        DiagnosticSeverity.Info);

    /// <summary>SG0016: a <c>[JsonRecord]</c> type, or one of its members, that the JSON encoding cannot represent.</summary>
    public static readonly DiagnosticDescriptor JsonUnsupported = Create(
        "SG0016",
        "Type cannot be encoded as JSON",
        "{0}",
        "The generator writes a System.Text.Json-compatible reader and writer for every [JsonRecord] type. The type must be a partial, non-generic, non-abstract class, struct or record, accessible to the generated code, with a public constructor whose parameters all name its properties (or a parameterless one); every property must have a type the encoding supports and a unique JSON name.");

    /// <summary>SG0017: a type marked both <c>[AvroRecord]</c> and <c>[JsonRecord]</c>.</summary>
    public static readonly DiagnosticDescriptor ConflictingFormats = Create(
        "SG0017",
        "Conflicting serde formats",
        "'{0}' is marked both [AvroRecord] and [JsonRecord], so a topic carrying it has two possible formats; keep one of the attributes",
        "A topic carrying a type of yours uses the serde its attribute asks for. A type with both [AvroRecord] and [JsonRecord] would be ambiguous at every topic boundary; declare a second type for the second format.");

    /// <summary>SG0018: a <c>[Punctuate]</c> method the generated task cannot call on a schedule.</summary>
    public static readonly DiagnosticDescriptor InvalidPunctuator = Create(
        "SG0018",
        "Invalid punctuator",
        "Punctuator '{0}' {1}",
        "A method marked [Punctuate(interval, type)] is called by the generated task on a schedule of stream time or wall-clock time, with that time in Unix milliseconds. It must be a public or internal, synchronous, non-generic instance method 'void M(long timestamp)' of a [Processor] class of a topology (not an output method), its interval a positive whole number with a unit ('250ms', '10s', '5m', '1h' or '1d'), and its type PunctuationType.StreamTime or PunctuationType.WallClockTime.");

    /// <summary>SG0019: the Window, Grace or Emit of a <c>[Count]</c> that the generator cannot build windows from.</summary>
    public static readonly DiagnosticDescriptor InvalidWindow = Create(
        "SG0019",
        "Invalid window",
        "Count node '{0}': {1}",
        "A [Count] with a Window counts per key and time window. Window is 'tumbling <size>' or 'hopping <size> advance <advance>', the size at least 1ms and the advance at least 1ms and at most the size (a larger advance leaves gaps no window covers); Grace is a duration of 0 or more. Durations are a whole number with a unit: ms, s, m, h or d. Grace and Emit = Emit.Final are about windows closing, so they need a Window.");

    /// <summary>SG0020: the key type a join's stream side carries differs from its table's key type, or is a window.</summary>
    public static readonly DiagnosticDescriptor NotCopartitioned = Create(
        "SG0020",
        "Join inputs not co-partitioned",
        "{0} sends key type '{1}' to join '{2}', {3}; {4}",
        "A stream-table join looks each stream record's key up in the table partition with the same number, so equal keys must be equal bytes on both sides: the key type the stream carries into a [Join] must be the table's key type (the declared key of its Join method). Keys of different types serialize differently (an int is 4 bytes, a long 8) and land in different partitions, and a windowed count's Windowed<TKey> key cannot key a table. Re-key the stream with an output that has a key parameter of the table's key type (the join then reads it through a repartition topic), or declare the join's key as the type the stream carries. The partition counts of both sides are checked when the app starts.");

    /// <summary>What <c>TopologyAnalyzer</c> reports, in id order.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Topology { get; } = ImmutableArray.Create(
        NotPartial, UnknownReference, TypeMismatch, InvalidProcess, NoSerde, InvalidOutput, NodeOutsideTopology, InvalidStoreName, Cycle,
        UnsupportedClass, Unreachable, SinkToOwnSource, InvalidPunctuator, InvalidWindow, NotCopartitioned);

    /// <summary>What <c>ProcessorCodeAnalyzer</c> reports, in id order.</summary>
    public static ImmutableArray<DiagnosticDescriptor> ProcessorCode { get; } = ImmutableArray.Create(BlockingCall, HotPathAllocation);

    /// <summary>All descriptors, in id order.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        NotPartial, UnknownReference, TypeMismatch, InvalidProcess, NoSerde, InvalidOutput, NodeOutsideTopology, InvalidStoreName, Cycle,
        UnsupportedClass, Unreachable, AvroUnsupported, SinkToOwnSource, BlockingCall, HotPathAllocation, JsonUnsupported, ConflictingFormats,
        InvalidPunctuator, InvalidWindow, NotCopartitioned);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, messageFormat, Category, severity, isEnabledByDefault: true, description,
            helpLinkUri: HelpLinkBase + id + ".md");
}
