using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Streams.Generated.Generator.Helpers;
using static Streams.Generated.Generator.Helpers.GeneratedFile;
using Streams.Generated.Generator.Model;

namespace Streams.Generated.Generator;

public sealed partial class TopologyGenerator
{
    /// <summary>
    /// Writes the C# for one <see cref="TopologySpec"/>: the <c>Definition</c>, one task class per sub-topology, and the
    /// bodies of the output methods. Text only, under invariant culture.
    /// </summary>
    /// <remarks>
    /// Keys travel typed through the call chain: the task method of node X is <c>X_Process(TKey key, TValue value)</c>.
    /// An output declared without a key keeps the key X received; the user's <c>Process</c> may not even see that key,
    /// so the task keeps it in a typed field <c>_xKey</c> set just before calling X (only for nodes with such outputs).
    /// Direct calls within a sub-topology form no cycle, so a node's key field is never overwritten while the node runs.
    /// </remarks>
    internal static class Emitter
    {
        private const string TopologyNamespace = "global::Streams.Generated.Topology";
        private const string SerdesType = "global::Streams.Generated.Serialization.Serdes";
        private const string SerdeThrowType = "global::Streams.Generated.Serialization.SerdeThrow";
        private const string ProcessorExceptionType = "global::Streams.Generated.ProcessorException";
        private const string RecordContextType = "global::Streams.Generated.RecordContext";
        private const string PunctuationTypeType = "global::Streams.Generated.PunctuationType";
        private const string BufferWriterType = "global::System.Buffers.ArrayBufferWriter<byte>";

        public static void Emit(Microsoft.CodeAnalysis.SourceProductionContext context, TopologySpec spec) =>
            GeneratedFile.Add(context, spec.HintName, () => EmitSource(spec));

        public static string EmitSource(TopologySpec spec)
        {
            var writer = new SourceWriter();
            GeneratedFile.OpenType(writer, spec.Namespace, spec.ContainingTypes, "static partial class " + spec.ClassName);
            EmitDefinition(writer, spec);
            foreach (var subtopology in spec.Subtopologies)
            {
                writer.WriteLine();
                new TaskEmitter(writer, spec, subtopology).Emit();
            }

            foreach (var node in spec.Nodes)
            {
                if (!node.IsCount && node.Join is null)
                {
                    writer.WriteLine();
                    EmitNodePart(writer, spec, node); // a processor's outputs
                }
            }

            return GeneratedFile.CloseType(writer, spec.Namespace, spec.ContainingTypes);
        }

        // Definition -----------------------------------------------------------------------------------------------

        private static void EmitDefinition(SourceWriter writer, TopologySpec spec)
        {
            writer.WriteLine($"/// <summary>The generated topology {Xml(Literal(spec.TopologyName))}: its sub-topologies, topics, stores and description.</summary>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine($"public static {TopologyNamespace}.TopologyDefinition Definition {{ get; }} = new(");
            writer.Indentation++;
            writer.WriteLine(Literal(spec.TopologyName) + ",");
            writer.WriteLine($"new {TopologyNamespace}.SubtopologyDefinition[]");
            writer.OpenBlock();
            var nodes = Index(spec);
            foreach (var subtopology in spec.Subtopologies)
            {
                var sources = new List<(TopicSpec, string?, bool)>();
                foreach (var source in subtopology.Sources)
                {
                    sources.Add((source.Topic, AvroValueType(source, nodes) is { } avro ? avro + ".AvroSchema" : null, IsTable(source, nodes)));
                }

                writer.WriteLine($"new({Int(subtopology.Id)},");
                writer.Indentation++;
                var sinks = new List<(TopicSpec, string?, bool)>();
                foreach (var sink in subtopology.Sinks)
                {
                    sinks.Add((sink, null, false));
                }

                writer.WriteLine($"sources: {TopicArray(sources)},");
                writer.WriteLine($"sinks: {TopicArray(sinks)},");
                writer.WriteLine($"stores: {StringArray(subtopology.Stores)},");
                var punctuators = Punctuators(subtopology, nodes);
                var hasGroups = subtopology.CopartitionGroups.Count > 0;
                var last = punctuators.Count == 0 && !hasGroups;
                writer.WriteLine($"createTask: static context => new {TaskName(subtopology)}(context){(last ? ")," : ",")}");
                if (hasGroups)
                {
                    var groups = new List<string>();
                    foreach (var group in subtopology.CopartitionGroups)
                    {
                        var indexes = new List<string>();
                        foreach (var index in group)
                        {
                            indexes.Add(Int(index));
                        }

                        groups.Add("new int[] { " + string.Join(", ", indexes) + " }");
                    }

                    writer.WriteLine($"copartitionGroups: new int[][] {{ {string.Join(", ", groups)} }}{(punctuators.Count == 0 ? ")," : ",")}");
                }

                if (punctuators.Count > 0)
                {
                    writer.WriteLine($"punctuations: new {TopologyNamespace}.PunctuationSchedule[]");
                    writer.OpenBlock();
                    foreach (var (node, punctuator) in punctuators)
                    {
                        writer.WriteLine($"new({Literal(node.Name)}, {Literal(punctuator.MethodName)}, " +
                            $"global::System.TimeSpan.FromMilliseconds({Long(punctuator.IntervalMilliseconds)}), {PunctuationType(punctuator)}),");
                    }

                    writer.CloseBlock("),");
                }

                writer.Indentation--;
            }

            writer.CloseBlock(",");
            writer.WriteLine("DescriptionText,");
            writer.WriteLine("MermaidText);");
            writer.Indentation--;
            writer.WriteLine();

            writer.WriteLine("/// <summary>The topology in the style of Kafka Streams' <c>Topology.describe()</c>.</summary>");
            writer.WriteLine(GeneratedCodeAttribute);
            WriteConstant(writer, "DescriptionText", Describer.Describe(spec));
            writer.WriteLine();
            writer.WriteLine("/// <summary>The topology as a Mermaid flowchart: topics as stadiums, nodes as boxes, one subgraph per sub-topology.</summary>");
            writer.WriteLine(GeneratedCodeAttribute);
            WriteConstant(writer, "MermaidText", Describer.Mermaid(spec));
        }

