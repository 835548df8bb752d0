using Streams.Generated.Serialization.Avro;
using Streams.Generated.Topology;

namespace Streams.Generated.Serialization;

/// <summary>
/// How the values of one input topic were written, beyond the generated serde of the type the topology reads them as:
/// framed in Confluent's wire format (<c>ConfluentWireFormat</c>), written with older versions of that type's Avro
/// schema (<see cref="AvroWriterSchemas"/>), or both. Planned once per topic when an app or a test driver starts (a
/// schema that cannot be resolved fails then, not at the first record); per record it checks and strips the header and
/// hands the generated reader the resolution to follow.
/// </summary>
internal sealed class InputValueFormat
{
    private readonly int? _schemaId;                           // framed: the id of the reader's own schema
    private readonly Dictionary<int, AvroResolution>? _older; // framed: the other ids this topic may carry
    private readonly AvroResolution? _resolution;              // not framed: the writer schema of every value
    private readonly string _description;

    private InputValueFormat(string topic, int? schemaId, Dictionary<int, AvroResolution>? older, AvroResolution? resolution)
    {
        _schemaId = schemaId;
        _older = older;
        _resolution = resolution;
        _description = $"the value of topic '{topic}'" + (schemaId is null ? "" : " (Confluent wire format)");
    }

    /// <summary>
    /// Plans every topic that needs it. <paramref name="topics"/> maps the topology's input topics to the Avro schema of
    /// the value type it reads them as (null for another format).
    /// </summary>
    /// <exception cref="ArgumentException">A writer schema names a topic the topology does not read as an Avro record, does not match the topic's framing, or cannot be resolved.</exception>
    public static Dictionary<string, InputValueFormat> Plan(
        IReadOnlyDictionary<string, string?> topics, IEnumerable<KeyValuePair<string, int>> wireFormat, AvroWriterSchemas writerSchemas, string settings)
    {
        var framed = wireFormat.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var schema in writerSchemas)
        {
            if (!topics.TryGetValue(schema.Topic, out var readerSchema) || readerSchema is null)
            {
                throw new ArgumentException(
                    $"{settings}.AvroWriterSchemas names topic '{schema.Topic}', which the topology does not read as an Avro record " +
                    $"(Avro inputs: {string.Join(", ", topics.Where(t => t.Value is not null).Select(t => $"'{t.Key}'").DefaultIfEmpty("none"))}).");
            }

            if (schema.SchemaId is not null != framed.ContainsKey(schema.Topic))
            {
                throw new ArgumentException(schema.SchemaId is null
                    ? $"{settings}.AvroWriterSchemas gives topic '{schema.Topic}' a writer schema without a schema id, but the topic is in Confluent's wire format ({settings}.ConfluentWireFormat): add it with the id its values carry."
                    : $"{settings}.AvroWriterSchemas gives topic '{schema.Topic}' a writer schema under schema id {schema.SchemaId}, but the topic is not in Confluent's wire format: set {settings}.ConfluentWireFormat[\"{schema.Topic}\"] to the id of the current schema, or add the writer schema without an id.");
            }
        }

        var formats = new Dictionary<string, InputValueFormat>(StringComparer.Ordinal);
        foreach (var topic in framed.Keys.Concat(writerSchemas.Select(s => s.Topic)).Distinct())
        {
            var readerSchema = topics.GetValueOrDefault(topic);
            var older = writerSchemas.Where(s => s.Topic == topic).ToList();
            formats[topic] = framed.TryGetValue(topic, out var schemaId)
                ? new InputValueFormat(topic, schemaId, older.Count == 0 ? null : older.ToDictionary(s => s.SchemaId!.Value, s => Resolve(s, readerSchema!, settings)), null)
                : new InputValueFormat(topic, null, null, Resolve(older[0], readerSchema!, settings));
        }

        return formats;
    }

    /// <summary>The input topics of <paramref name="topology"/> and the Avro schema of their value types (null for other formats).</summary>
    public static Dictionary<string, string?> InputTopics(TopologyDefinition topology)
    {
        var topics = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in topology.Subtopologies.SelectMany(s => s.Sources).Where(t => !t.IsInternal))
        {
            topics[source.Name] = source.ValueAvroSchema;
        }

        return topics;
    }

    /// <summary>The record with its value's header checked and removed, and the resolution its writer schema needs.</summary>
    /// <exception cref="SerdeException">The value is not framed, or framed with a schema id that is neither the reader's nor configured.</exception>
    public ConsumedRecord Read(in ConsumedRecord record)
    {
        if (record.Value is not { } value) return record; // a tombstone has neither header nor schema
        var resolution = _resolution;
        if (_schemaId is { } expected)
        {
            var id = ConfluentWireFormat.ReadSchemaId(value.Span, _description);
            if (id != expected && (_older is null || !_older.TryGetValue(id, out resolution)))
            {
                throw new SerdeException(_description, 1, value.Length, _older is null
                    ? $"schema id {id}, expected {expected}"
                    : $"schema id {id}, expected {expected} or a configured writer schema ({string.Join(", ", _older.Keys)})");
            }

            value = value[ConfluentWireFormat.HeaderLength..];
        }

        var context = record.Context;
        return new ConsumedRecord(context.Topic, context.Partition, context.Offset, context.Timestamp, record.Key, value) { ValueResolution = resolution };
    }

    private static AvroResolution Resolve(AvroWriterSchema writer, string readerSchema, string settings)
    {
        try
        {
            return AvroResolution.Create(writer.Schema, readerSchema);
        }
        catch (AvroSchemaMismatchException e)
        {
            throw new ArgumentException(
                $"{settings}.AvroWriterSchemas: the writer schema of topic '{writer.Topic}'{(writer.SchemaId is { } id ? $" (schema id {id})" : "")} " +
                $"cannot be read as the topology's value type: {e.Message}", e);
        }
    }
}
