using System.Buffers.Binary;

namespace Streams.Generated.Serialization;

/// <summary>
/// Confluent's wire format: a zero magic byte, the 4-byte big-endian id of the writer's schema in a Schema Registry,
/// then the serialized datum. Used by <see cref="Avro.ConfluentAvroSerde{T}"/>, and by the drivers for the topics
/// configured as framed (<see cref="Kafka.StreamsOptions.ConfluentWireFormat"/>), where generated code reads and writes
/// the bare datum.
/// </summary>
public static class ConfluentWireFormat
{
    /// <summary>Length of the header: magic byte and schema id.</summary>
    public const int HeaderLength = 5;

    /// <summary>Writes the header for <paramref name="schemaId"/> into the first <see cref="HeaderLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int schemaId)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], schemaId);
    }

    /// <summary>Returns where the datum starts, after checking the magic byte and that the schema id is <paramref name="schemaId"/>.</summary>
    /// <param name="data">The framed bytes.</param>
    /// <param name="schemaId">The only writer schema id accepted: data written with another schema version needs that version's schema to be read.</param>
    /// <param name="typeName">What was expected, for the error.</param>
    /// <exception cref="SerdeException">Too short, another magic byte, or another schema id.</exception>
    public static int DatumOffset(ReadOnlySpan<byte> data, int schemaId, string typeName)
    {
        if (data.Length < HeaderLength || data[0] != 0)
        {
            throw new SerdeException(typeName, 0, data.Length,
                data.Length < HeaderLength ? "too short for Confluent's 5-byte header" : $"magic byte {data[0]}, expected 0 (Confluent wire format)");
        }

        var id = BinaryPrimitives.ReadInt32BigEndian(data[1..]);
        if (id != schemaId)
            throw new SerdeException(typeName, 1, data.Length, $"schema id {id}, expected {schemaId}");
        return HeaderLength;
    }

    /// <summary>The record with its value's header checked and removed (a null value, a tombstone, has none).</summary>
    /// <exception cref="SerdeException">The value is not framed with <paramref name="schemaId"/>.</exception>
    internal static ConsumedRecord Unframe(in ConsumedRecord record, int schemaId)
    {
        if (record.Value is not { } value) return record;
        var context = record.Context;
        var start = DatumOffset(value.Span, schemaId, $"the value of topic '{context.Topic}' (Confluent wire format)");
        return new ConsumedRecord(context.Topic, context.Partition, context.Offset, context.Timestamp, record.Key, value[start..]);
    }

    /// <summary>A new array: the header for <paramref name="schemaId"/>, then <paramref name="datum"/>.</summary>
    internal static byte[] Frame(ReadOnlySpan<byte> datum, int schemaId)
    {
        var framed = new byte[HeaderLength + datum.Length];
        WriteHeader(framed, schemaId);
        datum.CopyTo(framed.AsSpan(HeaderLength));
        return framed;
    }
}
