namespace Streams.Generated;

/// <summary>
/// Marks a <c>static partial</c> class as a topology. Its nested <c>partial</c> classes annotated with
/// <see cref="ProcessorAttribute"/>, <see cref="CountAttribute"/> or <see cref="JoinAttribute"/> are the nodes; the source generator emits the
/// statically dispatched graph, the serdes and a <c>Definition</c> property describing it.
/// </summary>
/// <param name="name">Name of the topology; the default application id (consumer group) of an app running it.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TopologyAttribute(string name) : Attribute
{
    /// <summary>Name of the topology.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Marks a nested <c>partial</c> class of a topology as a processor node. The class declares
/// <c>public void Process(TValue value)</c> or <c>public void Process(TKey key, TValue value)</c>, optionally with a
/// trailing <c>in RecordContext context</c> parameter, and emits records through <see cref="ToAttribute"/> methods.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ProcessorAttribute : Attribute
{
    /// <summary>
    /// What the node reads: the name of another node of the same topology (write <c>nameof(Node)</c>) or a topic name.
    /// </summary>
    public string From { get; set; } = "";
}

/// <summary>
/// Marks a <c>partial void</c> method of a processor as an output. The generator implements it as a direct call into
/// the target node, or as serialization into the target topic. Declared as <c>(TValue value)</c> it keeps the input
/// key; declared as <c>(TKey key, TValue value)</c> it sets a new key, and a stateful node downstream then reads
/// through a repartition topic.
/// </summary>
/// <param name="target">A node of the same topology (<c>nameof(Node)</c>) or a topic name.</param>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ToAttribute(string target) : Attribute
{
    /// <summary>The node or topic the output goes to.</summary>
    public string Target { get; } = target;
}

/// <summary>
/// Marks a method of a <see cref="ProcessorAttribute"/> class as a punctuator: the task calls it on a schedule, as Kafka
/// Streams' <c>ProcessorContext.schedule(interval, type, punctuator)</c> does. The method is a public or internal instance
/// method <c>void M(long timestamp)</c>; it receives the stream time or the wall-clock time (Unix milliseconds) at which
/// it fires, and the outputs it calls inherit that timestamp. An output without a key parameter called from a punctuator
/// sends no key (<see langword="null"/>, or the default of a value-type key): a punctuation is not a record.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="PunctuationType.StreamTime"/>: fires when the task's stream time (the highest record timestamp it has
/// processed) reaches a multiple of the interval, right after the record that moved it there; a jump over several
/// intervals fires once. The first punctuation is at the first multiple of the interval after the task's first record.
/// </para>
/// <para>
/// <see cref="PunctuationType.WallClockTime"/>: fires every interval of the app's clock
/// (<see cref="Kafka.StreamsOptions.TimeProvider"/>), counted from when the task was created, even while no record
/// arrives; late punctuations (a long pause) fire once, not once per missed interval.
/// </para>
/// </remarks>
/// <param name="interval">
/// How often: a positive whole number with a unit, <c>"250ms"</c>, <c>"10s"</c>, <c>"5m"</c>, <c>"1h"</c> or <c>"1d"</c>;
/// checked at compile time (SG0018).
/// </param>
/// <param name="type">Whether the interval is measured in stream time or in wall-clock time.</param>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class PunctuateAttribute(string interval, PunctuationType type) : Attribute
{
    /// <summary>The interval as written, e.g. <c>"10s"</c>.</summary>
    public string Interval { get; } = interval;

    /// <summary>Whether the interval is measured in stream time or in wall-clock time.</summary>
    public PunctuationType Type { get; } = type;
}

/// <summary>The clock a <see cref="PunctuateAttribute"/> punctuator follows (Kafka Streams' <c>PunctuationType</c>).</summary>
public enum PunctuationType
{
    /// <summary>The task's stream time: the highest timestamp of the records it has processed. Advances only with input.</summary>
    StreamTime,

    /// <summary>The wall clock of the app (<see cref="Kafka.StreamsOptions.TimeProvider"/>): advances with or without input.</summary>
    WallClockTime,
}

/// <summary>
/// Declares a built-in count node (Kafka Streams' <c>groupByKey().count()</c>): counts records per key in the key-value
/// store <see cref="Store"/> and emits every updated <c>(key, long count)</c> to <see cref="To"/>. With a
/// <see cref="Window"/> it counts per key and time window instead (<c>groupByKey().windowedBy(...).count()</c>) and emits
/// <c>(Windowed&lt;TKey&gt; key, long count)</c>.
/// The annotated class is an empty <c>partial</c> class: the generator writes the logic.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CountAttribute : Attribute
{
    /// <summary>The node (<c>nameof(Node)</c>) or topic whose records are counted.</summary>
    public string From { get; set; } = "";

    /// <summary>Name of the store that holds the counts; the node's class name when not set.</summary>
    public string Store { get; set; } = "";

    /// <summary>The node or topic that receives each updated count.</summary>
    public string To { get; set; } = "";

    /// <summary>
    /// Time windows, by record timestamp: <c>"tumbling 1m"</c> (fixed, non-overlapping) or <c>"hopping 5m advance 1m"</c>
    /// (fixed size, overlapping: a record counts in every window that contains it). Durations are a whole number with a
    /// unit: <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>. Empty (the default): no windows.
    /// </summary>
    public string Window { get; set; } = "";

    /// <summary>
    /// How long after a window ends, in stream time, records are still counted into it: <c>"10s"</c>. A record for a
    /// window whose end plus grace stream time has passed is late: dropped, logged and counted in a metric. Empty (the
    /// default): no grace. Only with <see cref="Window"/>.
    /// </summary>
    public string Grace { get; set; } = "";

    /// <summary>When a windowed count emits: every update (the default) or one final result when the window closes.</summary>
    public Emit Emit { get; set; }
}

/// <summary>
/// Declares a stream-table join node (Kafka Streams' <c>KStream.join(KTable)</c> and <c>leftJoin</c>): the topic
/// <see cref="Table"/> is read as a table (latest value per key, a null value deletes the key) into the key-value store
/// <see cref="Store"/>; each record of <see cref="From"/> looks its key up in it and, on a match, the class's
/// <c>Join</c> method combines the two values into the result sent to <see cref="To"/>, with the stream record's key and
/// timestamp. Table updates emit nothing: only stream records trigger the join.
/// </summary>
/// <remarks>
/// <para>
/// The class declares <c>public TResult Join(TLeft left, TRight right)</c> or
/// <c>public TResult Join(TKey key, TLeft left, TRight right)</c>, optionally with a trailing <c>in RecordContext context</c>
/// parameter: an instance method (the task creates one instance per task, with constructor parameters from the service
/// provider, as for a processor) or a static one (a direct call on the class, no instance). With <see cref="JoinKind.Left"/>, <c>right</c> must accept null (<c>Customer?</c>): it is null when the
/// table has no value for the key.
/// </para>
/// <para>
/// Both sides must be co-partitioned, as in Kafka Streams: the same key type (so that equal keys are equal bytes and
/// land in the same partition number, which also takes the same partitioner: murmur2, as Kafka's Java clients use; a
/// Confluent.Kafka producer of the table needs <c>Partitioner = Partitioner.Murmur2Random</c>) and the same number of
/// partitions. The key type is checked at compile time
/// (SG0020); a stream whose key changed upstream is repartitioned automatically (an internal topic with the table's
/// partition count); the partition counts are checked when the app starts. Each task holds the table's partitions with
/// its own number and reads them from the beginning when it is created, so the store holds the whole table partition
/// before stream records with later timestamps are joined (records of a task are processed in timestamp order).
/// </para>
/// <para>
/// A stream record with a null key, or a table record with a null key, is dropped, logged and counted
/// (<c>streams.records.dropped</c>), as in Kafka Streams; in a left join a stream record with a null key is joined
/// with a null <c>right</c>. A stream record read from a topic with a null value is dropped the same way, unless
/// <c>left</c> accepts null.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JoinAttribute : Attribute
{
    /// <summary>The stream side: a node (<c>nameof(Node)</c>) or topic whose records are joined.</summary>
    public string From { get; set; } = "";

    /// <summary>The topic read as the table side. A topic, never a node.</summary>
    public string Table { get; set; } = "";

    /// <summary>Name of the key-value store that holds the table (queryable like a count's store); the node's class name when not set.</summary>
    public string Store { get; set; } = "";

    /// <summary>The node or topic that receives each joined result.</summary>
    public string To { get; set; } = "";

    /// <summary>Inner (the default: a stream record without a table match produces nothing) or left.</summary>
    public JoinKind Kind { get; set; }
}

/// <summary>Which stream records a <see cref="JoinAttribute"/> join emits a result for.</summary>
public enum JoinKind
{
    /// <summary>Only stream records whose key has a value in the table (Kafka Streams' <c>join</c>).</summary>
    Inner,

    /// <summary>Every stream record; <c>right</c> is null when the table has no value for its key (Kafka Streams' <c>leftJoin</c>).</summary>
    Left,
}

/// <summary>When a windowed operator emits its results (Kafka Streams' <c>EmitStrategy</c>, or <c>suppress(untilWindowCloses)</c>).</summary>
public enum Emit
{
    /// <summary>Every update of a window's result, as each record arrives.</summary>
    Updates,

    /// <summary>
    /// Once per key and window, when the window closes (stream time reaches its end plus the grace period): no
    /// intermediate results, and none that a late record could still change.
    /// </summary>
    Final,
}

/// <summary>
/// Generates an Avro binary encoding for a <c>partial</c> record, record struct or class: its schema as a constant,
/// and span-based <c>WriteAvro</c>/<c>ReadAvro</c> methods (<see cref="Serialization.Avro.IAvroRecord{T}"/>). Topics
/// carrying the type then use <see cref="Serialization.Avro.AvroSerde{T}"/> with no wiring.
/// </summary>
/// <remarks>
/// The fields are the public instance properties that can be set (a setter, an <c>init</c>, or a parameter of the
/// public constructor with the same name), in declaration order. Types: <c>bool</c>, <c>int</c> (also <c>short</c>,
/// <c>byte</c>), <c>long</c>, <c>float</c>, <c>double</c>, <c>string</c>, <c>byte[]</c>, enums, <c>decimal</c>
/// (logical decimal, see <see cref="AvroFieldAttribute"/>), <c>Guid</c> (uuid), <c>DateOnly</c> (date),
/// <c>DateTimeOffset</c>/<c>DateTime</c> (timestamp-millis, or micros), nullable forms (a union with null), arrays and
/// <c>List&lt;T&gt;</c>, <c>Dictionary&lt;string, T&gt;</c> (map) and other <c>[AvroRecord]</c> types.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class AvroRecordAttribute : Attribute
{
    /// <summary>The Avro record name; the type's name by default.</summary>
    public string? Name { get; set; }

    /// <summary>The Avro namespace; the type's C# namespace by default.</summary>
    public string? Namespace { get; set; }
}

/// <summary>Avro settings of one member of an <see cref="AvroRecordAttribute"/> type.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class AvroFieldAttribute : Attribute
{
    /// <summary>The field name in the schema; the member's name by default.</summary>
    public string? Name { get; set; }

    /// <summary>Precision of a <c>decimal</c> member (digits); 28 by default.</summary>
    public int Precision { get; set; } = 28;

    /// <summary>Scale of a <c>decimal</c> member (digits after the point); 8 by default.</summary>
    public int Scale { get; set; } = 8;

    /// <summary>Write a <c>DateTimeOffset</c>/<c>DateTime</c> member as <c>timestamp-micros</c> instead of <c>timestamp-millis</c>.</summary>
    public bool Micros { get; set; }
}

/// <summary>
/// Generates a JSON encoding for a <c>partial</c> record, record struct or class, compatible with what
/// <c>System.Text.Json</c> writes and reads for the same type with default options (or with
/// <c>JsonNamingPolicy.CamelCase</c> when <see cref="Naming"/> says so): pre-encoded property names and values formatted
/// straight into the output to write, <c>Utf8JsonReader</c> calls per property to read (<see cref="Serialization.Json.IJsonRecord{T}"/>). Topics carrying the type then use
/// <see cref="Serialization.Json.JsonSerde{T}"/> with no wiring.
/// </summary>
/// <remarks>
/// The properties are those of <see cref="AvroRecordAttribute"/>, with the same member types; a
/// <c>[JsonPropertyName]</c> on a property renames it, as in System.Text.Json. As System.Text.Json does by default:
/// enums are numbers, <c>byte[]</c> is base64, property names match case-sensitively, unknown properties are skipped,
/// and a missing property keeps its default (a missing <c>required</c> one is an error).
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class JsonRecordAttribute : Attribute
{
    /// <summary>How property names are written; as declared by default.</summary>
    public JsonNaming Naming { get; set; }
}

/// <summary>Property naming of a <see cref="JsonRecordAttribute"/> type, as System.Text.Json's naming policies.</summary>
public enum JsonNaming
{
    /// <summary>The C# property name (System.Text.Json's default).</summary>
    AsDeclared,

    /// <summary><c>JsonNamingPolicy.CamelCase</c>: <c>OrderId</c> becomes <c>orderId</c>.</summary>
    CamelCase,
}
