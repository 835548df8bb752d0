using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

/// <summary>Valid topologies produce no diagnostics.</summary>
public class ValidTopologyTests
{
    [Fact]
    public Task WordCount() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("wordcount")]
        public static partial class WordCount
        {
            [Processor(From = "streams-plaintext-input")]
            public partial class SplitWords
            {
                public void Process(string line)
                {
                    foreach (var word in line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        Word(word, word);
                }

                [To(nameof(Counts))] private partial void Word(string key, string value);
            }

            [Count(From = nameof(SplitWords), Store = "counts", To = "streams-wordcount-output")]
            public partial class Counts;
        }
        """);

    [Fact]
    public Task ConstantsForTopicNamesAndKeptKeys() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        namespace Numbers;

        [Topology("numbers")]
        public static partial class NumberChain
        {
            public const string Input = "numbers";
            public const string Output = "number-counts";

            [Processor(From = Input)]
            public partial class Scale
            {
                public void Process(long key, long value) => Scaled(value * 3);

                [To(nameof(KeepEven))] private partial void Scaled(long value);
            }

            [Processor(From = nameof(Scale))]
            public partial class KeepEven
            {
                public void Process(long key, long value)
                {
                    if (value % 2 == 0) Even(value);
                }

                [To(nameof(CountPerKey))] private partial void Even(long value);
            }

            [Count(From = nameof(KeepEven), Store = "per-key", To = Output)]
            public partial class CountPerKey;
        }
        """);

    [Fact]
    public Task RawKeysRecordContextBranchesAndCountIntoNode() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("shop")]
        public static partial class Shop
        {
            // Process(value) from a topic: the key is the raw ReadOnlyMemory<byte>? and is kept by value-only outputs.
            [Processor(From = "orders")]
            public partial class Route
            {
                public void Process(string? order, in RecordContext context)
                {
                    if (order is null) return;
                    if (order.Length > 10) Large(order); else Small(order.Length);
                }

                [To("large-orders")] private partial void Large(string value);
                [To(nameof(Audit))] private partial void Small(int value);
            }

            [Processor(From = nameof(Route))]
            internal partial class Audit
            {
                internal void Process(System.ReadOnlyMemory<byte>? key, int size) => Sized(size.ToString(), size);

                [To(nameof(PerSize))] private partial void Sized(string key, int value);
            }

            [Count(From = nameof(Audit), Store = "sizes", To = nameof(Print))]
            public partial class PerSize;

            [Processor(From = nameof(PerSize))]
            public partial class Print
            {
                public void Process(string size, long count, in RecordContext context) => Printed($"{size}: {count}");

                [To("size-counts")] private partial void Printed(string value);
            }
        }
        """);

    [Fact]
    public Task NonNullableIntoNullableIsFine() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(int? key, double? value) => Out(key ?? 0, value ?? 0);

                [To(nameof(B))] private partial void Out(int key, double value);
            }

            [Processor(From = nameof(A))]
            public partial class B
            {
                public void Process(int key, double? value) => Out(new byte[] { 1 });

                [To("out")] private partial void Out(byte[]? value);
            }
        }
        """);

    [Fact]
    public Task ProcessorsWithServicesInTheirConstructor() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        public interface IRates { double Rate { get; } }
        public sealed class Clock { }

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A(IRates rates, Clock? clock, IEnumerable<IRates> all, Func<double> next, string[] names)
            {
                public void Process(double value) => Out(value * rates.Rate);

                [To(nameof(B))] private partial void Out(double value);
            }

            [Processor(From = nameof(A))]
            public partial class B
            {
                private readonly IRates _rates;
                public B(IRates rates) : this(rates, 1) { }
                private B(IRates rates, int unused) => _rates = rates;

                public void Process(double value) { }
            }
        }
        """);

    [Fact]
    public Task WindowedCountsIntoAProcessorAndASink() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("page-views")]
        public static partial class PageViews
        {
            [Processor(From = "page-views")]
            public partial class ByPage
            {
                public void Process(string user, string page)
                {
                    Viewed(page, user);
                    ViewedHourly(page, user);
                }

                [To(nameof(ViewsPerMinute))] private partial void Viewed(string key, string value);
                [To(nameof(ViewsPerHour))] private partial void ViewedHourly(string key, string value);
            }

            // Windowed<string> keys written to a topic: the page's bytes, then the window start.
            [Count(From = nameof(ByPage), Store = "views-per-minute", Window = "tumbling 1m", To = "views-per-minute")]
            public partial class ViewsPerMinute;

            [Count(From = nameof(ByPage), Store = "views-per-hour", Window = "hopping 1h advance 5m", Grace = "30s",
                Emit = Emit.Final, To = nameof(Trending))]
            public partial class ViewsPerHour;

            [Processor(From = nameof(ViewsPerHour))]
            public partial class Trending
            {
                public void Process(Windowed<string> window, long views)
                {
                    if (views > 1000) Trend(window, views);
                }

                [To("trending-pages")] private partial void Trend(Windowed<string> key, long value);
            }
        }
        """);

    [Fact]
    public Task CountOfRawKeysSendsNonNullableBytes() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            // The raw key is ReadOnlyMemory<byte>?; a count rejects null keys, so it sends ReadOnlyMemory<byte>.
            [Count(From = "in", Store = "per-key", To = nameof(Print))]
            public partial class PerKey;

            [Processor(From = nameof(PerKey))]
            public partial class Print
            {
                public void Process(ReadOnlyMemory<byte> key, long count) => Printed(count);

                [To("printed")] private partial void Printed(long value);
            }
        }
        """);

    [Fact]
    public Task StreamTableJoins() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [AvroRecord] public partial record Order(string Id, long CustomerId, double Amount);
        [AvroRecord] public partial record Customer(long Id, string Name);
        [AvroRecord] public partial record EnrichedOrder(string OrderId, string CustomerName, double Amount);

        [Topology("orders")]
        public static partial class OrderEnrichment
        {
            // Orders are keyed by order id; re-keyed by customer, they reach the join through a repartition topic.
            [Processor(From = "orders")]
            public partial class ByCustomer
            {
                public void Process(string orderId, Order order) => Keyed(order.CustomerId, order);

                [To(nameof(Enrich))] private partial void Keyed(long key, Order value);
            }

            // Inner, To a node: sends (long, EnrichedOrder), the key non-null.
            [Join(From = nameof(ByCustomer), Table = "customers", Store = "customers", To = nameof(Large))]
            public partial class Enrich
            {
                public EnrichedOrder Join(long customerId, Order order, Customer customer, in RecordContext context) =>
                    new(order.Id, customer.Name, order.Amount);
            }

            [Processor(From = nameof(Enrich))]
            public partial class Large
            {
                public void Process(long customerId, EnrichedOrder order)
                {
                    if (order.Amount > 1000) Out(order);
                }

                [To("large-orders")] private partial void Out(EnrichedOrder value);
            }

            // Left, From a topic, no key declared: the raw key bytes on both sides, and a null right without a match.
            [Join(From = "payments", Table = "accounts", Store = "accounts", To = "payments-by-account", Kind = JoinKind.Left)]
            public partial class WithAccount
            {
                public string Join(string payment, string? account) => account ?? "unknown";
            }

            // Left with a nullable value type on the right, fed by a count keyed by what its input read.
            [Count(From = "clicks", Store = "clicks", To = nameof(WithLimit))]
            public partial class Clicks;

            [Join(From = nameof(Clicks), Table = "limits", Store = "limits", To = "over-limit", Kind = JoinKind.Left)]
            public partial class WithLimit
            {
                internal bool Join(ReadOnlyMemory<byte> user, long clicks, long? limit) => clicks > (limit ?? long.MaxValue);
            }
        }
        """);

    [Fact]
    public Task CompilationWithoutTheRuntimeIsIgnored() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        public static class Plain
        {
            public class Processor { }
        }
        """);
}