        private static void WriteConstant(SourceWriter writer, string name, string text)
        {
            writer.WriteLine($"public const string {name} =");
            writer.Indentation++;
            var lines = text.Split('\n');
            var last = lines.Length - 1;
            while (last > 0 && lines[last].Length == 0)
            {
                last--;
            }

            for (var i = 0; i <= last; i++)
            {
                var line = i < lines.Length - 1 ? lines[i] + "\n" : lines[i];
                writer.WriteLine(Literal(line) + (i == last ? ";" : " +"));
            }

            writer.Indentation--;
        }

        /// <summary>
        /// <c>TopicReference</c>s; a topic read as an Avro record carries the schema of its value type, a join's table says
        /// so (its tasks read it from the beginning).
        /// </summary>
        private static string TopicArray(IEnumerable<(TopicSpec Topic, string? ValueAvroSchema, bool IsTable)> topics)
        {
            var items = new List<string>();
            foreach (var (topic, schema, isTable) in topics)
            {
                items.Add($"new({Literal(topic.Name)}, {Bool(topic.IsInternal)}{(schema is null ? "" : ", " + schema)}){(isTable ? " { IsTable = true }" : "")}");
            }

            return items.Count == 0
                ? $"global::System.Array.Empty<{TopologyNamespace}.TopicReference>()"
                : $"new {TopologyNamespace}.TopicReference[] {{ {string.Join(", ", items)} }}";
        }

        private static string StringArray(IEnumerable<string> values)
        {
            var items = new List<string>();
            foreach (var value in values)
            {
                items.Add(Literal(value));
            }

            return items.Count == 0 ? "global::System.Array.Empty<string>()" : $"new string[] {{ {string.Join(", ", items)} }}";
        }

        // Node parts -----------------------------------------------------------------------------------------------

