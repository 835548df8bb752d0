using Streams.Generated.Generator.Helpers;

namespace Streams.Generated.Generator.Model;

/// <summary>
/// Everything the emitter needs to write one topology.
/// </summary>
/// <remarks>
/// Type equality of the model is what keeps the generator incremental, so the model holds only immutable records,
/// strings and <see cref="ImmutableEquatableArray{T}"/>: no <c>ISymbol</c>, <c>SyntaxNode</c>, <c>SemanticModel</c> or
/// <c>Compilation</c> may ever be stored here (they would never compare equal between two compilations and would keep
/// whole compilations alive). Types are referred to by their fully qualified names (<see cref="TypeRef"/>).
/// </remarks>
/// <param name="HintName">Name of the generated file.</param>
/// <param name="Namespace">Namespace of the topology class, or null for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the classes around the topology class, outermost first (<c>partial class Outer</c>).</param>
/// <param name="ClassName">Name of the <c>static partial</c> topology class.</param>
/// <param name="FullyQualifiedName">The topology class as <c>global::N.Outer.Topology</c>.</param>
/// <param name="TopologyName">The name given to <c>[Topology]</c>.</param>
/// <param name="Nodes">The nodes in declaration order.</param>
/// <param name="Subtopologies">The sub-topologies, in the order their ids give.</param>
internal sealed record TopologySpec(
    string HintName,
    string? Namespace,
    ImmutableEquatableArray<string> ContainingTypes,
    string ClassName,
    string FullyQualifiedName,
    string TopologyName,
    ImmutableEquatableArray<NodeSpec> Nodes,
    ImmutableEquatableArray<SubtopologySpec> Subtopologies);

/// <summary>A connected part of the topology, cut at topics; becomes one generated task class.</summary>
/// <param name="Id">Index of the sub-topology (its task class is <c>Subtopology{Id}Task</c>).</param>
/// <param name="Sources">Topics read, in source-index order.</param>
/// <param name="Sinks">Topics written, in sink-index order.</param>
/// <param name="Stores">Names of the stores of its count and join nodes.</param>
/// <param name="Nodes">Names of its nodes, in declaration order.</param>
/// <param name="CopartitionGroups">
/// Indexes into <paramref name="Sources"/> that a join needs co-partitioned (the same partition count): its stream side
/// and its table. Overlapping groups are merged.
/// </param>
internal sealed record SubtopologySpec(
    int Id,
    ImmutableEquatableArray<SourceSpec> Sources,
    ImmutableEquatableArray<TopicSpec> Sinks,
    ImmutableEquatableArray<string> Stores,
    ImmutableEquatableArray<string> Nodes,
    ImmutableEquatableArray<ImmutableEquatableArray<int>> CopartitionGroups);

/// <summary>A topic a sub-topology reads, and the nodes that read it.</summary>
/// <param name="Topic">The topic (for an internal topic, the suffix after <c>{applicationId}-</c>).</param>
/// <param name="Readers">
/// Names of the nodes that receive its records, in declaration order; a join whose <c>Table</c> it is reads it as its table.
/// </param>
internal sealed record SourceSpec(TopicSpec Topic, ImmutableEquatableArray<string> Readers);

/// <summary>A topic reference, as <c>TopicReference</c> at run time.</summary>
internal sealed record TopicSpec(string Name, bool IsInternal);
