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
        var id = ReadSchemaId(data, typeName);
        if (id != schemaId)
            throw new SerdeException(typeName, 1, data.Length, $"schema id {id}, expected {schemaId}");
        return HeaderLength;
    }

    /// <summary>The schema id in the header, after checking the magic byte; the datum starts at <see cref="HeaderLength"/>.</summary>
    /// <exception cref="SerdeException">The data is too short for the header or does not start with the magic byte.</exception>
    internal static int ReadSchemaId(ReadOnlySpan<byte> data, string typeName)
    {
        if (data.Length < HeaderLength || data[0] != 0)
        {
            throw new SerdeException(typeName, 0, data.Length,
                data.Length < HeaderLength ? "too short for Confluent's 5-byte header" : $"magic byte {data[0]}, expected 0 (Confluent wire format)");
        }

        return BinaryPrimitives.ReadInt32BigEndian(data[1..]);
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
