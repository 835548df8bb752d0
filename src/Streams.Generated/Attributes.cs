namespace Streams.Generated;

/// <summary>
/// Marks a <c>static partial</c> class as a topology. Its nested <c>partial</c> classes annotated with
/// <see cref="ProcessorAttribute"/> or <see cref="CountAttribute"/> are the nodes; the source generator emits the
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
/// Declares a built-in count node (Kafka Streams' <c>groupByKey().count()</c>): counts records per key in the key-value
/// store <see cref="Store"/> and emits every updated <c>(key, long count)</c> to <see cref="To"/>.
/// The annotated class is an empty <c>partial</c> class: the generator writes the logic.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CountAttribute : Attribute
{
    /// <summary>The node (<c>nameof(Node)</c>) or topic whose records are counted.</summary>
    public string From { get; set; } = "";

    /// <summary>Name of the key-value store that holds the counts.</summary>
    public string Store { get; set; } = "";

    /// <summary>The node or topic that receives each updated count.</summary>
    public string To { get; set; } = "";
}
