using System.Buffers;
using System.Buffers.Binary;

namespace Streams.Generated.Serialization.Avro;

/// <summary>
/// A type with a generated Avro binary encoding: the source generator implements this for every type marked
/// <see cref="AvroRecordAttribute"/>. Static abstract members, so serdes call the generated code directly, without
/// reflection or virtual dispatch.
/// </summary>
/// <typeparam name="T">The type itself.</typeparam>
public interface IAvroRecord<T> where T : IAvroRecord<T>
{
    /// <summary>The Avro schema of <typeparamref name="T"/> as JSON (Parsing Canonical Form plus defaults and logical types).</summary>
    static abstract string AvroSchema { get; }

    /// <summary>The Avro full name of the record (<c>namespace.Name</c>).</summary>
    static abstract string AvroFullName { get; }

    /// <summary>Writes <paramref name="value"/>'s fields in schema order.</summary>
    static abstract void WriteAvro(ref AvroWriter writer, T value);

    /// <summary>Reads the fields in schema order and creates the value.</summary>
    static abstract T ReadAvro(ref AvroReader reader);

    /// <summary>Reads a value written with another version of the schema, following <paramref name="resolution"/>.</summary>
    static abstract T ReadAvroResolved(ref AvroReader reader, AvroResolution resolution);
}

/// <summary>
/// The Avro binary serde of a generated record type: exactly the record's encoding, as Apache Avro's
/// <c>BinaryEncoder</c> writes a datum (no container file, no header). Serializing allocates nothing; deserializing
/// allocates only the value and its own strings, arrays and maps.
/// </summary>
public sealed class AvroSerde<T> : ISerde<T> where T : IAvroRecord<T>
{
    /// <summary>The shared instance (the serde has no state).</summary>
    public static AvroSerde<T> Instance { get; } = new();

    /// <inheritdoc/>
    public void Serialize(T value, IBufferWriter<byte> writer)
    {
        var avro = new AvroWriter(writer);
        T.WriteAvro(ref avro, value);
        avro.Flush();
    }

    /// <inheritdoc/>
    public T Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new AvroReader(data, T.AvroFullName);
        var value = T.ReadAvro(ref reader);
        reader.EnsureEnd();
        return value;
    }

    /// <summary>
    /// Reads a value written with the writer schema <paramref name="resolution"/> was planned for, or with
    /// <typeparamref name="T"/>'s own schema when it is null or changes nothing (<see cref="AvroResolution.IsIdentity"/>).
    /// </summary>
    public T Deserialize(ReadOnlySpan<byte> data, AvroResolution? resolution)
    {
        if (resolution is null || resolution.IsIdentity) return Deserialize(data);
        var reader = new AvroReader(data, T.AvroFullName);
        var value = T.ReadAvroResolved(ref reader, resolution);
        reader.EnsureEnd();
        return value;
    }
}

/// <summary>
/// Confluent's wire format around the Avro encoding: a zero magic byte, the 4-byte big-endian schema id under which the
/// schema is registered in a Schema Registry, then the Avro binary datum. Reading checks both and fails with a
/// <see cref="SerdeException"/> on another magic byte or another schema id.
/// </summary>
/// <param name="schemaId">The registry id of <typeparamref name="T"/>'s schema.</param>
public sealed class ConfluentAvroSerde<T>(int schemaId) : ISerde<T> where T : IAvroRecord<T>
{
    /// <summary>The schema id written and expected.</summary>
    public int SchemaId { get; } = schemaId;

    /// <inheritdoc/>
    public void Serialize(T value, IBufferWriter<byte> writer)
    {
        ConfluentWireFormat.WriteHeader(writer.GetSpan(ConfluentWireFormat.HeaderLength), SchemaId);
        writer.Advance(ConfluentWireFormat.HeaderLength);
        AvroSerde<T>.Instance.Serialize(value, writer);
    }

    /// <inheritdoc/>
    public T Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new AvroReader(data[ConfluentWireFormat.DatumOffset(data, SchemaId, T.AvroFullName)..], T.AvroFullName);
        var value = T.ReadAvro(ref reader);
        reader.EnsureEnd();
        return value;
    }
}
