using System;
using System.Collections.Generic;
using Streams.Generated.Generator.Helpers;
using Streams.Generated.Generator.Model;

namespace Streams.Generated.Generator;

public sealed partial class TopologyGenerator
{
    /// <summary>
    /// Turns the parsed nodes (already symbol-free) into the wiring the emitter writes: the key type every node
    /// receives, which counts read through a repartition topic, and the sub-topologies. Mirrors the analyzer's rules;
    /// where a topology breaks one, the plan is null and nothing is generated for it.
    /// </summary>
    internal static class Planner
    {
        private sealed class Edge(int source, int target, OutputInput? output)
        {
            public int Source { get; } = source;
            public int Target { get; } = target;

            /// <summary>The output method; null for a count's To.</summary>
            public OutputInput? Output { get; } = output;
        }

        public static TopologySpec? Plan(TopologyDefinitionInput input) => new State(input).Plan();

        private sealed class State(TopologyDefinitionInput input)
        {
            private readonly List<NodeInput> _nodes = input.Nodes;
            private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
            private readonly List<Edge> _edges = [];
            private readonly List<Edge>[] _incoming = NewLists<Edge>(input.Nodes.Count);
            private readonly string?[] _fromTopic = new string?[input.Nodes.Count];
            private readonly TypeRef?[] _key = new TypeRef?[input.Nodes.Count];
            private readonly bool[] _keyChanged = new bool[input.Nodes.Count];
            private readonly int[] _keyState = new int[input.Nodes.Count];
            private readonly bool[] _repartitioned = new bool[input.Nodes.Count];

            public TopologySpec? Plan()
            {
                for (var i = 0; i < _nodes.Count; i++)
                {
                    _index[_nodes[i].Name] = i;
                }

                if (!ResolveReferences() || !ComputeKeys() || !CheckEdges() || !CheckTopicBoundaries() || !HasNoDirectCycle())
                {
                    return null;
                }

                return Build();
            }

            // References -------------------------------------------------------------------------------------------

            private bool ResolveReferences()
            {
                // A table's topic is read from the beginning by every task: it cannot also be a stream (Kafka Streams allows one source per topic).
                var tables = new HashSet<string>(StringComparer.Ordinal);
                foreach (var node in _nodes)
                {
                    if (node.Join is { } table)
                    {
                        tables.Add(table.Table);
                    }
                }

                var stores = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < _nodes.Count; i++)
                {
                    var node = _nodes[i];
                    if (!_index.ContainsKey(node.From))
                    {
                        if (!IsLegalTopic(node.From) || tables.Contains(node.From))
                        {
                            return false;
                        }

                        _fromTopic[i] = node.From;
                    }

                    if (node.Store is { } store && (!IsLegalTopic(store) || !stores.Add(store)))
                    {
                        return false;
                    }

                    // A table is a topic, never a node, and not the topic the join's stream side reads.
                    if (node.Join is { } join && (_index.ContainsKey(join.Table) || !IsLegalTopic(join.Table)
                        || string.Equals(join.Table, node.From, StringComparison.Ordinal)))
                    {
                        return false;
                    }

                    if (node.To is { } to)
                    {
                        if (_index.TryGetValue(to, out var target))
                        {
                            AddEdge(new Edge(i, target, null));
                        }
                        else if (!IsLegalTopic(to))
                        {
                            return false;
                        }
                    }

                    foreach (var output in node.Outputs)
                    {
                        if (_index.TryGetValue(output.Target, out var target))
                        {
                            AddEdge(new Edge(i, target, output));
                        }
                        else if (!IsLegalTopic(output.Target))
                        {
                            return false;
                        }
                    }
                }

                return true;
            }

            private void AddEdge(Edge edge)
            {
                _edges.Add(edge);
                _incoming[edge.Target].Add(edge);
            }

            // Keys -------------------------------------------------------------------------------------------------

