using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0005Tests
{
    [Fact]
    public async Task SourceTopicTypes()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            public sealed record Order(string Id, decimal Total);

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "orders")]
                public partial class A
                {
                    public void Process({|SG0005:TimeSpan key|}, {|SG0005:Order value|}) { }
                }

                [Processor(From = "amounts")]
                public partial class B
                {
                    public void Process({|SG0005:decimal amount|}, in RecordContext context) { }
                }

                [Processor(From = "fine")]
                public partial class C
                {
                    public void Process(int? key, byte[]? value) { }
                }
            }
            """);

        Assert.Equal(
            "There is no serde for key type 'System.TimeSpan' read from topic 'orders'; use string, bool, short, int, long, float, double, Guid, byte[], ReadOnlyMemory<byte>, or an [AvroRecord] or [JsonRecord] type "
            + "(nullable forms allowed), or convert in a processor before the topic",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task SinkTopicTypes() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(string value)
                {
                    Out(DateTime.UnixEpoch, value);
                    Values(value.ToCharArray());
                    Fine(value);
                    Inner(TimeSpan.Zero, value);
                }

                [To("out")] private partial void Out({|SG0005:DateTime key|}, string value);
                [To("chars")] private partial void Values({|SG0005:char[] value|});
                [To("fine")] private partial void Fine(string? value);
                [To(nameof(B))] private partial void Inner(TimeSpan key, string value);
            }

            [Processor(From = nameof(A))]
            public partial class B
            {
                public void Process(string value) => Kept(value);

                // The key B received is the TimeSpan set by A.Inner.
                [To("kept")] private partial void {|SG0005:Kept|}(string value);
            }
        }
        """);

    [Fact]
    public Task CountSinkKeyAndRepartitionKey() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(long key, string value) => Out(value);

                [To(nameof(B))] private partial void Out(string value);
            }

            [Processor(From = nameof(A))]
            public partial class B
            {
                public void Process(long key, string value) => Out(TimeSpan.FromSeconds(key), value);

                // Sets the key, so Counts reads through a repartition topic, which needs a TimeSpan serde too.
                [To(nameof(Counts))] private partial void Out({|SG0005:TimeSpan key|}, string value);
            }

            [Count(From = nameof(B), Store = "counts", To = {|SG0005:"per-span"|})]
            public partial class Counts;
        }
        """);

    [Fact]
    public async Task RepartitionTopicTypes()
    {
        // A key set upstream of a Count (directly or through a stateless node) means a repartition topic before the Count.
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            public sealed record Word(string Text);

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "lines")]
                public partial class Split
                {
                    public void Process(string line) => Out(line, new Word(line));

                    [To(nameof(Pass))] private partial void Out(string key, Word value);
                }

                [Processor(From = nameof(Split))]
                public partial class Pass
                {
                    public void Process(Word value) => Out(value);

                    [To(nameof(Counts))] private partial void Out({|SG0005:Word value|});
                }

                [Count(From = nameof(Pass), Store = "counts", To = "out")]
                public partial class Counts;
            }
            """);

        Assert.Equal(
            "There is no serde for value type 'Word' written to the repartition topic 'Counts-repartition'; use string, bool, short, int, long, float, double, Guid, byte[], "
            + "ReadOnlyMemory<byte>, or an [AvroRecord] or [JsonRecord] type (nullable forms allowed), or convert in a processor before the topic",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task NoRepartitionWhenTheKeyIsKept() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        public sealed record Word(string Text);

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "lines")]
            public partial class Wrap
            {
                public void Process(string key, string line) => Out(new Word(line));

                [To(nameof(Counts))] private partial void Out(Word value);
            }

            [Count(From = nameof(Wrap), Store = "counts", To = "out")]
            public partial class Counts;
        }
        """);

    [Fact]
    public async Task JoinTopics()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            public sealed record Customer(string Name);

            [Topology("t")]
            public static partial class T
            {
                // From a topic: key and left are read from it; the table is read with the key and the right, without nullability.
                [Join(From = "orders", Table = "customers", Store = "customers", To = {|SG0005:"out"|}, Kind = JoinKind.Left)]
                public partial class FromTopic
                {
                    // The key once for both topics; the join's To is written with it.
                    public {|SG0005:decimal|} Join({|SG0005:DateTime key|}, {|SG0005:decimal order|}, {|SG0005:Customer? customer|}) => order;
                }

                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string key, string value) => Keyed(key.Length, value.Length);

                    // A new key upstream of a join: it reads through a repartition topic.
                    [To(nameof(Repartitioned))] private partial void Keyed(int key, {|SG0005:decimal value|});
                }

                [Join(From = nameof(A), Table = "tables", Store = "tables", To = "out2")]
                public partial class Repartitioned
                {
                    public string Join(int key, decimal value, string right) => right;
                }
            }
            """);

        Assert.Equal(
            "There is no serde for value type 'Customer' read from the table topic 'customers'; use string, bool, short, int, long, float, "
            + "double, Guid, byte[], ReadOnlyMemory<byte>, or an [AvroRecord] or [JsonRecord] type (nullable forms allowed), or convert in "
            + "a processor before the topic",
            diagnostics.Single(d => d.GetMessage().Contains("'Customer'", StringComparison.Ordinal)).GetMessage());
    }

    [Fact]
    public Task JoinWithoutAKeyReadsItsTableWithTheRawKey() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(string value) => Keyed(TimeSpan.Zero, value);

                [To(nameof(Enrich))] private partial void Keyed({|SG0005:TimeSpan key|}, string value);
            }

            // No key declared: the table is read, and To written, with the key the stream brings, a TimeSpan.
            [Join(From = nameof(A), Table = {|SG0005:"customers"|}, Store = "customers", To = {|SG0005:"out"|})]
            public partial class Enrich
            {
                public string Join(string order, string customer) => order + customer;
            }
        }
        """);
}
