using System.Buffers;
using System.Text.Json;

namespace Streams.Generated.Serialization.Json;

/// <summary>
/// A type with a generated JSON encoding: the source generator implements this for every type marked
/// <see cref="JsonRecordAttribute"/>, with <see cref="Utf8JsonWriter"/> and <see cref="Utf8JsonReader"/> calls per
/// property (no reflection, no converters resolved at run time).
/// </summary>
/// <typeparam name="T">The type itself.</typeparam>
public interface IJsonRecord<T> where T : IJsonRecord<T>
{
    /// <summary>The name errors give the type.</summary>
    static abstract string JsonTypeName { get; }

    /// <summary>Writes <paramref name="value"/> as a JSON object.</summary>
    static abstract void WriteJson(Utf8JsonWriter writer, T value);

    /// <summary>Reads the JSON object the reader is on (its <c>{</c>) and creates the value.</summary>
    static abstract T ReadJson(ref JsonRecordReader reader);
}

/// <summary>
/// The JSON serde of a generated record type: what <c>System.Text.Json</c> writes and reads for the same type with
/// default options (or camelCase names, as the attribute says). Serializing allocates nothing in steady state (one
/// <see cref="Utf8JsonWriter"/> per thread, reset for each record); deserializing allocates the value and its own
/// strings, arrays and maps.
/// </summary>
public sealed class JsonSerde<T> : ISerde<T> where T : IJsonRecord<T>
{
    // One writer per thread, reset onto each record's buffer. It keeps a reference to the last buffer it wrote, as
    // a buffer writer the caller reuses anyway; resetting it away costs more than the reference.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The shared instance (the serde has no state).</summary>
    public static JsonSerde<T> Instance { get; } = new();

    /// <inheritdoc/>
    public void Serialize(T value, IBufferWriter<byte> writer)
    {
        var json = t_writer;
        if (json is null)
        {
            // The generated code writes well-formed JSON by construction: the writer need not check every call.
            t_writer = json = new Utf8JsonWriter(writer, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            json.Reset(writer);
        }

        T.WriteJson(json, value);
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
