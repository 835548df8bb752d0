using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Streams.Generated.Analyzers;

// Connections: cycles (SG0009), types along connections (SG0003) and at topic boundaries (SG0005), sinks feeding their own
// sub-topology (SG0013), keys into joins (SG0020).
internal sealed partial class TopologyAnalysis
{
    private readonly Dictionary<NodeModel, KeyInfo> _keys = [];
    private readonly HashSet<NodeModel> _visiting = [];
    private readonly List<Edge> _edges = [];

    private void AnalyzeFlow()
    {
        BuildEdges();
        foreach (var node in _nodeList)
        {
            // Computing every node's key reports conflicting key types into nodes that do not declare one.
            _ = KeyOf(node);
        }

        FindCycles();
        CheckReachable();

        foreach (var edge in _edges)
        {
            CheckEdge(edge);
        }

        CheckTopicBoundaries();
        CheckSinksToOwnSources();
    }

    private void BuildEdges()
    {
        foreach (var node in _nodeList)
        {
            foreach (var output in node.Outputs)
            {
                if (output.Target?.Node is { } target)
                {
                    var valueLocation = SyntaxLocations.Parameter(output.Value, CancellationToken);
                    var keyLocation = output.Key is null ? output.Identifier : SyntaxLocations.Parameter(output.Key, CancellationToken);
                    AddEdge(new Edge(node, target, output, output.Key?.Type, output.Value.Type, keyLocation, valueLocation));
                }
            }

            if (node.To?.Node is { } toNode)
            {
                var value = node.IsCount ? known.Int64 : node.Input?.Method.ReturnType;
                AddEdge(new Edge(node, toNode, null, null, value, node.To.Location, node.To.Location));
            }
        }
    }

    // SG0011: From = nameof(Node) promises a connection that only an output (or the To of a count or join) of that node makes.
    private void CheckReachable()
    {
        foreach (var node in _nodeList)
        {
            if (node.From?.Node is not { } from)
            {
                continue;
            }

            var fed = false;
            foreach (var edge in node.Incoming)
            {
                fed |= edge.Source == from;
            }

            // An invalid output of the source (reported elsewhere) may be the missing connection: do not pile on.
            if (!fed && !HasInvalidOutputs(from))
            {
                var fix = from.IsStateful
                    ? $"set To = nameof({node.Name}) on [{from.AttributeName}] '{from.Name}'"
                    : $"give '{from.Name}' an output [To(nameof({node.Name}))] partial void ...";
                Report(DiagnosticDescriptors.Unreachable, node.From.Location, node.Name, from.Name, fix);
            }
        }
    }

    private bool HasInvalidOutputs(NodeModel node)
    {
        foreach (var member in node.Symbol.GetMembers())
        {
            if (member is IMethodSymbol method && known.Find(method, known.To) is not null && !node.Outputs.Exists(o => SymbolEqualityComparer.Default.Equals(o.Method, method)))
            {
                return true;
            }
        }

        return false;
    }

    // SG0009: depth-first search; every edge back into the current path closes a cycle and is reported once. An edge
    // through a repartition topic is not a direct call, so a loop over it is a loop through a topic (allowed).
    private void FindCycles()
    {
        var done = new HashSet<NodeModel>();
        var path = new List<NodeModel>();
        foreach (var node in _nodeList)
        {
            Visit(node);
        }

        void Visit(NodeModel node)
        {
            if (done.Contains(node))
            {
                return;
            }

            path.Add(node);
            foreach (var edge in OutgoingOf(node))
            {
                var start = path.IndexOf(edge.Target);
                if (start >= 0)
                {
                    var loop = new List<string>();
                    for (var i = start; i < path.Count; i++)
                    {
                        loop.Add(path[i].Name);
                    }

                    loop.Add(edge.Target.Name);
                    Report(DiagnosticDescriptors.Cycle, edge.TargetLocation, edge.Describe(), string.Join(" -> ", loop));
                }
                else
                {
                    Visit(edge.Target);
                }
            }

            path.RemoveAt(path.Count - 1);
            done.Add(node);
        }
    }

