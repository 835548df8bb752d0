using System.Text.Json.Serialization;
using Avro;
using Avro.Specific;
using MemoryPack;
using Streams.Generated;

namespace Streams.Generated.Benchmarks.Formats;

/// <summary>About six fields, one string.</summary>
[AvroRecord]
[MemoryPackable]
public partial record SmallRecord(int Id, long Timestamp, double Price, float Ratio, bool Active, string Name);

[AvroRecord]
[MemoryPackable]
public partial record Customer(string Name, string Email, int Tier);

[AvroRecord]
[MemoryPackable]
public partial record Item(string Sku, int Quantity, double Price);

/// <summary>A nested record and an array of 10.</summary>
[AvroRecord]
[MemoryPackable]
public partial record MediumRecord(long OrderId, Customer Customer, Item[] Items, string Currency, long PlacedAt);

/// <summary>The same shapes with the generated JSON encoding (a type carries one format).</summary>
[JsonRecord]
public partial record SmallJson(int Id, long Timestamp, double Price, float Ratio, bool Active, string Name);

[JsonRecord]
public partial record CustomerJson(string Name, string Email, int Tier);

[JsonRecord]
public partial record ItemJson(string Sku, int Quantity, double Price);

[JsonRecord]
public partial record MediumJson(long OrderId, CustomerJson Customer, ItemJson[] Items, string Currency, long PlacedAt);

[JsonSerializable(typeof(SmallRecord))]
[JsonSerializable(typeof(MediumRecord))]
public sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>
/// Apache.Avro "specific" records, written the way its avrogen tool writes them (ISpecificRecord: Get/Put by position
/// with boxing), so the specific reader and writer can be measured without running the tool.
/// </summary>
public sealed class SmallSpecific : ISpecificRecord
{
    public static readonly Schema AvroSchema = Schema.Parse(SmallRecord.AvroSchemaJson);
    public int Id; public long Timestamp; public double Price; public float Ratio; public bool Active; public string Name = "";

    public Schema Schema => AvroSchema;

    public object Get(int fieldPos) => fieldPos switch
    {
        0 => Id, 1 => Timestamp, 2 => Price, 3 => Ratio, 4 => Active, 5 => Name,
        _ => throw new AvroRuntimeException("Bad index " + fieldPos),
    };

    public void Put(int fieldPos, object fieldValue)
    {
        switch (fieldPos)
        {
            case 0: Id = (int)fieldValue; break;
            case 1: Timestamp = (long)fieldValue; break;
            case 2: Price = (double)fieldValue; break;
            case 3: Ratio = (float)fieldValue; break;
            case 4: Active = (bool)fieldValue; break;
            case 5: Name = (string)fieldValue; break;
            default: throw new AvroRuntimeException("Bad index " + fieldPos);
        }
    }
}
