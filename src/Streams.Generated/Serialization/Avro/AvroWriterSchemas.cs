using System.Collections;

namespace Streams.Generated.Serialization.Avro;

/// <summary>
/// The Avro schemas that producers wrote a topic's values with, when they differ from the schema of the value type the
/// topology reads them as: the app reads those values by Avro's resolution rules (<see cref="AvroResolution"/>) into its
/// current types. A Schema Registry keeps these versions; this library has no registry client, so they are configured
/// here, e.g. from the registry's <c>/schemas/ids/{id}</c> at deployment. Keys are never resolved.
/// </summary>
/// <example>
/// <code>
/// options.ConfluentWireFormat["orders"] = 17;           // the id of Order's current schema
/// options.AvroWriterSchemas.Add("orders", 12, orderV1);  // values framed with id 12 were written with orderV1
/// options.AvroWriterSchemas.Add("legacy-orders", orderV1); // a plain-Avro topic, every value written with orderV1
/// </code>
/// </example>
public sealed class AvroWriterSchemas : IEnumerable<AvroWriterSchema>
{
    private readonly List<AvroWriterSchema> _schemas = [];

    /// <summary>Every value on <paramref name="topic"/> (plain Avro, not in Confluent's wire format) was written with <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The topic already has a writer schema.</exception>
    public void Add(string topic, string schema) => Add(new AvroWriterSchema(topic, null, schema));

    /// <summary>
    /// Values on <paramref name="topic"/> framed with <paramref name="schemaId"/> (Confluent's wire format, see
    /// <c>StreamsOptions.ConfluentWireFormat</c>) were written with <paramref name="schema"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The topic already has a schema under that id.</exception>
    public void Add(string topic, int schemaId, string schema) => Add(new AvroWriterSchema(topic, schemaId, schema));

    /// <summary>Changes each time a schema is added (a test driver plans again).</summary>
    internal int Version { get; private set; }

    /// <inheritdoc/>
    public IEnumerator<AvroWriterSchema> GetEnumerator() => _schemas.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Add(AvroWriterSchema schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema.Topic, "topic");
        ArgumentException.ThrowIfNullOrWhiteSpace(schema.Schema, "schema");
        if (_schemas.Any(s => s.Topic == schema.Topic && (s.SchemaId == schema.SchemaId || s.SchemaId is null != schema.SchemaId is null)))
        {
            throw new ArgumentException(schema.SchemaId is { } id
                ? $"Topic '{schema.Topic}' already has a writer schema {(_schemas.Any(s => s.Topic == schema.Topic && s.SchemaId is null) ? "for all its values" : $"under schema id {id}")}."
                : $"Topic '{schema.Topic}' already has a writer schema.", "topic");
        }

        _schemas.Add(schema);
        Version++;
    }
}

/// <summary>A schema a topic's values were written with.</summary>
/// <param name="Topic">The input topic.</param>
/// <param name="SchemaId">The Schema Registry id its values are framed with, or null for a plain-Avro topic (every value).</param>
/// <param name="Schema">The writer's Avro schema (JSON).</param>
public readonly record struct AvroWriterSchema(string Topic, int? SchemaId, string Schema);
