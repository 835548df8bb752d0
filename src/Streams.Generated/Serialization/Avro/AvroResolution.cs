using System.Buffers;
using System.Text.Json;

namespace Streams.Generated.Serialization.Avro;

/// <summary>
/// How to read a record written with an older (or newer) version of its schema into the current type, by Avro's
/// schema resolution rules: fields are matched by name; a field the writer has and the reader lacks is skipped; a field
/// the reader has and the writer lacks takes the reader's default (null for a nullable field, or the constant default
/// of its constructor parameter). Matched fields must have the same type; a nested record (or nullable record) field is
/// resolved recursively. Built once per writer schema; the generated <c>ReadAvroResolved</c> follows its steps.
/// </summary>
public sealed class AvroResolution
{
    private AvroResolution(AvroResolutionStep[] steps) => Steps = steps;

    /// <summary>One step per field of the writer's record, in the writer's order.</summary>
    public AvroResolutionStep[] Steps { get; }

    /// <summary>Plans reading data written with <paramref name="writerSchema"/> as the reader schema <paramref name="readerSchema"/>.</summary>
    /// <exception cref="AvroSchemaMismatchException">The schemas cannot be resolved (a type changed, a new field without default).</exception>
    public static AvroResolution Create(string writerSchema, string readerSchema)
    {
        var writer = AvroSchemaNode.Parse(writerSchema);
        var reader = AvroSchemaNode.Parse(readerSchema);
        if (writer.Kind != "record" || reader.Kind != "record")
        {
            throw new AvroSchemaMismatchException("both schemas must be records");
        }

        return Resolve(writer, reader, reader.Name![(reader.Name!.LastIndexOf('.') + 1)..]);
    }

    private static AvroResolution Resolve(AvroSchemaNode writer, AvroSchemaNode reader, string path)
    {
        var steps = new List<AvroResolutionStep>();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var writerField in writer.Fields)
        {
            var index = reader.Fields.FindIndex(f => f.Name == writerField.Name);
            if (index < 0)
            {
                steps.Add(new AvroResolutionStep(-1, writerField.Schema, null)); // removed from the reader: skip
                continue;
            }

            matched.Add(writerField.Name);
            var readerField = reader.Fields[index];
            var fieldPath = path + "." + writerField.Name;
            if (RecordOf(writerField.Schema) is { } writerRecord && RecordOf(readerField.Schema) is { } readerRecord
                && writerRecord.Name == readerRecord.Name && writerField.Schema.IsNullableUnion == readerField.Schema.IsNullableUnion)
            {
                steps.Add(new AvroResolutionStep(index, writerField.Schema, Resolve(writerRecord, readerRecord, fieldPath)));
            }
            else if (writerField.Schema.Canonical == readerField.Schema.Canonical)
            {
                steps.Add(new AvroResolutionStep(index, writerField.Schema, null));
            }
            else
            {
                throw new AvroSchemaMismatchException(
                    $"field {fieldPath} is {writerField.Schema.Canonical} in the writer's schema but {readerField.Schema.Canonical} in the reader's");
            }
        }

        foreach (var readerField in reader.Fields)
        {
            if (!matched.Contains(readerField.Name) && !readerField.HasDefault)
            {
                throw new AvroSchemaMismatchException(
                    $"field {path}.{readerField.Name} is not in the writer's schema and has no default; make it nullable or give its constructor parameter a default value");
            }
        }

        return new AvroResolution([.. steps]);
    }

    private static AvroSchemaNode? RecordOf(AvroSchemaNode node) =>
        node.Kind == "record" ? node : node.IsNullableUnion && node.Branches[1].Kind == "record" ? node.Branches[1] : null;
}

/// <summary>One field of the writer's record: read into reader field <see cref="ReaderField"/>, or skip it (-1).</summary>
/// <param name="ReaderField">The reader's field index, or -1 to skip the value.</param>
/// <param name="Writer">The writer's schema of the value (what to skip).</param>
/// <param name="Nested">The resolution of a nested record field, or null when the schemas are the same.</param>
public sealed record AvroResolutionStep(int ReaderField, AvroSchemaNode Writer, AvroResolution? Nested)
{
    /// <summary>Skips the value this step describes.</summary>
    public void Skip(ref AvroReader reader) => Writer.Skip(ref reader);
}

