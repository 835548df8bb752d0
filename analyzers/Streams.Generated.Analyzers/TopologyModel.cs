using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Streams.Generated.Analyzers;

// The analyzer's view of one topology. Lives only for one symbol action, so holding symbols and syntax is fine here
// (unlike the generator's model, which must be equatable and symbol-free).

/// <summary>The attribute that makes a class a node.</summary>
internal enum NodeKind
{
    Processor,
    Count,
    Join,
}

/// <summary>A [Processor], [Count] or [Join] class nested in a topology.</summary>
internal sealed class NodeModel(INamedTypeSymbol symbol, AttributeData attribute, AttributeSyntax? attributeSyntax, NodeKind kind, Location identifier)
{
    public INamedTypeSymbol Symbol { get; } = symbol;
    public string Name => Symbol.Name;
    public AttributeData Attribute { get; } = attribute;
    public AttributeSyntax? AttributeSyntax { get; } = attributeSyntax;
    public NodeKind Kind { get; } = kind;
    public bool IsCount => Kind == NodeKind.Count;
    public bool IsJoin => Kind == NodeKind.Join;

    /// <summary>
    /// A count or a join: a stateful operator of the generator's that keeps a store, sends its results to the To of its
    /// attribute (no [To] methods, no punctuators), and reads through a repartition topic when the key changed upstream.
    /// </summary>
    public bool IsStateful => Kind != NodeKind.Processor;

    /// <summary>The attribute's name as written: Processor, Count or Join.</summary>
    public string AttributeName => Kind.ToString();

    public Location Identifier { get; } = identifier;

    /// <summary>What the node reads; null when missing or not a constant (reported elsewhere).</summary>
    public Reference? From { get; set; }

    /// <summary>The To of a [Count] or [Join] node.</summary>
    public Reference? To { get; set; }

    /// <summary>The Table topic of a [Join] node.</summary>
    public Reference? Table { get; set; }

    /// <summary>A [Join] with Kind = JoinKind.Left.</summary>
    public bool IsLeftJoin { get; set; }

    /// <summary>
    /// A [Count] with a non-empty Window (valid or not: SG0019 reports an invalid one, and the user's intent decides the
    /// key type it sends, <c>Windowed&lt;TKey&gt;</c>).
    /// </summary>
    public bool IsWindowed { get; set; }

    /// <summary>The valid Process method of a processor or Join method of a join; null for a count, or when invalid (SG0004).</summary>
    public InputSignature? Input { get; set; }

    /// <summary>The valid [To] methods of a processor.</summary>
    public List<OutputModel> Outputs { get; } = [];

    public List<Edge> Incoming { get; } = [];
}

/// <summary>A resolved From/To value: a node of the same topology, or a topic.</summary>
internal sealed class Reference(string value, Location location, NodeModel? node)
{
    public string Value { get; } = value;
    public Location Location { get; } = location;
    public NodeModel? Node { get; } = node;
    public bool IsTopic => Node is null;
}

/// <summary>
/// The method a node takes each record with: <c>void Process([TKey key,] TValue value[, in RecordContext context])</c>, or
/// <c>TResult Join([TKey key,] TLeft left, TRight right[, in RecordContext context])</c>, whose <c>left</c> plays the part of
/// Process's value.
/// </summary>
internal sealed class InputSignature(IMethodSymbol method, IParameterSymbol? key, IParameterSymbol value, IParameterSymbol? right)
{
    public IMethodSymbol Method { get; } = method;
    public IParameterSymbol? Key { get; } = key;

    /// <summary>The value of Process, the left (stream) value of Join.</summary>
    public IParameterSymbol Value { get; } = value;

    /// <summary>The right (table) value of Join; null for Process.</summary>
    public IParameterSymbol? Right { get; } = right;
}

/// <summary><c>[To(target)] partial void M([TKey key,] TValue value)</c>.</summary>
internal sealed class OutputModel(IMethodSymbol method, Location identifier, IParameterSymbol? key, IParameterSymbol value)
{
    public IMethodSymbol Method { get; } = method;
    public Location Identifier { get; } = identifier;
    public IParameterSymbol? Key { get; } = key;
    public IParameterSymbol Value { get; } = value;
    public Reference? Target { get; set; }
}

/// <summary>A node-to-node connection: an output targeting a node, or a count or join whose To is a node.</summary>
internal sealed class Edge(NodeModel source, NodeModel target, OutputModel? output, ITypeSymbol? explicitKey, ITypeSymbol? value,
    Location keyLocation, Location valueLocation)
{
    public NodeModel Source { get; } = source;
    public NodeModel Target { get; } = target;

    /// <summary>The output method; null for the To of a count or join.</summary>
    public OutputModel? Output { get; } = output;

    /// <summary>The key parameter's type; null when the key the source received is kept.</summary>
    public ITypeSymbol? ExplicitKey { get; } = explicitKey;

    /// <summary>Null when unknown: the To of a join whose Join method is invalid (SG0004).</summary>
    public ITypeSymbol? Value { get; } = value;

    /// <summary>The To argument that names the target.</summary>
    public Location TargetLocation => Output?.Target?.Location ?? ValueLocation;

    public Location KeyLocation { get; } = keyLocation;
    public Location ValueLocation { get; } = valueLocation;

    public string Describe() => Output is null
        ? $"{Source.AttributeName} node '{Source.Name}'"
        : $"Output '{Source.Name}.{Output.Method.Name}'";
}

/// <summary>The key type a node receives, and whether it may have changed since the last topic.</summary>
internal readonly struct KeyInfo(ITypeSymbol? type, bool changed)
{
    /// <summary>Null when unknown (invalid upstream, no inputs, or a cycle).</summary>
    public ITypeSymbol? Type { get; } = type;

    /// <summary>A key-setting output is upstream: a stateful node reached from here reads through a repartition topic.</summary>
    public bool Changed { get; } = changed;
}
