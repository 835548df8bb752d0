using System.Buffers;
using System.Collections;
using System.Numerics;
using System.Reflection;
using Avro;
using Avro.Generic;
using Avro.IO;
using Streams.Generated.Serialization.Avro;

namespace Streams.Generated.Tests.Serialization.Avro;

/// <summary>
/// The reference implementation side of the interop tests: Apache.Avro's generic reader and writer, and a reflection
/// based (tests only) mapping between our generated types and Apache's generic datums.
/// </summary>
internal static class ApacheAvro
{
    public static byte[] WriteOurs<T>(T value) where T : IAvroRecord<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        AvroSerde<T>.Instance.Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Apache's generic reader over <paramref name="bytes"/>, with our schema as writer and reader schema.</summary>
    public static object? Read(Schema schema, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var datum = new GenericDatumReader<object>(schema, schema).Read(null!, new BinaryDecoder(stream));
        Assert.Equal(bytes.Length, stream.Position); // it consumed exactly one datum
        return datum;
    }

    /// <summary>Apache's generic writer.</summary>
    public static byte[] Write(Schema schema, object? datum)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<object>(schema).Write(datum!, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>Our value as Apache's generic datum for <paramref name="schema"/>.</summary>
    public static object? ToGeneric(object? value, Schema schema)
    {
        switch (schema)
        {
            case UnionSchema union:
                return value is null ? null : ToGeneric(value, union.Schemas.First(s => s.Tag != Schema.Type.Null));
            case RecordSchema record:
                var generic = new GenericRecord(record);
                foreach (var field in record.Fields)
                {
                    var property = value!.GetType().GetProperty(field.Name, BindingFlags.Public | BindingFlags.Instance)!;
                    generic.Add(field.Name, ToGeneric(property.GetValue(value), field.Schema));
                }

                return generic;
            case EnumSchema enumSchema:
                return new GenericEnum(enumSchema, value!.ToString());
            case ArraySchema array:
                return ((IEnumerable)value!).Cast<object?>().Select(item => ToGeneric(item, array.ItemSchema)).ToArray();
            case MapSchema map:
                var entries = new Dictionary<string, object?>();
                foreach (DictionaryEntry entry in (IDictionary)value!)
                    entries[(string)entry.Key] = ToGeneric(entry.Value, map.ValueSchema);
                return entries;
            case LogicalSchema logical:
                return logical.LogicalTypeName switch
                {
                    "decimal" => new AvroDecimal(Unscaled((decimal)value!, int.Parse(logical.GetProperty("scale"))), int.Parse(logical.GetProperty("scale"))),
                    "uuid" => (Guid)value!,
                    "date" => ((DateOnly)value!).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                    _ => ((DateTimeOffset)value!).UtcDateTime, // timestamp-millis / -micros
                };
            default:
                return value;
        }
    }

    /// <summary>A datum as plain, comparable data: records as ordered name/value lists, bytes as hex, times as ticks.</summary>
    public static object? Normalize(object? datum) => datum switch
    {
        null => null,
        GenericRecord record => string.Join(",", record.Schema.Fields.Select(f => f.Name + "=" + Describe(Normalize(record.GetValue(f.Pos))))),
        GenericEnum symbol => "enum:" + symbol.Value,
        byte[] bytes => "bytes:" + Convert.ToHexString(bytes),
        AvroDecimal number => $"decimal:{number.UnscaledValue}e-{number.Scale}",
        DateTime time => "ticks:" + time.Ticks,
        IDictionary map => "{" + string.Join(",", map.Keys.Cast<string>().Order(StringComparer.Ordinal).Select(k => k + ":" + Describe(Normalize(map[k])))) + "}",
        string text => "s:" + text,
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(i => Describe(Normalize(i)))) + "]",
        double d => "d:" + BitConverter.DoubleToInt64Bits(double.IsNaN(d) ? double.NaN : d),
        float f => "f:" + BitConverter.SingleToInt32Bits(float.IsNaN(f) ? float.NaN : f),
        _ => datum,
    };

    private static string Describe(object? normalized) => normalized?.ToString() ?? "null";

    private static BigInteger Unscaled(decimal value, int scale)
    {
        var bits = decimal.GetBits(value);
        var magnitude = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | (uint)bits[0];
        var currentScale = (bits[3] >> 16) & 0xFF;
        magnitude *= BigInteger.Pow(10, scale - currentScale);
        return bits[3] < 0 ? -magnitude : magnitude;
    }
}
