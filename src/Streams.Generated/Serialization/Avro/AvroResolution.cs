using System.Buffers;
using System.Text.Json;

namespace Streams.Generated.Serialization.Avro;

/// <summary>
/// How to read a record written with an older (or newer) version of its schema into the current type, by Avro's
/// schema resolution rules: fields are matched by name; a field the writer has and the reader lacks is skipped; a field
/// the reader has and the writer lacks takes the reader's default (null for a nullable field, or the constant default
/// of its constructor parameter). A matched field keeps its shape (nullable, array, map) and resolves at its leaf: a
/// record resolves field by field again (also inside arrays, maps and nullables), an enum maps symbols by name, and a
/// number may be promoted as Avro allows (int to long, float or double; long to float or double; float to double;
/// string and bytes either way). Built once per writer schema; the generated <c>ReadAvroResolved</c> follows its steps.
/// </summary>
public sealed class AvroResolution
{
    private AvroResolution(AvroResolutionStep[] steps) => Steps = steps;

    /// <summary>One step per field of the writer's record, in the writer's order.</summary>
    public AvroResolutionStep[] Steps { get; }

    /// <summary>Reading needs nothing but the reader's own schema: same fields, same order, same types.</summary>
    public bool IsIdentity { get; private init; }

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

        if (LocalName(writer.Name!) != LocalName(reader.Name!))
        {
            throw new AvroSchemaMismatchException($"the writer's record is {writer.Name} but the reader's is {reader.Name}");
        }

        return Resolve(writer, reader, LocalName(reader.Name!));
    }

    private static AvroResolution Resolve(AvroSchemaNode writer, AvroSchemaNode reader, string path)
    {
        var steps = new AvroResolutionStep[writer.Fields.Count];
        var matched = new HashSet<string>(StringComparer.Ordinal);
        var identity = writer.Fields.Count == reader.Fields.Count;
        for (var i = 0; i < steps.Length; i++)
        {
            var writerField = writer.Fields[i];
            var index = reader.Fields.FindIndex(f => f.Name == writerField.Name);
            if (index < 0)
            {
                steps[i] = new AvroResolutionStep(-1, writerField.Schema); // removed from the reader: skip
                identity = false;
                continue;
            }

            matched.Add(writerField.Name);
            steps[i] = Match(index, writerField.Schema, reader.Fields[index].Schema, path + "." + writerField.Name);
            identity &= index == i && steps[i].ReadsAsIs;
        }

        foreach (var readerField in reader.Fields)
        {
            if (!matched.Contains(readerField.Name) && !readerField.HasDefault)
            {
                throw new AvroSchemaMismatchException(
                    $"field {path}.{readerField.Name} is not in the writer's schema and has no default; make it nullable or give its constructor parameter a default value");
            }
        }

        return new AvroResolution(steps) { IsIdentity = identity };
    }

    /// <summary>
    /// Walks a matched field's writer and reader types together through the same shape (nullable union, array, map)
    /// down to the leaf, and resolves the leaf.
    /// </summary>
    private static AvroResolutionStep Match(int readerField, AvroSchemaNode writerType, AvroSchemaNode readerType, string path)
    {
        if (readerType.IsNullableUnion && writerType.Kind != "union")
        {
            // A field made optional: Avro reads the writer's value as the union's matching branch.
            return Match(readerField, writerType, readerType.Branches[1], path) with { WriterNotNull = true };
        }

        var (writer, reader) = (writerType, readerType);
        while (true)
        {
            if (writer.IsNullableUnion && reader.IsNullableUnion || writer.Kind == reader.Kind && writer.Kind is "array" or "map")
            {
                (writer, reader) = writer.Kind == "union" ? (writer.Branches[1], reader.Branches[1]) : (writer.Items!, reader.Items!);
                continue;
            }

            if (writer.Kind == "record" && reader.Kind == "record" && LocalName(writer.Name!) == LocalName(reader.Name!))
            {
                var nested = Resolve(writer, reader, path);
                return new AvroResolutionStep(readerField, writerType, nested.IsIdentity ? null : nested);
            }

            if (writer.Kind == "enum" && reader.Kind == "enum" && LocalName(writer.Name!) == LocalName(reader.Name!))
            {
                var map = writer.Symbols.Select(symbol => reader.Symbols.IndexOf(symbol)).ToArray();
                var same = map.Length == reader.Symbols.Count && map.Select((to, from) => to == from).All(x => x);
                return new AvroResolutionStep(readerField, writerType, EnumMap: same ? null : map, EnumSymbols: writer.Symbols);
            }

            if (writer.Canonical == reader.Canonical && writer.Kind is not ("record" or "enum"))
            {
                return new AvroResolutionStep(readerField, writerType);
            }

            if (Promotes(writer, reader))
            {
                // int to long and string/bytes share an encoding; only a promotion to float or double converts.
                return new AvroResolutionStep(readerField, writerType, Promotion: reader.Kind is "float" or "double" ? writer.Kind : null);
            }

            throw new AvroSchemaMismatchException(
                $"field {path} is {writerType.Canonical} in the writer's schema but {readerType.Canonical} in the reader's");
        }
    }

    /// <summary>Avro's promotions, between types without a logical type.</summary>
    private static bool Promotes(AvroSchemaNode writer, AvroSchemaNode reader) =>
        writer.Canonical == writer.Kind && reader.Canonical == reader.Kind && (writer.Kind, reader.Kind) is
            ("int", "long" or "float" or "double") or ("long", "float" or "double") or ("float", "double") or ("string", "bytes") or ("bytes", "string");

    private static string LocalName(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..];
}