/// <summary>Two schemas that Avro's resolution rules cannot reconcile.</summary>
public sealed class AvroSchemaMismatchException(string message) : Exception("Cannot resolve the Avro schemas: " + message);

/// <summary>A parsed Avro schema, as much as skipping values and comparing types needs.</summary>
public sealed class AvroSchemaNode
{
    private AvroSchemaNode(string kind) => Kind = kind;

    /// <summary><c>null</c>, <c>boolean</c>, <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>, <c>bytes</c>, <c>string</c>, <c>record</c>, <c>enum</c>, <c>array</c>, <c>map</c>, <c>union</c> or <c>fixed</c>.</summary>
    public string Kind { get; }

    /// <summary>The full name of a named type.</summary>
    public string? Name { get; private set; }

    /// <summary>The fields of a record.</summary>
    public List<AvroFieldNode> Fields { get; } = [];

    /// <summary>The branches of a union.</summary>
    public List<AvroSchemaNode> Branches { get; } = [];

    /// <summary>The items of an array, the values of a map.</summary>
    public AvroSchemaNode? Items { get; private set; }

    /// <summary>The size of a fixed.</summary>
    public int Size { get; private set; }

    /// <summary>A union of null and one other type, null first (how nullable members are written).</summary>
    public bool IsNullableUnion => Kind == "union" && Branches.Count == 2 && Branches[0].Kind == "null";

    /// <summary>A text form that is equal for two schemas describing the same encoding and logical type.</summary>
    public string Canonical { get; private set; } = "";

    /// <summary>Skips one value of this schema.</summary>
    public void Skip(ref AvroReader reader)
    {
        switch (Kind)
        {
            case "null": break;
            case "boolean": reader.ReadBoolean(); break;
            case "int": reader.ReadInt(); break;
            case "long": reader.ReadLong(); break;
            case "float": reader.ReadFloat(); break;
            case "double": reader.ReadDouble(); break;
            case "bytes":
            case "string": reader.ReadLengthPrefixed(); break;
            case "fixed": reader.ReadFixed(Size); break;
            case "enum": reader.ReadLong(); break;
            case "union": Branches[reader.ReadUnionIndex(Branches.Count)].Skip(ref reader); break;
            case "record":
                foreach (var field in Fields) field.Schema.Skip(ref reader);
                break;
            case "array":
            case "map":
                for (var count = reader.ReadBlockCount(); count != 0; count = reader.ReadBlockCount())
                {
                    for (var i = 0; i < count; i++)
                    {
                        if (Kind == "map") reader.ReadLengthPrefixed();
                        Items!.Skip(ref reader);
                    }
                }

                break;
        }
    }

    /// <summary>Parses a schema (JSON) into nodes; named types may be referenced after their definition.</summary>
    /// <exception cref="AvroSchemaMismatchException">The text is not a schema this parser understands.</exception>
    public static AvroSchemaNode Parse(string schema)
    {
        try
        {
            using var document = JsonDocument.Parse(schema);
            return Parse(document.RootElement, null, new Dictionary<string, AvroSchemaNode>(StringComparer.Ordinal));
        }
        catch (JsonException e)
        {
            throw new AvroSchemaMismatchException("the schema is not valid JSON: " + e.Message);
        }
    }

    private static AvroSchemaNode Parse(JsonElement element, string? ns, Dictionary<string, AvroSchemaNode> named)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var name = element.GetString()!;
                if (named.TryGetValue(name, out var known) || (ns is not null && named.TryGetValue(ns + "." + name, out known)))
                {
                    return known;
                }

                return Primitive(name);
            case JsonValueKind.Array:
                var union = new AvroSchemaNode("union");
                foreach (var branch in element.EnumerateArray())
                {
                    union.Branches.Add(Parse(branch, ns, named));
                }

                union.Canonical = "[" + string.Join(",", union.Branches.Select(b => b.Canonical)) + "]";
                return union;
            case JsonValueKind.Object:
                var type = Required(element, "type");
                if (type.ValueKind != JsonValueKind.String)
                {
                    return Parse(type, ns, named);
                }

