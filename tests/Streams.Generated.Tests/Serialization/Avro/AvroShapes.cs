using Streams.Generated;

namespace Streams.Generated.Tests.Serialization.Avro;

// Record shapes the Avro tests exercise: flat, nested, with arrays, maps, nullables, enums and logical types.

public enum Status { Pending, Shipped, Cancelled }

/// <summary>About six fields, one string: the "small" record of the benchmarks.</summary>
[AvroRecord]
public partial record Flat(int Id, long Timestamp, double Price, float Ratio, bool Active, string Name);

[AvroRecord(Namespace = "shop.v1")]
public partial record Address(string Street, string City, int? Zip);

[AvroRecord]
public partial record Line(string Sku, int Quantity, decimal UnitPrice);

/// <summary>Nested records, an array, a map, nullables, an enum and logical types.</summary>
[AvroRecord]
public partial record Order(
    Guid Id,
    string Customer,
    Address ShipTo,
    Address? BillTo,
    Line[] Lines,
    Dictionary<string, string> Tags,
    Status Status,
    DateOnly Placed,
    DateTimeOffset Updated,
    string? Note,
    byte[] Signature,
    List<long> Scores,
    [property: AvroField(Micros = true)] DateTimeOffset Audited,
    [property: AvroField(Precision = 12, Scale = 2)] decimal Total);

/// <summary>A mutable class with settable properties and a parameterless constructor.</summary>
[AvroRecord]
public partial class Settings
{
    public string Key { get; set; } = "";
    public long? Limit { get; set; }
    public List<string?> Values { get; set; } = [];
    public Dictionary<string, Address?> Places { get; set; } = [];

    /// <summary>Computed: not a field.</summary>
    public int ValueCount => Values.Count;
}

/// <summary>A record struct.</summary>
[AvroRecord]
public partial record struct Point(double X, double Y);

/// <summary>Recursive: a tree of nodes.</summary>
[AvroRecord]
public partial record TreeNode(string Label, TreeNode[] Children, Point? Position);