    private IEnumerable<Edge> OutgoingOf(NodeModel node)
    {
        foreach (var edge in _edges)
        {
            if (edge.Source == node && !IsRepartitioned(edge))
            {
                yield return edge;
            }
        }
    }

    private void AddEdge(Edge edge)
    {
        _edges.Add(edge);
        edge.Target.Incoming.Add(edge);
    }

    /// <summary>The key type an edge carries: its key parameter, or the key its source sends on.</summary>
    private KeyInfo KeyOf(Edge edge) =>
        edge.ExplicitKey is { } key ? new KeyInfo(key, changed: true) : KeptKeyOf(edge.Source);

    /// <summary>
    /// The key a node sends when its output does not set one: the key it received. A count and an inner join drop records
    /// with a null key, so they send the non-nullable form (a left join joins them, with a null right), and a windowed
    /// count sends that in a <c>Windowed&lt;TKey&gt;</c> (the key and the window it was counted in), as the generator's
    /// planner does.
    /// </summary>
    private KeyInfo KeptKeyOf(NodeModel node)
    {
        var received = KeyOf(node);
        if (!node.IsStateful || node.IsLeftJoin || received.Type is not { } key)
        {
            return received;
        }

        var counted = NonNullable(key);
        return node.IsWindowed && known.Windowed is { } windowed
            ? new KeyInfo(windowed.Construct(counted), received.Changed)
            : new KeyInfo(counted, received.Changed);
    }

    /// <summary>The key type a node receives (memoized; a cycle yields unknown).</summary>
    private KeyInfo KeyOf(NodeModel node)
    {
        if (_keys.TryGetValue(node, out var known))
        {
            return known;
        }

        if (!_visiting.Add(node))
        {
            return default;
        }

        var result = ComputeKey(node);
        _visiting.Remove(node);
        _keys[node] = result;
        return result;
    }

    private KeyInfo ComputeKey(NodeModel node)
    {
        ITypeSymbol? declared = null;
        if (!node.IsCount)
        {
            if (node.Input is null)
            {
                return default;
            }

            declared = node.Input.Key?.Type;
        }

        // A node that does not declare its key (Process(value), Join(left, right), Count) receives whatever its inputs send:
        // they must agree.
        var type = declared;
        string? origin = null;
        if (declared is null && node.From is { IsTopic: true } from)
        {
            type = known.RawKey;
            origin = $"topic '{from.Value}'";
        }

        var changed = false;
        foreach (var edge in node.Incoming)
        {
            var edgeKey = KeyOf(edge);
            changed |= edgeKey.Changed;
            if (declared is not null || edgeKey.Type is null)
            {
                continue;
            }

            if (type is null)
            {
                type = edgeKey.Type;
                origin = $"'{edge.Source.Name}'";
            }
            else if (!SymbolEqualityComparer.Default.Equals(type, edgeKey.Type))
            {
                Report(DiagnosticDescriptors.TypeMismatch, edge.KeyLocation, edge.Describe(), "key", Display(edgeKey.Type), node.Name,
                    Display(type),
                    $"'{node.Name}' takes its key type from its inputs and already receives '{Display(type)}' from {origin}; make every input of '{node.Name}' send one key type");
            }
        }

        // A stateful node reads through its repartition topic: downstream of it the key is settled again.
        return new KeyInfo(type, changed && !node.IsStateful);
    }

    // SG0003 ------------------------------------------------------------------------------------------------------------