/// <summary>One field of the writer's record: read into reader field <see cref="ReaderField"/>, or skip it (-1).</summary>
/// <param name="ReaderField">The reader's field index, or -1 to skip the value.</param>
/// <param name="Writer">The writer's schema of the value (what to skip).</param>
/// <param name="Nested">The resolution of the record at the field's leaf (the field itself, or the items of its array or map), or null when both versions of that record are the same.</param>
/// <param name="EnumMap">For an enum leaf whose symbols changed: the reader's position of each writer symbol, -1 for a symbol the reader lacks.</param>
/// <param name="EnumSymbols">For an enum leaf: the writer's symbols (named when one has no reader symbol).</param>
/// <param name="Promotion">For a float or double leaf written as another number: the writer's type (<c>int</c>, <c>long</c> or <c>float</c>).</param>
public sealed record AvroResolutionStep(
    int ReaderField,
    AvroSchemaNode Writer,
    AvroResolution? Nested = null,
    int[]? EnumMap = null,
    IReadOnlyList<string>? EnumSymbols = null,
    string? Promotion = null)
{
    /// <summary>The value reads with the reader's own code: no nested resolution, no symbol map, no conversion.</summary>
    public bool ReadsAsIs => Nested is null && EnumMap is null && Promotion is null && !WriterNotNull;

    /// <summary>The reader's field is nullable, the writer's was not (no union branch was written).</summary>
    public bool WriterNotNull { get; init; }

    /// <summary>Skips the value this step describes.</summary>
    public void Skip(ref AvroReader reader) => Writer.Skip(ref reader);

    /// <summary>Reads an enum written with the writer's symbols and returns the reader's position of that symbol.</summary>
    public int ReadEnum(ref AvroReader reader, int readerSymbols, string? field = null)
    {
        if (EnumMap is null) return reader.ReadEnum(readerSymbols, field);
        var start = reader.Position;
        var symbol = reader.ReadEnum(EnumMap.Length, field);
        var index = EnumMap[symbol];
        if (index < 0)
        {
            reader.Rewind(start);
            reader.Throw($"the writer's enum symbol '{EnumSymbols![symbol]}' is not a symbol of the reader's enum", field);
        }

        return index;
    }

    /// <summary>Reads a <c>double</c>, converting the writer's <c>int</c>, <c>long</c> or <c>float</c>.</summary>
    public double ReadDouble(ref AvroReader reader, string? field = null) => Promotion switch
    {
        null => reader.ReadDouble(field),
        "float" => reader.ReadFloat(field),
        _ => reader.ReadLong(field),
    };

    /// <summary>Reads a <c>float</c>, converting the writer's <c>int</c> or <c>long</c>.</summary>
    public float ReadFloat(ref AvroReader reader, string? field = null) => Promotion is null ? reader.ReadFloat(field) : reader.ReadLong(field);
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

    /// <summary>The symbols of an enum, in order.</summary>
    public List<string> Symbols { get; } = [];

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
                        else if (node.Kind == "enum")
                        {
                            node.Symbols.AddRange(Required(element, "symbols").EnumerateArray().Select(symbol => symbol.GetString()!));
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
    public T Deserialize(ReadOnlySpan<byte> data) => AvroSerde<T>.Instance.Deserialize(data, _resolution);
}