        private static void EmitNodePart(SourceWriter writer, TopologySpec spec, NodeSpec node)
        {
            writer.WriteLine("partial class " + node.Name);
            writer.OpenBlock();
            writer.WriteLine("/// <summary>The generated task that owns this instance and implements its outputs; set when the task creates it.</summary>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            writer.WriteLine($"internal {spec.FullyQualifiedName}.{TaskName(node.SubtopologyId)} __task = null!;");
            foreach (var output in node.Outputs)
            {
                writer.WriteLine();
                writer.WriteLine(GeneratedCodeAttribute);
                var modifiers = output.Modifiers.Length == 0 ? "" : output.Modifiers + " ";
                var parameters = output.KeyParameter is { } key
                    ? $"{key.Type.FullName} {key.Name}, {output.ValueParameter.Type.FullName} {output.ValueParameter.Name}"
                    : $"{output.ValueParameter.Type.FullName} {output.ValueParameter.Name}";
                var arguments = output.KeyParameter is { } k ? $"{k.Name}, {output.ValueParameter.Name}" : output.ValueParameter.Name;
                writer.WriteLine($"{modifiers}partial void {output.MethodName}({parameters}) => __task.{node.Name}_{output.MethodName}({arguments});");
            }

            writer.CloseBlock();
        }

        // Tasks ----------------------------------------------------------------------------------------------------

        private sealed class TaskEmitter(SourceWriter writer, TopologySpec spec, SubtopologySpec subtopology)
        {
            private readonly Dictionary<string, NodeSpec> _nodes = Index(spec);

            public void Emit()
            {
                var name = TaskName(subtopology);
                writer.WriteLine($"/// <summary>Sub-topology {Int(subtopology.Id)} of {Xml(Literal(spec.TopologyName))} for one partition: every hop between its nodes is a direct call.</summary>");
                writer.WriteLine(GeneratedCodeAttribute);
                var disposable = new List<NodeSpec>();
                foreach (var nodeName in subtopology.Nodes)
                {
                    if (_nodes[nodeName].IsDisposable && _nodes[nodeName].HasInstance)
                    {
                        disposable.Add(_nodes[nodeName]);
                    }
                }

                writer.WriteLine(disposable.Count > 0
                    ? $"internal sealed class {name} : {TopologyNamespace}.ITopologyTask, global::System.IDisposable"
                    : $"internal sealed class {name} : {TopologyNamespace}.ITopologyTask");
                writer.OpenBlock();
                EmitFields();
                writer.WriteLine();
                EmitConstructor(name);
                writer.WriteLine();
                EmitDispatch();
                foreach (var nodeName in subtopology.Nodes)
                {
                    var node = _nodes[nodeName];
                    writer.WriteLine();
                    if (node.IsCount)
                    {
                        EmitCount(node);
                    }
                    else if (node.Join is { } join)
                    {
                        EmitJoin(node, join);
                    }
                    else
                    {
                        EmitProcessor(node);
                    }
                }

                writer.WriteLine();
                EmitGetStore();
                var punctuators = Punctuators(subtopology, _nodes);
                if (punctuators.Count > 0)
                {
                    writer.WriteLine();
                    EmitPunctuate(punctuators);
                }

                if (disposable.Count > 0)
                {
                    writer.WriteLine();
                    EmitDispose(disposable);
                }

                writer.CloseBlock();
            }

            /// <summary>Disposes every disposable processor when the task closes, even if one of them throws.</summary>
            private void EmitDispose(List<NodeSpec> disposable)
            {
                writer.WriteLine("/// <summary>Disposes the processors that are <see cref=\"global::System.IDisposable\"/>; the first exception is rethrown after all.</summary>");
                writer.WriteLine("public void Dispose()");
                writer.OpenBlock();
                writer.WriteLine("global::System.Exception? first = null;");
                foreach (var node in disposable)
                {
                    writer.WriteLine($"try {{ {NodeField(node)}.Dispose(); }} catch (global::System.Exception e) {{ first ??= e; }}");
                }

                writer.WriteLine("if (first is not null) global::System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);");
                writer.CloseBlock();
            }

            private void EmitFields()
            {
                writer.WriteLine($"private readonly {TopologyNamespace}.IRecordCollector _collector;");
                if (subtopology.Sinks.Count > 0)
                {
                    writer.WriteLine("// Reused for every record sent: the collector copies what it keeps before Send returns.");
                    writer.WriteLine($"private readonly {BufferWriterType} _keyBuffer = new(256);");
                    writer.WriteLine($"private readonly {BufferWriterType} _valueBuffer = new(256);");
                }

                for (var i = 0; i < subtopology.Sinks.Count; i++)
                {
                    writer.WriteLine($"private readonly string {SinkField(i)}; // {subtopology.Sinks[i].Name}");
                }

                foreach (var nodeName in subtopology.Nodes)
                {
                    var node = _nodes[nodeName];
                    if (node.Store is { Window: { } window } windowStore)
                    {
                        writer.WriteLine($"private readonly global::Streams.Generated.Stores.WindowStore<{windowStore.KeyType.FullName}, {windowStore.ValueType.FullName}> {StoreField(node)} = new({Literal(windowStore.Name)}, {Long(window.SizeMilliseconds)});");
                        writer.WriteLine($"private long {StreamTimeField(node)} = long.MinValue; // the highest timestamp the count has seen: windows close by it");
                    }
                    else if (node.Store is { } store)
                    {
                        writer.WriteLine($"private readonly global::Streams.Generated.Stores.KeyValueStore<{store.KeyType.FullName}, {store.ValueType.FullName}> {StoreField(node)} = new({Literal(store.Name)});{(node.Join is { } join ? " // the table " + join.Table : "")}");
                    }

                    if (node.HasInstance)
                    {
                        writer.WriteLine($"private readonly {NodeType(spec, node)} {NodeField(node)};");
                    }
                }

                foreach (var nodeName in subtopology.Nodes)
                {
                    var node = _nodes[nodeName];
                    if (node.KeepsKey)
                    {
                        var initializer = node.KeyType.Nullability == TypeNullability.NotNullReference ? " = null!" : "";
                        writer.WriteLine($"private {node.KeyType.FullName} {KeyField(node)}{initializer}; // the key {node.Name} received");
                    }
                }

                writer.WriteLine("// The record being processed: outputs inherit its timestamp.");
                writer.WriteLine($"private {RecordContextType} _context;");
                if (DropsRecords())
                {
                    writer.WriteLine($"private readonly {TopologyNamespace}.TaskContext _taskContext; // where dropped records are reported");
                }
            }

            /// <summary>Whether a node may drop records by design (late for its windows, a null join key), reporting them to the task context.</summary>
            private bool DropsRecords()
            {
                foreach (var nodeName in subtopology.Nodes)
                {
                    if (_nodes[nodeName].Store?.Window is not null || _nodes[nodeName].Join is not null)
                    {
                        return true;
                    }
                }

                return false;
            }

            private void EmitConstructor(string name)
            {
                writer.WriteLine($"/// <summary>Creates the task for the partition and application in <paramref name=\"context\"/>.</summary>");
                writer.WriteLine($"public {name}({TopologyNamespace}.TaskContext context)");
                writer.OpenBlock();
                writer.WriteLine("_collector = context.Collector;");
                if (DropsRecords())
                {
                    writer.WriteLine("_taskContext = context;");
                }

                for (var i = 0; i < subtopology.Sinks.Count; i++)
                {
                    var sink = subtopology.Sinks[i];
                    writer.WriteLine(sink.IsInternal
                        ? $"{SinkField(i)} = {TopologyNamespace}.TopologyDefinition.InternalTopicName(context.ApplicationId, {Literal(sink.Name)});"
                        : $"{SinkField(i)} = {Literal(sink.Name)};");
                }

                foreach (var nodeName in subtopology.Nodes)
                {
                    var node = _nodes[nodeName];
                    if (node.HasInstance)
                    {
                        EmitCreateNode(node);
                        if (node.Join is null)
                        {
                            writer.WriteLine($"{NodeField(node)}.__task = this;");
                        }
                    }
                }

                writer.CloseBlock();
            }

            /// <summary><c>_node = new Node(context.GetRequiredService&lt;T&gt;(...), ...);</c>: constructor parameters come from the service provider.</summary>
            private void EmitCreateNode(NodeSpec node)
            {
                if (node.Services.Count == 0)
                {
                    writer.WriteLine($"{NodeField(node)} = new {NodeType(spec, node)}();");
                    return;
                }

                writer.WriteLine($"{NodeField(node)} = new {NodeType(spec, node)}(");
                writer.Indentation++;
                for (var i = 0; i < node.Services.Count; i++)
                {
                    var service = node.Services[i];
                    var end = i == node.Services.Count - 1 ? ");" : ",";
                    writer.WriteLine($"context.GetRequiredService<{service.TypeName}>({Literal(node.Name)}, {Literal(service.Declaration)}){end}");
                }

                writer.Indentation--;
            }

            private void EmitDispatch()
            {
                writer.WriteLine("/// <inheritdoc/>");
                writer.WriteLine("public void Process(int sourceIndex, in global::Streams.Generated.ConsumedRecord record)");
                writer.OpenBlock();
                writer.WriteLine("_context = record.Context;");
                writer.WriteLine("switch (sourceIndex)");
                writer.OpenBlock();
                for (var i = 0; i < subtopology.Sources.Count; i++)
                {
                    var source = subtopology.Sources[i];
                    writer.WriteLine($"case {Int(i)}: // {source.Topic.Name}");
                    writer.OpenBlock();
                    for (var r = 0; r < source.Readers.Count; r++)
                    {
                        var reader = _nodes[source.Readers[r]];
                        if (source.Readers.Count > 1)
                        {
                            writer.OpenBlock();
                        }

                        if (reader.ReadsAsTable(source.Topic))
                        {
                            EmitTableUpdate(reader);
                        }
                        else if (reader.Join is not null && !reader.Process!.ValueType.AcceptsNull)
                        {
                            // As Kafka Streams: a join ignores a stream record without a value (unless `left` takes null).
                            writer.WriteLine("if (record.Value is null)");
                            writer.OpenBlock();
                            writer.WriteLine($"_taskContext.ReportDropped({Literal(reader.Name)}, in _context, {Literal("null value: a join ignores stream records without a value")});");
                            writer.CloseBlock();
                            writer.WriteLine("else");
                            writer.OpenBlock();
                            EmitRead(reader);
                            writer.CloseBlock();
                        }
                        else
                        {
                            EmitRead(reader);
                        }
                        if (source.Readers.Count > 1)
                        {
                            writer.CloseBlock();
                        }
                    }

                    writer.WriteLine("break;");
                    writer.CloseBlock();
                }

                writer.WriteLine("default:");
                writer.Indentation++;
                writer.WriteLine($"throw new global::System.ArgumentOutOfRangeException(nameof(sourceIndex), sourceIndex, {Literal($"Sub-topology {Int(subtopology.Id)} of '{spec.TopologyName}' reads {Int(subtopology.Sources.Count)} topic(s).")});");
                writer.Indentation--;
                writer.CloseBlock();
                writer.CloseBlock();
            }

            /// <summary>Deserializes the record as <paramref name="reader"/> declares it and calls the reader.</summary>
            private void EmitRead(NodeSpec reader)
            {
                if (reader.Process is not { } process)
                {
                    // A count reads its repartition topic: the key is all it needs.
                    EmitDeserialize(reader.Store!.KeyType, "record.Key", "key");
                    writer.WriteLine($"{reader.Name}_Process(key);");
                    return;
                }

                string key;
                if (process.TakesKey || !reader.KeyType.Equals(TypeRef.RawKey))
                {
                    EmitDeserialize(reader.KeyType, "record.Key", "key"); // declared, or what a join reading its repartition topic is keyed by
                    key = "key";
                }
                else
                {
                    key = "record.Key"; // Process(value) from a topic: the raw key bytes, borrowed for the call, not copied
                }

                EmitDeserialize(process.ValueType, "record.Value", "value");
                writer.WriteLine($"{reader.Name}_Process({key}, value);");
            }

            /// <summary>
            /// Applies a record of a join's table to its store: a null value deletes the key (a tombstone), any other value
            /// replaces it; a record without a key cannot be placed and is dropped and reported, as Kafka Streams does.
            /// </summary>
            private void EmitTableUpdate(NodeSpec join)
            {
                var store = join.Store!;
                writer.WriteLine("if (record.Key is not { } tableKeyBytes)");
                writer.OpenBlock();
                writer.WriteLine($"_taskContext.ReportDropped({Literal(join.Name)}, in _context, {Literal($"null key: a record of table '{join.Join!.Table}' needs a key")});");
                writer.CloseBlock();
                writer.WriteLine("else");
                writer.OpenBlock();
                // Raw key bytes are borrowed: the store copies a key it adds, and keeps none it deletes or replaces.
                writer.WriteLine(store.KeyType.Serde == SerdeKind.ByteMemory
                    ? "var tableKey = tableKeyBytes;"
                    : $"var tableKey = {Deserialize(store.KeyType, "tableKeyBytes", isValue: false)};");
                writer.WriteLine("if (record.Value is { } tableValueBytes)");
                writer.OpenBlock();
                writer.WriteLine($"{StoreField(join)}.Put(tableKey, {Deserialize(store.ValueType, "tableValueBytes", isValue: true)});");
                writer.CloseBlock();
                writer.WriteLine("else");
                writer.OpenBlock();
                writer.WriteLine($"{StoreField(join)}.Delete(tableKey); // a tombstone");
                writer.CloseBlock();
                writer.CloseBlock();
            }

            /// <summary>
            /// The expression that reads a <paramref name="type"/> from the record bytes <paramref name="memory"/> (not null);
            /// a byte[] gets its own copy (the bytes are borrowed from the runtime's buffer).
            /// </summary>
            private static string Deserialize(TypeRef type, string memory, bool isValue) =>
                type.Serde == SerdeKind.ByteArray ? $"{memory}.ToArray()"
                // An Avro value may have been written with an older schema (the runtime's AvroWriterSchemas).
                : $"{SerdeField(type)}.Deserialize({memory}.Span{(type.Serde == SerdeKind.Avro && isValue ? ", record.ValueResolution" : "")})";

            private void EmitDeserialize(TypeRef type, string bytes, string local)
            {
                var isValue = bytes == "record.Value";
                if (type.AcceptsNull)
                {
                    // default(T?), not null: for ReadOnlyMemory<byte>? "? x : null" would turn null into empty memory.
                    writer.WriteLine($"{type.FullName} {local} = {bytes} is {{ }} {local}Bytes ? {Deserialize(type, local + "Bytes", isValue)} : " +
                        $"{(type.Nullability == TypeNullability.NullableValue ? $"default({type.FullName})" : "null")};");
                    return;
                }

                writer.WriteLine($"var {local}Bytes = {bytes};");
                writer.WriteLine($"if ({local}Bytes is null) {SerdeThrowType}.UnexpectedNull({Literal(type.SerdeTypeName)}, {Literal(local)});");
                writer.WriteLine($"{type.NonNullableName} {local} = {Deserialize(type, local + "Bytes.Value", isValue)};");
            }

            private void EmitProcessor(NodeSpec node)
            {
                var process = node.Process!;
                writer.WriteLine($"private void {node.Name}_Process({node.KeyType.FullName} key, {process.ValueType.FullName} value)");
                writer.OpenBlock();
                if (node.KeepsKey)
                {
                    writer.WriteLine($"{KeyField(node)} = key;");
                }

                var arguments = process.TakesKey ? "key, value" : "value";
                if (process.TakesContext)
                {
                    arguments += ", in _context";
                }

                OpenGuard();
                writer.WriteLine($"{NodeField(node)}.Process({arguments});");
                CloseGuard(node);
                writer.CloseBlock();

                foreach (var output in node.Outputs)
                {
                    writer.WriteLine();
                    writer.WriteLine($"/// <summary>{Xml(node.Name)}.{Xml(output.MethodName!)}: {Xml(Describe(output))}.</summary>");
                    if (output.KeyParameter is { } keyParameter)
                    {
                        writer.WriteLine($"internal void {node.Name}_{output.MethodName}({keyParameter.Type.FullName} key, {output.ValueParameter.Type.FullName} value)");
                        writer.OpenBlock();
                    }
                    else
                    {
                        writer.WriteLine($"internal void {node.Name}_{output.MethodName}({output.ValueParameter.Type.FullName} value)");
                        writer.OpenBlock();
                        writer.WriteLine($"var key = {KeyField(node)};");
                    }

                    EmitDelivery(output, "key", "value", output.ValueParameter.Type);
                    writer.CloseBlock();
                }
            }

            /// <summary>
            /// The stream side of a join: looks the key up in the table's store and, on a match (or always, in a left join),
            /// calls the user's <c>Join</c> and sends the result with the record's key and timestamp.
            /// </summary>
            private void EmitJoin(NodeSpec node, JoinSpec join)
            {
                var process = node.Process!;
                var store = StoreField(node);
                writer.WriteLine($"private void {node.Name}_Process({node.KeyType.FullName} key, {process.ValueType.FullName} value)");
                writer.OpenBlock();
                var lookupKey = node.KeyType.Nullability == TypeNullability.NullableValue ? "key.Value" : "key";
                var mayBeNull = node.KeyType.CanBeNull;
                if (mayBeNull && !join.IsLeft)
                {
                    writer.WriteLine("if (key is null)");
                    writer.OpenBlock();
                    writer.WriteLine($"_taskContext.ReportDropped({Literal(node.Name)}, in _context, {Literal("null key: an inner join looks stream records up by key")});");
                    writer.WriteLine("return;");
                    writer.CloseBlock();
                    mayBeNull = false;
                }

                OpenGuard();
                var arguments = (process.TakesKey ? "key, value, right" : "value, right") + (process.TakesContext ? ", in _context" : "");
                if (join.IsLeft)
                {
                    writer.WriteLine($"{join.Right.FullName} right = default; // no value in the table for the key");
                    writer.WriteLine($"if ({(mayBeNull ? "key is not null && " : "")}{store}.TryGet({lookupKey}, out var found)) right = found;");
                }
                else
                {
                    writer.WriteLine($"if (!{store}.TryGet({lookupKey}, out var right)) return; // no match: an inner join emits nothing");
                }

                writer.WriteLine($"var joined = {(join.IsStatic ? NodeType(spec, node) : NodeField(node))}.Join({arguments});");
                foreach (var output in node.Outputs)
                {
                    EmitDelivery(output, mayBeNull ? "key" : lookupKey, "joined", join.Result, keyIsNotNull: !mayBeNull);
                }

                CloseGuard(node);
                writer.CloseBlock();
            }

            private void EmitCount(NodeSpec node)
            {
                writer.WriteLine($"private void {node.Name}_Process({node.KeyType.FullName} key)");
                writer.OpenBlock();
                OpenGuard();
                var key = "key";
                if (node.KeyType.CanBeNull)
                {
                    // A count groups by key: a null key has no group (and no partition).
                    writer.WriteLine($"if (key is null) {SerdeThrowType}.UnexpectedNull({Literal(node.KeyType.SerdeTypeName)}, \"key\");");
                    if (node.KeyType.Nullability == TypeNullability.NullableValue)
                    {
                        writer.WriteLine("var countKey = key.Value;");
                        key = "countKey";
                    }
                }

                if (node.Store!.Window is { } window)
                {
                    EmitWindowedCount(node, window, key);
                }
                else
                {
                    writer.WriteLine($"long count = ++{StoreField(node)}.GetValueRefOrAddDefault({key}, out _);"); // one lookup
                    foreach (var output in node.Outputs)
                    {
                        EmitDelivery(output, key, "count", TypeRef.Int64, keyIsNotNull: true);
                    }
                }

                CloseGuard(node);
                writer.CloseBlock();
            }

            /// <summary>
            /// Counts the record in every window that contains its timestamp and is still open (its end plus grace is
            /// after the count's stream time), as Kafka Streams' windowed aggregation does; reports it when all of them
            /// have closed. Then closes the windows stream time has passed: dropped, or with <c>Emit.Final</c> emitted
            /// once (timestamp: the window's last millisecond).
            /// </summary>
            private void EmitWindowedCount(NodeSpec node, WindowSpec window, string key)
            {
                var store = StoreField(node);
                var streamTime = StreamTimeField(node);
                var (size, advance, grace) = (Long(window.SizeMilliseconds), Long(window.AdvanceMilliseconds), Long(window.GraceMilliseconds));
                writer.WriteLine("var timestamp = _context.Timestamp;");
                writer.WriteLine($"if (timestamp > {streamTime}) {streamTime} = timestamp;");
                writer.WriteLine($"var closeTime = {streamTime} - {grace}; // a window ending at or before it has closed");
                writer.WriteLine("var counted = false;");
                writer.WriteLine($"for (var start = global::Streams.Generated.TimeWindows.FirstStart(timestamp, {size}, {advance}); start <= timestamp; start += {advance})"); // none for a negative timestamp
                writer.OpenBlock();
                writer.WriteLine($"if (start + {size} <= closeTime) continue;");
                writer.WriteLine("counted = true;");
                writer.WriteLine(window.EmitFinal
                    ? $"++{store}.GetValueRefOrAddDefault({key}, start, out _);"
                    : $"long count = ++{store}.GetValueRefOrAddDefault({key}, start, out _);");
                if (!window.EmitFinal)
                {
                    writer.WriteLine($"var windowed = new {TypeRef.Windowed(node.Store!.KeyType).FullName}({key}, start, start + {size});");
                    foreach (var output in node.Outputs)
                    {
                        EmitDelivery(output, "windowed", "count", TypeRef.Int64, keyIsNotNull: true);
                    }
                }

                writer.CloseBlock();
                writer.WriteLine("if (!counted)");
                writer.OpenBlock();
                writer.WriteLine($"_taskContext.ReportDropped({Literal(node.Name)}, in _context, timestamp < 0");
                writer.WriteLine($"    ? $\"negative timestamp {{timestamp}}: windows need record timestamps\"");
                writer.WriteLine($"    : $\"late: every window of timestamp {{timestamp}} has closed (stream time {{{streamTime}}}, {window.Text}, grace {grace}ms)\");");
                writer.CloseBlock();
                if (!window.EmitFinal)
                {
                    writer.WriteLine($"while ({store}.TryRemoveClosed(closeTime, out _, out _)) {{ }} // windows past their grace are dropped");
                    return;
                }

                writer.WriteLine("var current = _context; // final results carry their window's last millisecond, then the record's context returns");
                writer.WriteLine($"while ({store}.TryRemoveClosed(closeTime, out var closedStart, out var closed))");
                writer.OpenBlock();
                writer.WriteLine("foreach (var (closedKey, finalCount) in closed)");
                writer.OpenBlock();
                writer.WriteLine($"var windowed = new {TypeRef.Windowed(node.Store!.KeyType).FullName}(closedKey, closedStart, closedStart + {size});");
                writer.WriteLine($"_context = new global::Streams.Generated.RecordContext(_context.Topic, _context.Partition, _context.Offset, closedStart + {size} - 1);");
                foreach (var output in node.Outputs)
                {
                    EmitDelivery(output, "windowed", "finalCount", TypeRef.Int64, keyIsNotNull: true);
                }

                writer.CloseBlock();
                writer.CloseBlock();
                writer.WriteLine("_context = current;");
            }

            /// <summary>
            /// Opens the try block around a node's work: an exception it throws leaves as a ProcessorException naming
            /// the node (the innermost node, as downstream calls are nested inside it), so error policies can say where.
            /// </summary>
            private void OpenGuard()
            {
                writer.WriteLine("try");
                writer.OpenBlock();
            }

            private void CloseGuard(NodeSpec node)
            {
                writer.CloseBlock();
                writer.WriteLine($"catch (global::System.Exception e) when ({ProcessorExceptionType}.ShouldWrap(e))");
                writer.OpenBlock();
                writer.WriteLine($"throw new {ProcessorExceptionType}({Literal(node.Name)}, e);");
                writer.CloseBlock();
            }

            /// <summary>Sends (key, value) where <paramref name="output"/> goes: a direct call, or serialization and Send.</summary>
            private void EmitDelivery(OutputSpec output, string key, string value, TypeRef valueType, bool keyIsNotNull = false)
            {
                if (output.TargetKind == OutputTargetKind.Node)
                {
                    writer.WriteLine(output.TargetIsCount ? $"{output.Target}_Process({key});" : $"{output.Target}_Process({key}, {value});");
                    return;
                }

                var keyType = keyIsNotNull ? output.KeyType.WithoutNullability() : output.KeyType;
                var keyWrite = EmitSerialize(keyType, key, "_keyBuffer", requireKey: output.TargetKind == OutputTargetKind.Repartition,
                    knownNotNull: keyIsNotNull);
                var valueWrite = EmitSerialize(valueType, value, "_valueBuffer", requireKey: false, knownNotNull: false);
                writer.WriteLine($"_collector.Send({SinkField(output.SinkIndex)}, {keyWrite.Span}, {keyWrite.IsNull}, {valueWrite.Span}, {valueWrite.IsNull}, _context.Timestamp);");
            }

            /// <summary>
            /// Writes the statements that serialize <paramref name="expression"/>; returns the span and null-flag
            /// expressions for <c>Send</c>. A byte[] is sent as it is, without a copy.
            /// </summary>
            private (string Span, string IsNull) EmitSerialize(TypeRef type, string expression, string buffer, bool requireKey, bool knownNotNull)
            {
                var serde = SerdeField(type);
                var mayBeNull = type.CanBeNull && !knownNotNull;
                if (requireKey && mayBeNull)
                {
                    // Records of a null key cannot be repartitioned (nor counted): fail before writing them.
                    writer.WriteLine($"if ({expression} is null) {SerdeThrowType}.UnexpectedNull({Literal(type.SerdeTypeName)}, \"key\");");
                    if (type.Nullability == TypeNullability.NullableValue)
                    {
                        expression += ".Value";
                    }

                    mayBeNull = false;
                }

                if (type.Serde == SerdeKind.ByteArray)
                {
                    return (expression, mayBeNull ? $"{expression} is null" : "false");
                }

                writer.WriteLine($"{buffer}.ResetWrittenCount();");
                if (type.WindowedKey is { } windowedKey)
                {
                    // Kafka's TimeWindowedSerializer: the key's bytes, then the window start (a value type: never null).
                    writer.WriteLine(windowedKey.Serde == SerdeKind.ByteArray
                        ? $"{buffer}.Write({expression}.Key);"
                        : $"{SerdeField(windowedKey)}.Serialize({expression}.Key, {buffer});");
                    writer.WriteLine($"global::Streams.Generated.TimeWindows.WriteStart({buffer}, {expression}.Start);");
                    return ($"{buffer}.WrittenSpan", "false");
                }

                if (!mayBeNull)
                {
                    writer.WriteLine($"{serde}.Serialize({expression}, {buffer});");
                    return ($"{buffer}.WrittenSpan", "false");
                }

                var local = expression.TrimStart('_') + "ToWrite";
                writer.WriteLine($"if ({expression} is {{ }} {local}) {serde}.Serialize({local}, {buffer});");
                return ($"{buffer}.WrittenSpan", $"{expression} is null");
            }

            /// <summary>
            /// <c>Punctuate(punctuator, timestamp)</c>: a switch of direct calls, in the order of the definition's
            /// punctuations, each in the guard that names its node.
            /// </summary>
            private void EmitPunctuate(List<(NodeSpec Node, PunctuatorSpec Punctuator)> punctuators)
            {
                writer.WriteLine("/// <inheritdoc/>");
                writer.WriteLine("public void Punctuate(int punctuator, long timestamp)");
                writer.OpenBlock();
                writer.WriteLine("// A punctuation is not a record: its outputs carry its timestamp and no source, and outputs that keep the key send none.");
                writer.WriteLine($"_context = new {RecordContextType}(\"\", -1, -1, timestamp);");
                writer.WriteLine("switch (punctuator)");
                writer.OpenBlock();
                for (var i = 0; i < punctuators.Count; i++)
                {
                    var (node, punctuator) = punctuators[i];
                    var clock = punctuator.WallClockTime ? "wall-clock time" : "stream time";
                    writer.WriteLine($"case {Int(i)}: // {node.Name}.{punctuator.MethodName}, every {Long(punctuator.IntervalMilliseconds)} ms of {clock}");
                    writer.OpenBlock();
                    if (node.KeepsKey)
                    {
                        writer.WriteLine($"{KeyField(node)} = default!;");
                    }

                    OpenGuard();
                    writer.WriteLine($"{NodeField(node)}.{punctuator.MethodName}(timestamp);");
                    CloseGuard(node);
                    writer.WriteLine("break;");
                    writer.CloseBlock();
                }

                writer.WriteLine("default:");
                writer.Indentation++;
                writer.WriteLine($"throw new global::System.ArgumentOutOfRangeException(nameof(punctuator), punctuator, {Literal($"Sub-topology {Int(subtopology.Id)} of '{spec.TopologyName}' has {Int(punctuators.Count)} punctuator(s).")});");
                writer.Indentation--;
                writer.CloseBlock();
                writer.CloseBlock();
            }

            private void EmitGetStore()
            {
                writer.WriteLine("/// <inheritdoc/>");
                var stores = new List<NodeSpec>();
                foreach (var nodeName in subtopology.Nodes)
                {
                    if (_nodes[nodeName].Store is not null)
                    {
                        stores.Add(_nodes[nodeName]);
                    }
                }

                if (stores.Count == 0)
                {
                    writer.WriteLine("public object? GetStore(string name) => null;");
                    return;
                }

                writer.WriteLine("public object? GetStore(string name) => name switch");
                writer.OpenBlock();
                foreach (var node in stores)
                {
                    writer.WriteLine($"{Literal(node.Store!.Name)} => {StoreField(node)},");
                }

                writer.WriteLine("_ => null,");
                writer.CloseBlock(";");
            }

            private static string Describe(OutputSpec output)
            {
                var key = output.KeyParameter is null ? "keeps the key" : "sets the key";
                return output.TargetKind switch
                {
                    OutputTargetKind.Node => $"{key}, calls {output.Target}",
                    OutputTargetKind.Repartition => $"{key}, writes the repartition topic {output.Target}",
                    _ => $"{key}, writes topic {output.Target}",
                };
            }
        }

        /// <summary>The punctuators of a sub-topology's processors, in node then declaration order: their index is their position.</summary>
        private static List<(NodeSpec Node, PunctuatorSpec Punctuator)> Punctuators(SubtopologySpec subtopology, Dictionary<string, NodeSpec> nodes)
        {
            var punctuators = new List<(NodeSpec, PunctuatorSpec)>();
            foreach (var nodeName in subtopology.Nodes)
            {
                var node = nodes[nodeName];
                foreach (var punctuator in node.Punctuators)
                {
                    punctuators.Add((node, punctuator));
                }
            }

            return punctuators;
        }

        private static string PunctuationType(PunctuatorSpec punctuator) =>
            PunctuationTypeType + (punctuator.WallClockTime ? ".WallClockTime" : ".StreamTime");

        /// <summary>The one Avro record type every reader of <paramref name="source"/> reads its values as, if there is one.</summary>
        private static string? AvroValueType(SourceSpec source, Dictionary<string, NodeSpec> nodes)
        {
            string? type = null;
            foreach (var name in source.Readers)
            {
                var reader = nodes[name];
                var value = reader.ReadsAsTable(source.Topic) ? reader.Join!.Right : reader.Process?.ValueType;
                if (value is null)
                {
                    continue; // a count reading its repartition topic reads no value
                }

                if (value.Serde != SerdeKind.Avro || type is not null && type != value.NonNullableName)
                {
                    return null;
                }

                type = value.NonNullableName;
            }

            return type;
        }

        /// <summary>Whether a join reads <paramref name="source"/> as its table: then its tasks read it from the beginning.</summary>
        private static bool IsTable(SourceSpec source, Dictionary<string, NodeSpec> nodes)
        {
            foreach (var reader in source.Readers)
            {
                if (nodes[reader].ReadsAsTable(source.Topic))
                {
                    return true;
                }
            }

            return false;
        }

        private static Dictionary<string, NodeSpec> Index(TopologySpec spec)
        {
            var index = new Dictionary<string, NodeSpec>(System.StringComparer.Ordinal);
            foreach (var node in spec.Nodes)
            {
                index[node.Name] = node;
            }

            return index;
        }

        // Names and literals ---------------------------------------------------------------------------------------

        private static string TaskName(SubtopologySpec subtopology) => TaskName(subtopology.Id);

        // Fully qualified: a node named like a member of the task (Process, GetStore) must not be mistaken for it.
        private static string NodeType(TopologySpec spec, NodeSpec node) => spec.FullyQualifiedName + "." + node.Name;

        private static string TaskName(int id) => "Subtopology" + Int(id) + "Task";

        private static string SinkField(int index) => "_sink" + Int(index) + "Topic";

        private static string NodeField(NodeSpec node) => "_" + Camel(node.Name);

        private static string KeyField(NodeSpec node) => "_" + Camel(node.Name) + "Key";

        private static string StoreField(NodeSpec node) => "_" + Camel(node.Name) + "Store";

        private static string StreamTimeField(NodeSpec node) => "_" + Camel(node.Name) + "StreamTime";

        private static string SerdeField(TypeRef type) => type.Serde switch
        {
            SerdeKind.String => SerdesType + ".String",
            SerdeKind.Int32 => SerdesType + ".Int32",
            SerdeKind.Int64 => SerdesType + ".Int64",
            SerdeKind.Double => SerdesType + ".Double",
            SerdeKind.Boolean => SerdesType + ".Boolean",
            SerdeKind.Int16 => SerdesType + ".Int16",
            SerdeKind.Single => SerdesType + ".Single",
            SerdeKind.Guid => SerdesType + ".Guid",
            SerdeKind.ByteMemory => SerdesType + ".ByteMemory",
            SerdeKind.Avro => "global::Streams.Generated.Serialization.Avro.AvroSerde<" + type.NonNullableName + ">.Instance",
            SerdeKind.Json => "global::Streams.Generated.Serialization.Json.JsonSerde<" + type.NonNullableName + ">.Instance",
            _ => SerdesType + ".ByteArray",
        };

        private static string Camel(string name) =>
            name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Bool(bool value) => value ? "true" : "false";

        private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