    private void CheckEdge(Edge edge)
    {
        var target = edge.Target;
        if (target.IsCount || target.Input is not { } input)
        {
            return; // A count accepts any value; its key is checked by ComputeKey.
        }

        var method = $"{target.Name}.{input.Method.Name}";
        var expectedValue = input.Value.Type;
        if (edge.Value is { } value && !IsCompatible(value, expectedValue))
        {
            var fix = edge.Output is not null
                ? $"declare the value parameter as '{Display(expectedValue)}', or change '{method}' to take '{Display(value)}'"
                : edge.Source.IsCount
                    ? $"a count is a 'long': declare the value of '{method}' as 'long'"
                    : $"a join sends what its Join returns: make '{edge.Source.Name}.Join' return '{Display(expectedValue)}', or change '{method}' to take '{Display(value)}'";
            Report(DiagnosticDescriptors.TypeMismatch, edge.ValueLocation, edge.Describe(), "value", Display(value), target.Name,
                Display(expectedValue), fix);
        }

        if (KeyOf(edge).Type is not { } key)
        {
            return;
        }

        if (target.IsJoin && (WindowedKeyOf(NonNullable(key)) is not null
            || (input.Key is { Type: var tableKey } && !SymbolEqualityComparer.Default.Equals(NonNullable(key), NonNullable(tableKey)))))
        {
            ReportNotCopartitioned(edge, key, input.Key?.Type);
            return;
        }

        if (input.Key is { Type: var expectedKey } && !IsCompatible(key, expectedKey))
        {
            string fix;
            if (edge.Output is null)
            {
                fix = edge.Source.IsWindowed
                    ? $"a windowed count sends the key it counted with its window: declare the key of '{method}' as '{Display(key)}'"
                    : edge.Source.IsCount
                        ? $"a count keeps the key it counted: declare the key of '{method}' as '{Display(key)}'"
                        : $"a join keeps the key of its stream records: declare the key of '{method}' as '{Display(key)}'";
            }
            else if (edge.ExplicitKey is null)
            {
                fix = $"the output has no key parameter, so it keeps the key '{edge.Source.Name}' received; add a key parameter "
                    + $"'{Display(expectedKey)} key' to '{edge.Output.Method.Name}', or change '{method}' to take a '{Display(key)}' key";
            }
            else
            {
                fix = $"declare the key parameter as '{Display(expectedKey)}', or change '{method}' to take a '{Display(key)}' key";
            }

            Report(DiagnosticDescriptors.TypeMismatch, edge.KeyLocation, edge.Describe(), "key", Display(key), target.Name,
                Display(expectedKey), fix);
        }
    }

    // SG0020 ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The stream side of a join brings <paramref name="key"/>, of another type than the table's key
    /// (<paramref name="tableKey"/>, the join's declared key) or a window: equal keys would not be equal bytes in partitions
    /// of the same number. The fix re-keys the stream, which then reaches the join through a repartition topic.
    /// </summary>
    private void ReportNotCopartitioned(Edge edge, ITypeSymbol key, ITypeSymbol? tableKey)
    {
        var join = edge.Target;
        var table = join.Table is { } reference ? $"table '{reference.Value}'" : "table";
        var windowedKey = WindowedKeyOf(NonNullable(key));
        var problem = windowedKey is not null
            ? $"but a {table} cannot be keyed by a window (a Windowed key is the key's bytes followed by the window start)"
            : $"whose {table} is keyed by '{Display(NonNullable(tableKey!))}': keys of different types are different bytes, so equal keys land in different partitions and never meet";
        var rekey = Display(tableKey is null ? windowedKey! : NonNullable(tableKey));
        var fix = edge.Output is null
            ? $"re-key the stream: send it through a [Processor] whose output to '{join.Name}' has a key parameter '{rekey} key'"
            : edge.ExplicitKey is null
                ? $"re-key the stream: add a key parameter '{rekey} key' to '{edge.Output.Method.Name}'"
                : $"re-key the stream: declare the key parameter as '{rekey}'";
        fix += " (the join then reads it through a repartition topic)";
        if (windowedKey is null)
        {
            fix += $", or declare the key of '{join.Name}.Join' as '{Display(NonNullable(key))}' if that is the type of the table's keys";
        }

        Report(DiagnosticDescriptors.NotCopartitioned, edge.KeyLocation, edge.Describe(), Display(key), join.Name, problem, fix);
    }

    /// <summary>The type without its nullability: the T of a <c>T?</c> value type, the non-annotated form of a reference type.</summary>
    private static ITypeSymbol NonNullable(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);