                var kind = type.GetString()!;
                var logical = element.TryGetProperty("logicalType", out var logicalType) ? logicalType.GetString() : null;
                switch (kind)
                {
                    case "record":
                    case "error":
                    case "enum":
                    case "fixed":
                        var node = new AvroSchemaNode(kind == "error" ? "record" : kind);
                        var local = Required(element, "name").GetString()!;
                        var space = element.TryGetProperty("namespace", out var n) ? n.GetString() : ns;
                        node.Name = local.Contains('.') || string.IsNullOrEmpty(space) ? local : space + "." + local;
                        named[node.Name] = node;
                        node.Canonical = node.Name;
                        if (node.Kind == "record")
                        {
                            var childNamespace = node.Name.Contains('.') ? node.Name[..node.Name.LastIndexOf('.')] : null;
                            foreach (var field in Required(element, "fields").EnumerateArray())
                            {
                                node.Fields.Add(new AvroFieldNode(Required(field, "name").GetString()!,
                                    Parse(Required(field, "type"), childNamespace, named), field.TryGetProperty("default", out _)));
                            }
                        }
                        else if (node.Kind == "fixed")
                        {
                            node.Size = Required(element, "size").GetInt32();
                        }

                        return node;
                    case "array":
                    case "map":
                        var collection = new AvroSchemaNode(kind) { Items = Parse(Required(element, kind == "array" ? "items" : "values"), ns, named) };
                        collection.Canonical = kind + "<" + collection.Items.Canonical + ">";
                        return collection;
                    default:
                        var primitive = Primitive(kind);
                        if (logical is not null)
                        {
                            var logicalNode = new AvroSchemaNode(primitive.Kind) { Canonical = primitive.Kind + ":" + logical + Scale(element) };
                            return logicalNode;
                        }

                        return primitive;
                }

            default:
                throw new AvroSchemaMismatchException($"unexpected {element.ValueKind} in a schema");
        }
    }

    /// <summary>A member the schema must have; a clear error instead of a <see cref="KeyNotFoundException"/>.</summary>
    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new AvroSchemaMismatchException($"a schema object lacks \"{name}\": {element.GetRawText()}");

    private static string Scale(JsonElement element) =>
        element.TryGetProperty("scale", out var scale) ? "(" + scale.GetRawText() + ")" : "";

    private static AvroSchemaNode Primitive(string name) => name switch
    {
        "null" or "boolean" or "int" or "long" or "float" or "double" or "bytes" or "string" => new AvroSchemaNode(name) { Canonical = name },
        _ => throw new AvroSchemaMismatchException($"unknown type '{name}'"),
    };
}

/// <summary>A field of a record schema.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Schema">Its type.</param>
/// <param name="HasDefault">The schema gives it a default.</param>
public sealed record AvroFieldNode(string Name, AvroSchemaNode Schema, bool HasDefault);

/// <summary>
/// Reads data written with another version of <typeparamref name="T"/>'s schema (the writer schema, e.g. from a
/// Schema Registry) into the current type, by Avro's schema resolution rules (see <see cref="AvroResolution"/>).
/// </summary>
public sealed class ResolvingAvroSerde<T> : ISerde<T> where T : IAvroRecord<T>
{
    private readonly AvroResolution _resolution;

    /// <summary>Plans the resolution of <paramref name="writerSchema"/> against <typeparamref name="T"/>'s schema.</summary>
    /// <exception cref="AvroSchemaMismatchException">The schemas cannot be resolved.</exception>
    public ResolvingAvroSerde(string writerSchema) => _resolution = AvroResolution.Create(writerSchema, T.AvroSchema);

    /// <summary>Writes the current schema (writing is never resolved).</summary>
    public void Serialize(T value, IBufferWriter<byte> writer) => AvroSerde<T>.Instance.Serialize(value, writer);

    /// <inheritdoc/>
    public T Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new AvroReader(data, T.AvroFullName);
        var value = T.ReadAvroResolved(ref reader, _resolution);
        reader.EnsureEnd();
        return value;
    }
}
