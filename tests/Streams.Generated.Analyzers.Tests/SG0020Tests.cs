using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0020Tests
{
    [Fact]
    public async Task IntKeyIntoLongTable()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "orders")]
                public partial class ByCustomer
                {
                    public void Process(string id, string order) => Keyed(order.Length, order);

                    [To(nameof(Enrich))] private partial void Keyed({|SG0020:int key|}, string value);
                }

                [Join(From = nameof(ByCustomer), Table = "customers", Store = "customers", To = "enriched")]
                public partial class Enrich
                {
                    public string Join(long customerId, string order, string customer) => order + customer;
                }
            }
            """);

        Assert.Equal(
            "Output 'ByCustomer.Keyed' sends key type 'int' to join 'Enrich', whose table 'customers' is keyed by 'long': keys of different "
            + "types are different bytes, so equal keys land in different partitions and never meet; re-key the stream: declare the key "
            + "parameter as 'long' (the join then reads it through a repartition topic), or declare the key of 'Enrich.Join' as 'int' if "
            + "that is the type of the table's keys",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task KeptKeyOfAnotherType()
    {
        // The stream topic is keyed by int; an output without a key parameter keeps it.
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "orders")]
                public partial class Valid
                {
                    public void Process(int id, string order) => Out(order);

                    [To(nameof(Enrich))] private partial void {|SG0020:Out|}(string value);
                }

                [Join(From = nameof(Valid), Table = "customers", Store = "customers", To = "enriched", Kind = JoinKind.Left)]
                public partial class Enrich
                {
                    public string Join(string customerId, string order, string? customer) => order + customer;
                }
            }
            """);

        Assert.EndsWith(
            "re-key the stream: add a key parameter 'string key' to 'Out' (the join then reads it through a repartition topic), "
            + "or declare the key of 'Enrich.Join' as 'int' if that is the type of the table's keys",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task WindowedKeyIntoAJoin()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Count(From = "clicks", Store = "per-minute", To = {|SG0020:nameof(Declared)|}, Window = "tumbling 1m")]
                public partial class PerMinute;

                [Join(From = nameof(PerMinute), Table = "users", Store = "users", To = "out")]
                public partial class Declared
                {
                    public string Join(string user, long clicks, string name) => name;
                }

                [Count(From = "views", Store = "views-per-minute", To = {|SG0020:nameof(Undeclared)|}, Window = "tumbling 1m")]
                public partial class ViewsPerMinute;

                [Join(From = nameof(ViewsPerMinute), Table = "pages", Store = "pages", To = "out2")]
                public partial class Undeclared
                {
                    public string Join(long views, string page) => page;
                }
            }
            """);

        Assert.Equal(
            "Count node 'PerMinute' sends key type 'Streams.Generated.Windowed<System.ReadOnlyMemory<byte>>' to join 'Declared', but a table "
            + "'users' cannot be keyed by a window (a Windowed key is the key's bytes followed by the window start); re-key the stream: send "
            + "it through a [Processor] whose output to 'Declared' has a key parameter 'string key' (the join then reads it through a "
            + "repartition topic)",
            diagnostics[0].GetMessage());
        Assert.EndsWith("has a key parameter 'System.ReadOnlyMemory<byte> key' (the join then reads it through a repartition topic)",
            diagnostics[1].GetMessage());
    }

    [Fact]
    public Task ReKeyedStreamIsCoPartitioned() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Count(From = "clicks", Store = "per-minute", To = nameof(ByUser), Window = "tumbling 1m")]
            public partial class PerMinute;

            // The windowed key is taken apart, and the stream re-keyed by the table's key type: the join reads it through a
            // repartition topic.
            [Processor(From = nameof(PerMinute))]
            public partial class ByUser
            {
                public void Process(Windowed<ReadOnlyMemory<byte>> key, long clicks) => Keyed(key.Start, clicks);

                [To(nameof(Enrich))] private partial void Keyed(long key, long value);
            }

            [Join(From = nameof(ByUser), Table = "users", Store = "users", To = "out")]
            public partial class Enrich
            {
                public string Join(long? user, long clicks, string name) => name + clicks;
            }
        }
        """);

    [Fact]
    public Task NullabilityIsNotAKeyType() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "orders")]
            public partial class A
            {
                public void Process(string id, string order) { Nullable(id, order); NotNull(id, order); }

                // The same key type: only the nullability differs, which SG0003 is about.
                [To(nameof(Strict))] private partial void Nullable({|SG0003:string? key|}, string value);
                [To(nameof(Lenient))] private partial void NotNull(string key, string value);
            }

            [Join(From = nameof(A), Table = "customers", Store = "customers", To = "out")]
            public partial class Strict
            {
                public string Join(string customer, string order, string name) => name;
            }

            [Join(From = nameof(A), Table = "customers", Store = "customers-2", To = "out")]
            public partial class Lenient
            {
                public string Join(string? customer, string order, string name) => name;
            }
        }
        """);
}