    /// <summary>
    /// The same type, or its nullable form (<c>string</c> into <c>string?</c>, <c>int</c> into <c>int?</c>): the generated
    /// direct call compiles without a cast or a warning. A nullable reference into a non-nullable one does not.
    /// </summary>
    private static bool IsCompatible(ITypeSymbol sent, ITypeSymbol expected)
    {
        if (expected is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && SymbolEqualityComparer.Default.Equals(sent, nullable.TypeArguments[0]))
        {
            return true;
        }

        return SymbolEqualityComparer.Default.Equals(sent, expected)
            && !(sent.IsReferenceType && sent.NullableAnnotation == NullableAnnotation.Annotated
                 && expected.NullableAnnotation == NullableAnnotation.NotAnnotated);
    }

    // SG0005 ------------------------------------------------------------------------------------------------------------

    private void CheckTopicBoundaries()
    {
        foreach (var node in _nodeList)
        {
            if (node.Input is { } input && node.From is { IsTopic: true } source)
            {
                RequireSerde(input.Value.Type, SyntaxLocations.Parameter(input.Value, CancellationToken), "value", "read from", source.Value);
                if (input.Key is { } keyParameter)
                {
                    RequireSerde(keyParameter.Type, SyntaxLocations.Parameter(keyParameter, CancellationToken), "key", "read from", source.Value);
                }
            }

            // A join reads its table topic with its key type and its right type, without their nullability (a null value
            // deletes a key). A windowed key is SG0020's; a declared key read from the From topic is checked just above.
            if (node.Input is { Right: { } right } && node.Table is { } table)
            {
                RequireSerde(NonNullable(right.Type), SyntaxLocations.Parameter(right, CancellationToken), "value", "read from the table", table.Value);
                if (KeyOf(node).Type is { } tableKey && WindowedKeyOf(NonNullable(tableKey)) is null
                    && (node.Input.Key is null || node.From is not { IsTopic: true }))
                {
                    var location = node.Input.Key is { } keyParameter ? SyntaxLocations.Parameter(keyParameter, CancellationToken) : table.Location;
                    RequireSerde(NonNullable(tableKey), location, "key", "read from the table", table.Value);
                }
            }

            foreach (var output in node.Outputs)
            {
                if (output.Target is not { IsTopic: true } sink)
                {
                    continue;
                }

                RequireSinkSerde(output.Value.Type, SyntaxLocations.Parameter(output.Value, CancellationToken), "value", sink.Value);
                if (output.Key is { } keyParameter)
                {
                    RequireSinkSerde(keyParameter.Type, SyntaxLocations.Parameter(keyParameter, CancellationToken), "key", sink.Value);
                }
                else if (KeyOf(node).Type is { } kept)
                {
                    RequireSinkSerde(kept, output.Identifier, "key", sink.Value);
                }
            }

            if (node.IsStateful && node.To is { IsTopic: true } statefulSink)
            {
                if (KeptKeyOf(node).Type is { } statefulKey)
                {
                    RequireSinkSerde(statefulKey, statefulSink.Location, "key", statefulSink.Value);
                }

                // A count's value is a long; a join's is what its Join returns.
                if (node.Input is { } join)
                {
                    RequireSinkSerde(join.Method.ReturnType, SyntaxLocations.ReturnType(join.Method, CancellationToken), "value", statefulSink.Value);
                }
            }
        }

        foreach (var edge in _edges)
        {
            if (!IsRepartitioned(edge))
            {
                continue;
            }

            var key = KeyOf(edge);
            var topic = edge.Target.Name + "-repartition";
            if (key.Type is not null)
            {
                RequireSerde(key.Type, edge.KeyLocation, "key", "written to the repartition", topic);
            }

            if (edge.Value is { } value)
            {
                RequireSerde(value, edge.ValueLocation, "value", "written to the repartition", topic);
            }
        }
    }

