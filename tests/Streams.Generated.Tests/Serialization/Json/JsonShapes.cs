using System.Text.Json;
using System.Text.Json.Serialization;
using Streams.Generated.Tests.Serialization.Avro;

namespace Streams.Generated.Tests.Serialization.Json;

// Record shapes the JSON tests exercise. Each object graph uses one naming policy, as System.Text.Json's options do.

[JsonRecord]
public partial record JsonFlat(int Id, long Timestamp, double Price, float Ratio, bool Active, string Name);

[JsonRecord]
public partial record JsonLine(string Sku, int Quantity, decimal UnitPrice);

[JsonRecord]
public partial record JsonAddress(string Street, string City, int? Zip);

[JsonRecord]
public partial record JsonOrder(
    Guid Id,
    string Customer,
    JsonAddress ShipTo,
    JsonAddress? BillTo,
    JsonLine[] Lines,
    Dictionary<string, string> Tags,
    Status Status,
    DateOnly Placed,
    DateTimeOffset Updated,
    string? Note,
    byte[] Signature,
    List<long> Scores,
    decimal Total,
    [property: JsonPropertyName("x-extra")] string Extra);

[JsonRecord(Naming = JsonNaming.CamelCase)]
public partial record JsonPlace(string PlaceName, double? GPSLatitude);

/// <summary>camelCase, settable and init properties, a required one, an ignored one, nullable collection items.</summary>
[JsonRecord(Naming = JsonNaming.CamelCase)]
public partial class JsonSettings
{
    public required string Key { get; set; }
    public long? Limit { get; init; }
    public List<string?> Values { get; set; } = [];
    public Dictionary<string, JsonPlace?> Places { get; set; } = [];
    public int Retries { get; set; } = 3;

    [JsonIgnore]
    public string Cache { get; set; } = "not serialized";

    public int ValueCount => Values.Count;
}

[JsonRecord]
public partial record JsonTree(string Label, JsonTree[] Children, int? Depth);

/// <summary>Names System.Text.Json escapes: written by the runtime escaping rather than as compile-time literals.</summary>
[JsonRecord]
public partial record JsonEscapedNames(
    [property: JsonPropertyName("a<b>&'c'+`")] int Html,
    [property: JsonPropertyName("naïve 🚀")] string? Unicode,
    [property: JsonPropertyName("quote\" back\\slash\ttab")] bool Quoted,
    string Plain);

/// <summary>camelCase of non-ASCII identifiers, which need escaping too.</summary>
[JsonRecord(Naming = JsonNaming.CamelCase)]
public partial record JsonUnicodeCamel(int Größe, string ÜberName, JsonPlace? Place);

/// <summary>System.Text.Json's own source generation for the shapes, default options: what we must write.</summary>
[JsonSerializable(typeof(JsonFlat))]
[JsonSerializable(typeof(JsonOrder))]
[JsonSerializable(typeof(JsonTree))]
[JsonSerializable(typeof(JsonEscapedNames))]
internal sealed partial class JsonShapesContext : JsonSerializerContext;

/// <summary>The same with the camelCase naming policy.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JsonSettings))]
[JsonSerializable(typeof(JsonUnicodeCamel))]
internal sealed partial class JsonCamelShapesContext : JsonSerializerContext;