            private bool ComputeKeys()
            {
                for (var i = 0; i < _nodes.Count; i++)
                {
                    if (!ComputeKey(i))
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>
            /// The key type node <paramref name="i"/> receives: its declared key, else what its inputs send (they must
            /// agree; nullable if any input is), and whether a key-setting output is upstream since the last topic.
            /// </summary>
            private bool ComputeKey(int i)
            {
                switch (_keyState[i])
                {
                    case 2: return true;
                    case 1: return false; // a cycle of direct connections
                }

                _keyState[i] = 1;
                var node = _nodes[i];
                var key = node.Process?.Key;
                var declared = key is not null;
                if (!declared && _fromTopic[i] is not null)
                {
                    key = TypeRef.RawKey;
                }

                var changed = false;
                foreach (var edge in _incoming[i])
                {
                    if (!ComputeKey(edge.Source))
                    {
                        return false;
                    }

                    var edgeKey = EdgeKey(edge);
                    changed |= EdgeChangesKey(edge);
                    if (declared)
                    {
                        continue;
                    }

                    if (key is null)
                    {
                        key = edgeKey;
                    }
                    else if (!string.Equals(key.Identity, edgeKey.Identity, StringComparison.Ordinal))
                    {
                        return false;
                    }
                    else if (edgeKey.Nullability == TypeNullability.NullableReference)
                    {
                        key = edgeKey;
                    }
                }

                if (key is null)
                {
                    return false; // nothing feeds the node, so its key type is unknown
                }

                _key[i] = key;
                _keyChanged[i] = changed;
                _keyState[i] = 2;
                return true;
            }

            /// <summary>
            /// The key a node's outputs carry by default: a count's and an inner join's are never null (null keys are
            /// rejected or dropped), a windowed count's is <c>Windowed&lt;K&gt;</c>.
            /// </summary>
            private TypeRef OutputKey(int node) => _nodes[node] switch
            {
                { IsCount: true, Window: null } => StoreKey(node),
                { IsCount: true } => TypeRef.Windowed(StoreKey(node)),
                { Join.IsLeft: false } => StoreKey(node),
                _ => _key[node]!,
            };

            /// <summary>The key a count groups by or a join looks up: its store and repartition topic are keyed by it.</summary>
            private TypeRef StoreKey(int node) => _key[node]!.WithoutNullability();

            private TypeRef EdgeKey(Edge edge) => edge.Output?.Key?.Type ?? OutputKey(edge.Source);

            /// <summary>What an edge carries: an output method's value, a count's <c>long</c>, a join's result.</summary>
            private TypeRef EdgeValue(Edge edge) => edge.Output?.Value.Type ?? _nodes[edge.Source].Join?.Result ?? TypeRef.Int64;

            // A stateful node reads through its repartition topic: downstream of it the key is settled again.
            private bool EdgeChangesKey(Edge edge) =>
                edge.Output?.Key is not null || (_nodes[edge.Source].Store is null && _keyChanged[edge.Source]);

            // Types ------------------------------------------------------------------------------------------------

            private bool CheckEdges()
            {
                foreach (var edge in _edges)
                {
                    var target = _nodes[edge.Target];
                    if (target.Process is not { } process)
                    {
                        continue; // a count accepts any value, and its key type is what its inputs agree on
                    }

                    if (!TypeRef.IsAssignable(EdgeValue(edge), process.Value))
                    {
                        return false;
                    }

                    if (process.Key is { } declaredKey && !TypeRef.IsAssignable(EdgeKey(edge), declaredKey))
                    {
                        return false;
                    }
                }

                for (var i = 0; i < _nodes.Count; i++)
                {
                    if (_nodes[i].Store is not null)
                    {
                        // A store is a dictionary: array keys other than byte[] (which the store compares by content, as
                        // Kafka groups raw keys) would compare by reference.
                        var storeKey = StoreKey(i);
                        if (storeKey.Serde != SerdeKind.ByteArray && storeKey.Identity.EndsWith("]", StringComparison.Ordinal))
                        {
                            return false;
                        }

                        _repartitioned[i] = _keyChanged[i];
                    }
                }

                return true;
            }

            // A windowed key is written, never read back: the window size is not in its bytes.
            private static bool IsReadable(TypeRef type) => type.Serde is not (SerdeKind.None or SerdeKind.Windowed);

            private bool CheckTopicBoundaries()
            {
                for (var i = 0; i < _nodes.Count; i++)
                {
                    var node = _nodes[i];
                    if (node.Process is { } process && _fromTopic[i] is not null
                        && (!IsReadable(process.Value) || (process.Key is { } key && !IsReadable(key))))
                    {
                        return false;
                    }

                    foreach (var output in node.Outputs)
                    {
                        if (!_index.ContainsKey(output.Target)
                            && (output.Value.Type.Serde == SerdeKind.None || (output.Key?.Type ?? _key[i]!).Serde == SerdeKind.None))
                        {
                            return false;
                        }
                    }

                    if (node.To is { } to && !_index.ContainsKey(to)
                        && (OutputKey(i).Serde == SerdeKind.None || node.Join?.Result.Serde == SerdeKind.None))
                    {
                        return false;
                    }

                    if (_repartitioned[i] && StoreKey(i).Serde == SerdeKind.None)
                    {
                        return false;
                    }

                    // The table is read with the join's key and its right value.
                    if (node.Join is { } join && (!IsReadable(StoreKey(i)) || !IsReadable(join.Right)))
                    {
                        return false;
                    }
                }

                foreach (var edge in _edges)
                {
                    if (_repartitioned[edge.Target] && (!IsReadable(EdgeKey(edge)) || !IsReadable(EdgeValue(edge))))
                    {
                        return false;
                    }
                }

                return true;
            }

            private bool IsDirect(Edge edge) => !_repartitioned[edge.Target];

            /// <summary>Direct calls must not loop back (that recursion would never end); a topic in between is fine.</summary>
            private bool HasNoDirectCycle()
            {
                var state = new int[_nodes.Count];
                for (var i = 0; i < _nodes.Count; i++)
                {
                    if (!Visit(i))
                    {
                        return false;
                    }
                }

                return true;

                bool Visit(int node)
                {
                    if (state[node] == 2)
                    {
                        return true;
                    }

                    if (state[node] == 1)
                    {
                        return false;
                    }

                    state[node] = 1;
                    foreach (var edge in _edges)
                    {
                        if (edge.Source == node && IsDirect(edge) && !Visit(edge.Target))
                        {
                            return false;
                        }
                    }

                    state[node] = 2;
                    return true;
                }
            }

            // Sub-topologies ---------------------------------------------------------------------------------------

            private TopologySpec? Build()
            {
                // Connected parts after cutting at topics; the readers of one topic share a sub-topology, so that each
                // topic is consumed by exactly one task per partition.
                var parent = new int[_nodes.Count];
                for (var i = 0; i < parent.Length; i++)
                {
                    parent[i] = i;
                }

                foreach (var edge in _edges)
                {
                    if (IsDirect(edge))
                    {
                        Union(edge.Source, edge.Target);
                    }
                }

                var firstReader = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < _nodes.Count; i++)
                {
                    ReadsTopic(_fromTopic[i], i);
                    ReadsTopic(_nodes[i].Join?.Table, i);
                }

                void ReadsTopic(string? topic, int reader)
                {
                    if (topic is null)
                    {
                        return;
                    }

                    if (firstReader.TryGetValue(topic, out var first))
                    {
                        Union(first, reader);
                    }
                    else
                    {
                        firstReader.Add(topic, reader);
                    }
                }

                // Components in first-node order, then ordered so that a writer of a topic comes before its readers.
                var componentOf = new int[_nodes.Count];
                var components = new List<List<int>>();
                var rootToComponent = new Dictionary<int, int>();
                for (var i = 0; i < _nodes.Count; i++)
                {
                    var root = Find(i);
                    if (!rootToComponent.TryGetValue(root, out var component))
                    {
                        component = components.Count;
                        rootToComponent.Add(root, component);
                        components.Add([]);
                    }

                    componentOf[i] = component;
                    components[component].Add(i);
                }

                var plans = new List<ComponentPlan>();
                foreach (var members in components)
                {
                    var plan = PlanComponent(members);
                    if (plan.Sources.Count == 0)
                    {
                        return null; // nothing feeds these nodes
                    }

                    plans.Add(plan);
                }

                var order = Order(plans);
                var idOf = new int[plans.Count];
                for (var id = 0; id < order.Count; id++)
                {
                    idOf[order[id]] = id;
                }

                var nodeSpecs = new List<NodeSpec>();
                for (var i = 0; i < _nodes.Count; i++)
                {
                    nodeSpecs.Add(BuildNode(i, idOf[componentOf[i]], plans[componentOf[i]]));
                }

                var subtopologies = new List<SubtopologySpec>();
                for (var id = 0; id < order.Count; id++)
                {
                    var plan = plans[order[id]];
                    var sources = new List<SourceSpec>();
                    foreach (var source in plan.Sources)
                    {
                        sources.Add(new SourceSpec(source, plan.Readers[source].ToImmutableEquatableArray()));
                    }

                    var names = new List<string>();
                    var stores = new List<string>();
                    foreach (var member in plan.Members)
                    {
                        names.Add(_nodes[member].Name);
                        if (_nodes[member].Store is { } store)
                        {
                            stores.Add(store);
                        }
                    }

                    subtopologies.Add(new SubtopologySpec(id, sources.ToImmutableEquatableArray(), plan.Sinks.ToImmutableEquatableArray(),
                        stores.ToImmutableEquatableArray(), names.ToImmutableEquatableArray(), CopartitionGroups(plan)));
                }

                return new TopologySpec(input.HintName, input.Namespace, input.ContainingTypes.ToImmutableEquatableArray(), input.ClassName,
                    input.FullyQualifiedName, input.TopologyName, nodeSpecs.ToImmutableEquatableArray(), subtopologies.ToImmutableEquatableArray());

                int Find(int i)
                {
                    while (parent[i] != i)
                    {
                        i = parent[i] = parent[parent[i]];
                    }

                    return i;
                }

                void Union(int a, int b)
                {
                    a = Find(a);
                    b = Find(b);
                    if (a != b)
                    {
                        parent[Math.Max(a, b)] = Math.Min(a, b);
                    }
                }
            }

            private sealed class ComponentPlan(List<int> members)
            {
                public List<int> Members { get; } = members;
                public List<TopicSpec> Sources { get; } = [];
                public Dictionary<TopicSpec, List<string>> Readers { get; } = [];
                public List<TopicSpec> Sinks { get; } = [];
            }

            private ComponentPlan PlanComponent(List<int> members)
            {
                var plan = new ComponentPlan(members);
                foreach (var i in members)
                {
                    AddSource(plan, StreamSource(i), i);
                    if (_nodes[i].Join is { } join)
                    {
                        AddSource(plan, new TopicSpec(join.Table, false), i);
                    }
                }

                foreach (var i in members)
                {
                    foreach (var output in _nodes[i].Outputs)
                    {
                        AddSink(plan, SinkOf(output.Target));
                    }

                    if (_nodes[i].To is { } to)
                    {
                        AddSink(plan, SinkOf(to));
                    }
                }

                return plan;
            }

            /// <summary>The topic node <paramref name="i"/> reads records from: its repartition topic, its From topic, or none.</summary>
            private TopicSpec? StreamSource(int i) =>
                _repartitioned[i] ? RepartitionTopic(i) : _fromTopic[i] is { } topic ? new TopicSpec(topic, false) : null;

            private void AddSource(ComponentPlan plan, TopicSpec? source, int reader)
            {
                if (source is null)
                {
                    return;
                }

                if (!plan.Readers.TryGetValue(source, out var readers))
                {
                    plan.Sources.Add(source);
                    plan.Readers.Add(source, readers = []);
                }

                readers.Add(_nodes[reader].Name);
            }

            /// <summary>
            /// For each join, its table and every source whose records reach its stream side by direct calls (Kafka Streams'
            /// co-partition groups): equal keys must be in equal partition numbers of all of them. Overlapping groups merge.
            /// </summary>
            private ImmutableEquatableArray<ImmutableEquatableArray<int>> CopartitionGroups(ComponentPlan plan)
            {
                var groupOf = new int[plan.Sources.Count];
                for (var s = 0; s < groupOf.Length; s++)
                {
                    groupOf[s] = -1;
                }

                var groupCount = 0;
                foreach (var i in plan.Members)
                {
                    if (_nodes[i].Join is not { } join)
                    {
                        continue;
                    }

                    var members = new List<int> { plan.Sources.IndexOf(new TopicSpec(join.Table, false)) };
                    var visited = new HashSet<int>();
                    var stack = new Stack<int>();
                    stack.Push(i);
                    while (stack.Count > 0)
                    {
                        var node = stack.Pop();
                        if (!visited.Add(node))
                        {
                            continue;
                        }

                        if (StreamSource(node) is { } source)
                        {
                            members.Add(plan.Sources.IndexOf(source));
                        }

                        foreach (var edge in _incoming[node])
                        {
                            if (IsDirect(edge))
                            {
                                stack.Push(edge.Source);
                            }
                        }
                    }

                    // Merge with the groups its members are already in.
                    var group = groupCount++;
                    foreach (var member in members)
                    {
                        var previous = groupOf[member];
                        for (var s = 0; s < groupOf.Length; s++)
                        {
                            if (s == member || (previous >= 0 && groupOf[s] == previous))
                            {
                                groupOf[s] = group;
                            }
                        }
                    }
                }

                var groups = new List<ImmutableEquatableArray<int>>();
                for (var group = 0; group < groupCount; group++)
                {
                    var members = new List<int>();
                    for (var s = 0; s < groupOf.Length; s++)
                    {
                        if (groupOf[s] == group)
                        {
                            members.Add(s);
                        }
                    }

                    if (members.Count > 1)
                    {
                        groups.Add(members.ToImmutableEquatableArray());
                    }
                }

                return groups.ToImmutableEquatableArray();
            }

            private static void AddSink(ComponentPlan plan, TopicSpec? sink)
            {
                if (sink is not null && !plan.Sinks.Contains(sink))
                {
                    plan.Sinks.Add(sink);
                }
            }

            /// <summary>The topic an output to <paramref name="target"/> writes, or null for a direct call.</summary>
            private TopicSpec? SinkOf(string target) =>
                !_index.TryGetValue(target, out var node) ? new TopicSpec(target, false)
                : _repartitioned[node] ? RepartitionTopic(node)
                : null;

            private TopicSpec RepartitionTopic(int count) => new(_nodes[count].Name + "-repartition", true);

            /// <summary>Sub-topology ids: a sub-topology that writes a topic comes before the ones that read it.</summary>
            private static List<int> Order(List<ComponentPlan> plans)
            {
                var order = new List<int>();
                var placed = new bool[plans.Count];
                while (order.Count < plans.Count)
                {
                    var next = -1;
                    for (var c = 0; c < plans.Count && next < 0; c++)
                    {
                        if (!placed[c] && !HasUnplacedWriter(c))
                        {
                            next = c;
                        }
                    }

                    if (next < 0)
                    {
                        // A loop through topics: fall back to declaration order.
                        next = Array.IndexOf(placed, false);
                    }

                    placed[next] = true;
                    order.Add(next);
                }

                return order;

                bool HasUnplacedWriter(int reader)
                {
                    for (var c = 0; c < plans.Count; c++)
                    {
                        if (c == reader || placed[c])
                        {
                            continue;
                        }

                        foreach (var source in plans[reader].Sources)
                        {
                            if (plans[c].Sinks.Contains(source))
                            {
                                return true;
                            }
                        }
                    }

                    return false;
                }
            }

            private NodeSpec BuildNode(int i, int subtopologyId, ComponentPlan plan)
            {
                var node = _nodes[i];
                var outputs = new List<OutputSpec>();
                var keepsKey = false;
                foreach (var output in node.Outputs)
                {
                    keepsKey |= output.Key is null;
                    outputs.Add(BuildOutput(output.MethodName, output.Modifiers, output.Key, output.Value, output.Key?.Type ?? _key[i]!,
                        output.Target, plan));
                }

                if (node.To is { } to)
                {
                    var value = node.Join is { } result ? new ParameterSpec("joined", result.Result) : new ParameterSpec("count", TypeRef.Int64);
                    outputs.Add(BuildOutput(null, "", null, value, OutputKey(i), to, plan));
                }

                var process = node.Process is { } p ? new ProcessSpec(p.Value, p.Key is not null, p.TakesContext) : null;
                var store = node.Store is not { } name ? null
                    : new StoreSpec(name, StoreKey(i), node.Join?.Right.WithoutNullability() ?? TypeRef.Int64, node.Window);
                return new NodeSpec(node.Name, node.IsCount, subtopologyId, _key[i]!, process, keepsKey, store, outputs.ToImmutableEquatableArray(),
                    node.Services, node.Punctuators, node.IsDisposable, node.Join);
            }

            private OutputSpec BuildOutput(string? methodName, string modifiers, ParameterSpec? key, ParameterSpec value, TypeRef keyType,
                string target, ComponentPlan plan)
            {
                var isNode = _index.TryGetValue(target, out var targetNode);
                var sink = SinkOf(target);
                var kind = sink is null ? OutputTargetKind.Node : sink.IsInternal ? OutputTargetKind.Repartition : OutputTargetKind.Topic;
                return new OutputSpec(methodName, modifiers, key, value, keyType, kind, sink?.Name ?? target,
                    isNode && _nodes[targetNode].IsCount, sink is null ? -1 : plan.Sinks.IndexOf(sink));
            }
        }

