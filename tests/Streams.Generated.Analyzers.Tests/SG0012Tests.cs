using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0012Tests
{
    [Fact]
    public async Task MemberTypesAvroCannotRepresent()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using System;
            using System.Collections.Generic;
            using Streams.Generated;

            public sealed class Unmarked { }

            [AvroRecord]
            public partial record Order(
                string Id,
                {|SG0012:TimeSpan|} Elapsed,
                {|SG0012:Dictionary<int, string>|} ByNumber,
                {|SG0012:List<Unmarked>|} Items,
                {|SG0012:uint?|} Small);
            """);

        Assert.Equal(
            "Order.Elapsed: Avro cannot represent 'System.TimeSpan'; use bool, int, long, float, double, string, byte[], an enum, "
            + "decimal, Guid, DateOnly, DateTimeOffset, T[], List<T>, Dictionary<string, T>, another [AvroRecord] type, or a "
            + "nullable form of these (mark a type of yours [AvroRecord] to nest it)",
            diagnostics[0].GetMessage());
        Assert.Equal("Order.ByNumber: an Avro map has string keys; use Dictionary<string, T>", diagnostics[1].GetMessage());
    }

    [Fact]
    public async Task TypeDeclarations()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [AvroRecord]
            public record {|SG0012:NotPartial|}(int A);

            [AvroRecord]
            public abstract partial record {|SG0012:Abstract|}(int A);

            [AvroRecord]
            public partial record {|SG0012:Generic|}<T>(int A);

            [AvroRecord]
            public partial class {|SG0012:NoConstructor|}
            {
                public NoConstructor(string other) { }
                public int A { get; set; }
            }

            public class {|SG0012:Outer|}
            {
                [AvroRecord]
                public partial record Inner(int A);
            }
            """);

        Assert.Equal("[AvroRecord] type 'NotPartial' must be declared 'partial' so that the generator can add its Avro encoding",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task NamesPrecisionAndScale() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [AvroRecord(Name = {|SG0012:"bad-name"|})]
        public partial record A(int X);

        [AvroRecord]
        public partial record B(
            [property: AvroField(Name = "x")] int X1,
            [property: AvroField(Name = {|SG0012:"x"|})] int X2,
            [property: {|SG0012:AvroField(Precision = 4, Scale = 6)|}] decimal Price,
            [property: AvroField(Name = {|SG0012:"1st"|})] int First);
        """);

    [Fact]
    public Task ValidRecordsReportNothing() => AnalyzerVerifier.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using Streams.Generated;

        public enum Kind { A, B }

        [AvroRecord]
        public partial record Leaf(string Name, Kind Kind, int? Size);

        [AvroRecord]
        public partial record struct Pair(long Left, long Right);

        [AvroRecord]
        public partial class Tree
        {
            public Leaf[] Leaves { get; set; } = [];
            public List<Pair?> Pairs { get; set; } = [];
            public Dictionary<string, Tree?> Children { get; set; } = [];
            public Guid Id { get; set; }
            public DateOnly Day { get; init; }
            public DateTimeOffset At { get; init; }
            [AvroField(Precision = 10, Scale = 2)] public decimal Price { get; set; }
            public int Computed => Leaves.Length;
        }
        """);
}
