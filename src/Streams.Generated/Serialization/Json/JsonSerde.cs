using System.Buffers;
using System.Text.Json;

namespace Streams.Generated.Serialization.Json;

/// <summary>
/// A type with a generated JSON encoding: the source generator implements this for every type marked
/// <see cref="JsonRecordAttribute"/>: pre-encoded property names and values formatted straight into the output
/// (<see cref="JsonRecordWriter"/>) to write, <see cref="Utf8JsonReader"/> calls per property to read (no reflection,
/// no converters resolved at run time).
/// </summary>
/// <typeparam name="T">The type itself.</typeparam>
public interface IJsonRecord<T> where T : IJsonRecord<T>
{
    /// <summary>The name errors give the type.</summary>
    static abstract string JsonTypeName { get; }

    /// <summary>Writes <paramref name="value"/> as a JSON object.</summary>
    static abstract void WriteJson(ref JsonRecordWriter writer, T value);

    /// <summary>Reads the JSON object the reader is on (its <c>{</c>) and creates the value.</summary>
    static abstract T ReadJson(ref JsonRecordReader reader);
}

/// <summary>
/// The JSON serde of a generated record type: what <c>System.Text.Json</c> writes and reads for the same type with
/// default options (or camelCase names, as the attribute says). Serializing allocates nothing (a
/// <see cref="JsonRecordWriter"/> on the stack); deserializing allocates the value and its own strings, arrays and maps.
/// </summary>
public sealed class JsonSerde<T> : ISerde<T> where T : IJsonRecord<T>
{
    /// <summary>The shared instance (the serde has no state).</summary>
    public static JsonSerde<T> Instance { get; } = new();

    /// <inheritdoc/>
    public void Serialize(T value, IBufferWriter<byte> writer)
    {
        var json = new JsonRecordWriter(writer);
        T.WriteJson(ref json, value);
        json.Flush();
    }

    /// <inheritdoc/>
    public T Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new JsonRecordReader(data, T.JsonTypeName);
        try
        {
            reader.Next();
            if (reader.IsNull)
            {
                reader.Throw("the value is the JSON literal null, not an object");
            }

            var value = T.ReadJson(ref reader);
            reader.EnsureEnd();
            return value;
        }
        catch (JsonException e)
        {
            throw reader.Malformed(e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString on an escaped lone surrogate (\uDE80): text no .NET string can hold.
            throw reader.Malformed(e);
        }
    }

}