        private static List<T>[] NewLists<T>(int count)
        {
            var lists = new List<T>[count];
            for (var i = 0; i < count; i++)
            {
                lists[i] = [];
            }

            return lists;
        }

        /// <summary>Kafka's rule for topic names (also applied to store names, which become changelog topic names).</summary>
        internal static bool IsLegalTopic(string name)
        {
            if (name.Length is 0 or > 249 || name == "." || name == "..")
            {
                return false;
            }

            foreach (var c in name)
            {
                if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'))
                {
                    return false;
                }
            }

            return true;
        }
    }

    // What the parser reads from symbols, before planning. Symbol-free, and never leaves the transform step.

    internal sealed class TopologyDefinitionInput(string hintName, string? ns, IReadOnlyList<string> containingTypes, string className,
        string fullyQualifiedName, string topologyName, List<NodeInput> nodes)
    {
        public string HintName { get; } = hintName;
        public string? Namespace { get; } = ns;
        public IReadOnlyList<string> ContainingTypes { get; } = containingTypes;
        public string ClassName { get; } = className;
        public string FullyQualifiedName { get; } = fullyQualifiedName;
        public string TopologyName { get; } = topologyName;
        public List<NodeInput> Nodes { get; } = nodes;
    }

    internal sealed class NodeInput(string name, bool isCount, string from, string? store, string? to, ProcessInput? process,
        List<OutputInput> outputs, ImmutableEquatableArray<ServiceSpec> services, ImmutableEquatableArray<PunctuatorSpec> punctuators,
        bool isDisposable = false)
    {
        /// <summary>Whether the processor class implements IDisposable: the task disposes it when it closes.</summary>
        public bool IsDisposable { get; } = isDisposable;
        public string Name { get; } = name;
        public bool IsCount { get; } = isCount;
        public string From { get; } = from;
        public string? Store { get; } = store;
        /// <summary>A count's or join's <c>To</c>; null for a processor (its outputs are methods) or a count without one.</summary>
        public string? To { get; } = to;
        public ProcessInput? Process { get; } = process;
        public List<OutputInput> Outputs { get; } = outputs;
        public ImmutableEquatableArray<ServiceSpec> Services { get; } = services;
        public ImmutableEquatableArray<PunctuatorSpec> Punctuators { get; } = punctuators;

        /// <summary>A count's time windows, or null for a plain count or a processor.</summary>
        public WindowSpec? Window { get; init; }

        /// <summary>A join's table and result; its stream side is <see cref="Process"/>. Null for a processor or count.</summary>
        public JoinSpec? Join { get; init; }
    }

    internal sealed class ProcessInput(TypeRef? key, TypeRef value, bool takesContext)
    {
        public TypeRef? Key { get; } = key;
        public TypeRef Value { get; } = value;
        public bool TakesContext { get; } = takesContext;
    }

    internal sealed class OutputInput(string methodName, string modifiers, ParameterSpec? key, ParameterSpec value, string target)
    {
        public string MethodName { get; } = methodName;
        public string Modifiers { get; } = modifiers;
        public ParameterSpec? Key { get; } = key;
        public ParameterSpec Value { get; } = value;
        public string Target { get; } = target;
    }
}
