using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0016Tests
{
    [Fact]
    public async Task MemberTypesAndNamesJsonCannotEncode()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using System;
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            using Streams.Generated;

            [AvroRecord]
            public partial record AvroOnly(int A);

            [JsonRecord(Naming = JsonNaming.CamelCase)]
            public partial record Order(
                string Id,
                {|SG0016:TimeSpan|} Elapsed,
                {|SG0016:AvroOnly|} Nested,
                [property: JsonPropertyName("id")] {|SG0016:string|} Other,
                {|SG0016:Dictionary<int, string>|} ByNumber);

            [JsonRecord]
            public record {|SG0016:NotPartial|}(int A);
            """);

        Assert.Equal(
            "Order.Elapsed: JSON cannot represent 'System.TimeSpan'; use bool, int, long, float, double, string, byte[], an enum, "
            + "decimal, Guid, DateOnly, DateTimeOffset, T[], List<T>, Dictionary<string, T>, another [JsonRecord] type, or a "
            + "nullable form of these (mark a type of yours [JsonRecord] to nest it)",
            diagnostics[0].GetMessage());
        Assert.Equal("Order.Other and Order.Id are both JSON property 'id'; rename one with [JsonPropertyName(\"...\")]", diagnostics[2].GetMessage());
    }

    [Fact]
    public Task ValidJsonRecordsReportNothing() => AnalyzerVerifier.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using Streams.Generated;

        [JsonRecord]
        public partial record Leaf(string Name, int? Size);

        [JsonRecord(Naming = JsonNaming.CamelCase)]
        public partial class Tree
        {
            public required string Id { get; set; }
            public Leaf[] Leaves { get; init; } = [];
            public Dictionary<string, Tree?> Children { get; set; } = [];
            [JsonIgnore] public TimeSpan Ignored { get; set; }
            public int Computed => Leaves.Length;
        }
        """);
}

public class SG0017Tests
{
    [Fact]
    public async Task BothFormatsOnOneType()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [AvroRecord]
            [{|SG0017:JsonRecord|}]
            public partial record Both(int A);
            """);

        Assert.Equal("'Both' is marked both [AvroRecord] and [JsonRecord], so a topic carrying it has two possible formats; keep one of the attributes",
            diagnostics[0].GetMessage());
    }
}