    /// <summary>The TKey of a <c>Windowed&lt;TKey&gt;</c>; null for any other type (a nullable Windowed too, as in the generator).</summary>
    private ITypeSymbol? WindowedKeyOf(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, known.Windowed)
            ? named.TypeArguments[0]
            : null;

    /// <summary>A key set upstream of a stateful node means the records reach it through a repartition topic.</summary>
    private bool IsRepartitioned(Edge edge) => edge.Target.IsStateful && KeyOf(edge).Changed;

    /// <summary>
    /// SG0005 for a key or value written to a sink topic. A <c>Windowed&lt;T&gt;</c> is written as Kafka's
    /// TimeWindowedSerializer writes it (the bytes of T, then the window start), so it needs a serde for T only. It cannot
    /// be read back (the bytes do not hold the window size): a topic or repartition topic read with one gets the plain
    /// check, and fails it.
    /// </summary>
    private void RequireSinkSerde(ITypeSymbol type, Location location, string keyOrValue, string topic) =>
        RequireSerde(type, location, keyOrValue, "written to", topic, serialized: WindowedKeyOf(type) ?? type);

    /// <param name="serialized">The type the serde is for, when not <paramref name="type"/> itself (the T of a Windowed).</param>
    private void RequireSerde(ITypeSymbol type, Location location, string keyOrValue, string direction, string topic, ITypeSymbol? serialized = null)
    {
        serialized ??= type;
        if (SerdeSupport.IsSupported(serialized))
        {
            return;
        }

        // A class, struct or record of the user's own gets a serde from [AvroRecord]: the code fix adds it.
        var candidate = SerdeSupport.AvroCandidate(serialized, CancellationToken);
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NoSerde, location,
            candidate is null ? null : [candidate.Value.Identifier],
            candidate is null ? null : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.AvroCandidateProperty, candidate.Value.Name),
            keyOrValue, Display(type), direction, topic));
    }

    // SG0013 ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Sub-topologies as the generator's planner cuts them (direct calls join nodes, and the readers of one topic share a
    /// sub-topology); a topic sink whose topic a node of its own sub-topology reads feeds every record back into it.
    /// </summary>
    private void CheckSinksToOwnSources()
    {
        var parent = new Dictionary<NodeModel, NodeModel>();
        foreach (var node in _nodeList)
        {
            parent[node] = node;
        }

        foreach (var edge in _edges)
        {
            if (!IsRepartitioned(edge))
            {
                Union(edge.Source, edge.Target);
            }
        }

        var firstReader = new Dictionary<string, NodeModel>(System.StringComparer.Ordinal);
        foreach (var node in _nodeList)
        {
            if (node.From is { IsTopic: true } from)
            {
                if (firstReader.TryGetValue(from.Value, out var first))
                {
                    Union(first, node);
                }
                else
                {
                    firstReader.Add(from.Value, node);
                }
            }
        }

        foreach (var node in _nodeList)
        {
            foreach (var output in node.Outputs)
            {
                if (output.Target is { IsTopic: true } sink)
                {
                    CheckSink(node, sink, $"Output '{node.Name}.{output.Method.Name}'");
                }
            }

            if (node.IsStateful && node.To is { IsTopic: true } statefulSink)
            {
                CheckSink(node, statefulSink, $"{node.AttributeName} node '{node.Name}'");
            }
        }

        void CheckSink(NodeModel writer, Reference sink, string description)
        {
            // The readers of a topic are all in the first reader's sub-topology.
            if (firstReader.TryGetValue(sink.Value, out var reader) && Find(reader) == Find(writer))
            {
                Report(DiagnosticDescriptors.SinkToOwnSource, sink.Location, description, sink.Value, reader.Name);
            }
        }

        NodeModel Find(NodeModel node)
        {
            while (parent[node] != node)
            {
                node = parent[node] = parent[parent[node]];
            }

            return node;
        }

        void Union(NodeModel a, NodeModel b)
        {
            a = Find(a);
            b = Find(b);
            if (a != b)
            {
                parent[b] = a;
            }
        }
    }
}
