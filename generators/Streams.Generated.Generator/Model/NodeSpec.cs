using Streams.Generated.Generator.Helpers;

namespace Streams.Generated.Generator.Model;

/// <summary>A <c>[Processor]</c>, <c>[Count]</c> or <c>[Join]</c> node.</summary>
/// <param name="Name">Simple name of the node class.</param>
/// <param name="IsCount">A <c>[Count]</c> node (its logic is generated) rather than a <c>[Processor]</c>.</param>
/// <param name="SubtopologyId">The sub-topology that owns the node.</param>
/// <param name="KeyType">The key type the node receives (the task method's key parameter).</param>
/// <param name="Process">How to call the user's <c>Process</c>; for a join, its stream side (the <c>left</c> value); null for a count.</param>
/// <param name="KeepsKey">Some output keeps the key, so the task remembers the key the node received.</param>
/// <param name="Store">The count's store, or the join's table; null for a processor.</param>
/// <param name="Outputs">The node's outputs: a processor's <c>[To]</c> methods, or a count's or join's <c>To</c>.</param>
/// <param name="Services">A processor's constructor parameters, resolved from the service provider; empty for a count.</param>
/// <param name="Punctuators">A processor's <c>[Punctuate]</c> methods, in declaration order; empty for a count.</param>
internal sealed record NodeSpec(
    string Name,
    bool IsCount,
    int SubtopologyId,
    TypeRef KeyType,
    ProcessSpec? Process,
    bool KeepsKey,
    StoreSpec? Store,
    ImmutableEquatableArray<OutputSpec> Outputs,
    ImmutableEquatableArray<ServiceSpec> Services,
    ImmutableEquatableArray<PunctuatorSpec> Punctuators,
    bool IsDisposable = false,
    JoinSpec? Join = null)
{
    /// <summary>Whether the node reads <paramref name="topic"/> as its table (a join's stream side never reads its table's topic).</summary>
    public bool ReadsAsTable(TopicSpec topic) => Join is { } join && !topic.IsInternal && topic.Name == join.Table;

    /// <summary>Whether the task creates an instance of the node's class: a processor, or a join whose <c>Join</c> is not static.</summary>
    public bool HasInstance => !IsCount && Join?.IsStatic != true;
}

/// <summary>What a <c>[Join]</c> adds to its stream side (<see cref="NodeSpec.Process"/>): the table and the result.</summary>
/// <param name="Table">The topic read as the table.</param>
/// <param name="Right">The <c>right</c> parameter of the user's <c>Join</c>: the table's value (it accepts null in a left join).</param>
/// <param name="Result">What <c>Join</c> returns: the value sent to the join's <c>To</c>.</param>
/// <param name="IsLeft">A left join: stream records without a table value are joined with a null <c>right</c>.</param>
/// <param name="IsStatic">The user's <c>Join</c> is static: the task calls it on the class and creates no instance.</param>
internal sealed record JoinSpec(string Table, TypeRef Right, TypeRef Result, bool IsLeft, bool IsStatic = false);

/// <summary>A <c>[Punctuate(interval, type)] void Method(long timestamp)</c> of a processor.</summary>
/// <param name="MethodName">The method's name.</param>
/// <param name="IntervalMilliseconds">The interval, parsed at compile time; positive.</param>
/// <param name="WallClockTime">Whether the interval is wall-clock time rather than stream time.</param>
internal sealed record PunctuatorSpec(string MethodName, long IntervalMilliseconds, bool WallClockTime);

/// <summary>A processor constructor parameter, resolved from the service provider when the task creates the processor.</summary>
/// <param name="TypeName">The parameter's type, fully qualified, without a nullable annotation.</param>
/// <param name="Declaration">The parameter as declared (<c>IPriceService prices</c>), for the error when it cannot be resolved.</param>
internal sealed record ServiceSpec(string TypeName, string Declaration);

/// <summary>The user's <c>Process([TKey key,] TValue value[, in RecordContext context])</c>.</summary>
internal sealed record ProcessSpec(TypeRef ValueType, bool TakesKey, bool TakesContext);

/// <summary>
/// A node's store: <c>KeyValueStore&lt;KeyType, ValueType&gt;</c>, or with a <paramref name="Window"/>
/// <c>WindowStore&lt;KeyType, ValueType&gt;</c>. A count's values are <c>long</c>; a join's are its table's values.
/// </summary>
internal sealed record StoreSpec(string Name, TypeRef KeyType, TypeRef ValueType, WindowSpec? Window = null);

/// <summary>The time windows of a windowed count, parsed at compile time (see <c>WindowRules</c>).</summary>
/// <param name="SizeMilliseconds">The length of a window.</param>
/// <param name="AdvanceMilliseconds">The distance between window starts (the size for tumbling windows).</param>
/// <param name="GraceMilliseconds">How long after its end a window still takes records, in stream time.</param>
/// <param name="EmitFinal">One result per key and window when it closes, instead of every update.</param>
/// <param name="Text">The window as written (<c>tumbling 1m</c>), for descriptions.</param>
internal sealed record WindowSpec(long SizeMilliseconds, long AdvanceMilliseconds, long GraceMilliseconds, bool EmitFinal, string Text);

/// <summary>Where an output goes.</summary>
internal enum OutputTargetKind
{
    /// <summary>A direct call into a node of the same sub-topology.</summary>
    Node,

    /// <summary>Serialization into a topic the user named.</summary>
    Topic,

    /// <summary>Serialization into the repartition topic in front of a count (the key must not be null).</summary>
    Repartition,
}

/// <summary>
/// One output of a node. For a processor, a <c>[To]</c> partial method the generator implements; for a count, the
/// <c>To</c> of its attribute (<see cref="MethodName"/> null).
/// </summary>
/// <param name="MethodName">Name of the partial method; null for a count's output.</param>
/// <param name="Modifiers">The method's declared modifiers, repeated on the implementation (<c>private</c>).</param>
/// <param name="KeyParameter">The key parameter as declared; null when the output keeps the key.</param>
/// <param name="ValueParameter">The value parameter as declared.</param>
/// <param name="KeyType">The key the output carries: its key parameter's type, or the key the node received.</param>
/// <param name="TargetKind">Node, topic or repartition topic.</param>
/// <param name="Target">The target node's name, or the topic name (the suffix for an internal topic).</param>
/// <param name="TargetIsCount">The target node is a count (its task method takes the key only).</param>
/// <param name="SinkIndex">Index of the topic among the sub-topology's sinks; -1 for a node.</param>
internal sealed record OutputSpec(
    string? MethodName,
    string Modifiers,
    ParameterSpec? KeyParameter,
    ParameterSpec ValueParameter,
    TypeRef KeyType,
    OutputTargetKind TargetKind,
    string Target,
    bool TargetIsCount,
    int SinkIndex);

/// <summary>A parameter as the user declared it.</summary>
/// <param name="Name">The name, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="Type">The type.</param>
internal sealed record ParameterSpec(string Name, TypeRef Type);
