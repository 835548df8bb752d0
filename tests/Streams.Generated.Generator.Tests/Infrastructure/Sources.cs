namespace Streams.Generated.Generator.Tests.Infrastructure;

/// <summary>Topologies the tests compile.</summary>
public static class Sources
{
    public const string WordCount = """
        using Streams.Generated;

        namespace Samples;

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
        """;

    /// <summary>One sub-topology, keys kept along the chain, int/long/double values, a count of long keys.</summary>
    public const string NumberChain = """
        using Streams.Generated;

        namespace Samples;

        [Topology("numbers")]
        public static partial class NumberChain
        {
            [Processor(From = "numbers")]
            public partial class Scale
            {
                public void Process(long key, int value) => Scaled(value * 1.5);

                [To(nameof(Round))] private partial void Scaled(double value);
            }

            [Processor(From = nameof(Scale))]
            public partial class Round
            {
                public void Process(long key, double value)
                {
                    var rounded = (long)Math.Round(value);
                    Rounded(rounded);
                    if (rounded % 2 == 0) Even(rounded);
                }

                [To("rounded")] internal partial void Rounded(long value);
                [To(nameof(CountEven))] private partial void Even(long value);
            }

            [Count(From = nameof(Round), Store = "even-counts", To = "even-counts")]
            public partial class CountEven;
        }
        """;

    /// <summary>Several small topologies that exercise contexts, nulls, raw keys, fan-out, repartitioning, processor services and punctuation.</summary>
    public const string Behaviors = """
        using Streams.Generated;

        namespace Samples.Behaviors;

        [Topology("context")]
        public static partial class WithContext
        {
            [Processor(From = "in")]
            public partial class Stamp
            {
                public void Process(string? key, string value, in RecordContext context) =>
                    Out($"{context.Topic}/{context.Partition}/{context.Offset}/{context.Timestamp}:{value}");

                [To("out")] private partial void Out(string value);
            }
        }

        [Topology("disposing")]
        public static partial class Disposing
        {
            public static int Disposed;

            [Processor(From = "d-in")]
            public partial class Holder : System.IDisposable
            {
                public void Process(string value) => Out(value);

                [To(nameof(Plain))] private partial void Out(string value);

                public void Dispose() => Disposed++;
            }

            [Processor(From = nameof(Holder))]
            public partial class Plain
            {
                public void Process(string value) => Out(value);

                [To("d-out")] private partial void Out(string value);
            }
        }

        [Topology("memnull")]
        public static partial class MemNull
        {
            [Processor(From = "mem-in")]
            public partial class Mem
            {
                public void Process(System.ReadOnlyMemory<byte>? value) => Out(value is null ? "null" : "len" + value.Value.Length);

                [To("mem-out")] private partial void Out(string value);
            }
        }

        [Topology("nulls")]
        public static partial class Nulls
        {
            [Processor(From = "strict")]
            public partial class Strict
            {
                public void Process(string key, int value) => Out(value);

                [To("strict-out")] private partial void Out(int value);
            }

            [Processor(From = "lenient")]
            public partial class Lenient
            {
                public void Process(string? key, int? value) => Out(value is null ? null : key, value);

                [To("lenient-out")] private partial void Out(string? key, int? value);
            }

            [Processor(From = "raw")]
            public partial class Raw
            {
                public void Process(byte[] value) => Out(value);

                [To("raw-out")] private partial void Out(byte[] value);
            }
        }

        [Topology("rekey")]
        public static partial class Rekey
        {
            [Processor(From = "rekey-in")]
            public partial class ByFirstWord
            {
                public void Process(string value)
                {
                    var space = value.IndexOf(' ');
                    Keyed(space < 0 ? null : value.Substring(0, space), value);
                }

                [To(nameof(Trim))] private partial void Keyed(string? key, string value);
            }

            // Stateless between the key change and the count: the repartition topic sits after it.
            [Processor(From = nameof(ByFirstWord))]
            public partial class Trim
            {
                public void Process(string? key, string value) => Trimmed(value.Trim());

                [To(nameof(PerKey))] private partial void Trimmed(string value);
            }

            [Count(From = nameof(Trim), Store = "per-key", To = nameof(Report))]
            public partial class PerKey;

            [Processor(From = nameof(PerKey))]
            public partial class Report
            {
                public void Process(string key, long count) => Reported($"{key}:{count}");

                [To("rekey-out")] private partial void Reported(string value);
            }
        }

        [Topology("fan")]
        public static partial class Fan
        {
            [Processor(From = "fan-in")]
            public partial class Left
            {
                public void Process(long key, string value) => Out(value + "/left");

                [To(nameof(Merge))] private partial void Out(string value);
            }

            [Processor(From = "fan-in")]
            public partial class Right
            {
                public void Process(long key, string value) => Out(value + "/right");

                [To(nameof(Merge))] private partial void Out(string value);
            }

            [Processor(From = "fan-side")]
            public partial class Merge
            {
                public void Process(long key, string value) => Out(key * 10, value);

                [To("fan-out")] private partial void Out(long key, string value);
            }
        }

        [Topology("prices")]
        public static partial class Prices
        {
            // The generated task resolves both parameters from the service provider when it creates the processor.
            [Processor(From = "prices-usd")]
            public partial class Convert(Func<string, double> euroPerDollar, IFormatProvider? format)
            {
                public void Process(string symbol, double price) => Converted((price * euroPerDollar(symbol)).ToString("0.00", format));

                [To(nameof(Tag))] private partial void Converted(string value);
            }

            [Processor(From = nameof(Convert))]
            public partial class Tag
            {
                public void Process(string symbol, string price) => Tagged(symbol + "=" + price + " EUR");

                [To("prices-eur")] private partial void Tagged(string value);
            }
        }

        [Topology("raw-count")]
        public static partial class RawCount
        {
            // groupByKey().count() on a topic: the raw key bytes are the group.
            [Count(From = "clicks", Store = "clicks-per-key", To = "click-counts")]
            public partial class PerKey;
        }

        [Topology("punctual")]
        public static partial class Punctual
        {
            [Processor(From = "visits")]
            public partial class Tally
            {
                private readonly Dictionary<string, int> _visits = new();

                public void Process(string page, string user) => _visits[page] = _visits.GetValueOrDefault(page) + 1;

                // Every 10 s of stream time: the visits per page since the last report.
                [Punctuate("10s", PunctuationType.StreamTime)]
                public void Report(long timestamp)
                {
                    foreach (var (page, visits) in _visits) Visits(page, visits);
                    _visits.Clear();
                }

                // Every minute of wall-clock time: an output that keeps the key, which a punctuation does not have.
                [Punctuate("1m", PunctuationType.WallClockTime)]
                internal void Heartbeat(long timestamp) => Beat(timestamp);

                [To("page-visits")] private partial void Visits(string page, int visits);
                [To(nameof(Stamp))] private partial void Beat(long timestamp);
            }

            [Processor(From = nameof(Tally))]
            public partial class Stamp
            {
                public void Process(string? page, long timestamp, in RecordContext context) =>
                    Stamped($"{context.Topic}/{context.Partition}/{context.Offset}/{context.Timestamp}:{timestamp}");

                [To("heartbeats")] private partial void Stamped(string value);
            }

            [Processor(From = "ticks")]
            public partial class Faulty
            {
                public void Process(string value) { }

                [Punctuate("250ms", PunctuationType.WallClockTime)]
                public void Tick(long timestamp) => throw new InvalidOperationException("tick at " + timestamp);
            }
        }
        """;

    /// <summary>A small representative [AvroRecord] graph: a nested record, nullable fields, an array and an enum.</summary>
    public const string WindowedViews = """
        using Streams.Generated;

        namespace Samples;

        [AvroRecord(Namespace = "web")]
        public partial record PageView(string User, string Page);

        [Topology("windowed-views")]
        public static partial class WindowedViews
        {
            [Processor(From = "page-views")]
            public partial class ByPage
            {
                public void Process(string user, PageView view) => Page(view.Page, view);

                [To(nameof(PerMinute))] private partial void Page(string page, PageView view);
            }

            [Count(From = nameof(ByPage), Store = "views-per-minute", Window = "hopping 1m advance 30s", Grace = "10s", Emit = Emit.Final, To = "views-per-minute")]
            public partial class PerMinute;
        }
        """;

    public const string StreamTableJoin = """
        using Streams.Generated;

        namespace Samples;

        [AvroRecord(Namespace = "shop")]
        public partial record Customer(string Name, string Tier);

        [Topology("stream-table-join")]
        public static partial class StreamTableJoin
        {
            [Processor(From = "orders")]
            public partial class ByCustomer
            {
                public void Process(string orderId, string customerId) => Out(customerId, orderId);

                [To(nameof(Enrich))] private partial void Out(string customerId, string orderId);
            }

            [Join(From = nameof(ByCustomer), Table = "customers", Store = "customers", To = "enriched-orders")]
            public partial class Enrich
            {
                public string Join(string orderId, Customer customer) => orderId + " for " + customer.Name;
            }

            [Join(From = "payments", Table = "customers", Store = "customers-by-bytes", Kind = JoinKind.Left, To = "payment-lines")]
            public partial class Pay
            {
                public static string Join(long cents, Customer? customer) => (customer?.Name ?? "unknown") + " paid " + cents;
            }
        }
        """;

    public const string AvroOrder = """
        using Streams.Generated;

        namespace Samples;

        public enum OrderStatus { Pending, Shipped, Cancelled }

        [AvroRecord(Namespace = "shop.v1")]
        public partial record Order(string Id, OrderStatus Status, Address? ShipTo, OrderLine[] Lines, string? Note, int? Priority);

        [AvroRecord(Namespace = "shop.v1")]
        public partial record Address(string Street, string City);

        [AvroRecord(Namespace = "shop.v1")]
        public partial record OrderLine(string Sku, int Quantity, long PriceCents);
        """;

    /// <summary>
    /// JSON records with every value kind, nesting, collections of nullables, a name the writer escapes at run time
    /// (quotes, a backslash, a newline, non-ASCII, a lone surrogate), a keyword as a member name, and an empty record.
    /// </summary>
    public const string JsonOrder = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using Streams.Generated;

        namespace Samples;

        public enum OrderStatus { Pending, Shipped, Cancelled }

        [JsonRecord]
        public partial record Order(
            Guid Id, int Count, long Total, float Ratio, double Price, decimal Amount, bool Paid, string Note, byte[] Signature,
            OrderStatus Status, DateOnly Placed, DateTimeOffset Updated, Address? ShipTo, OrderLine[] Lines,
            List<int?> Scores, Dictionary<string, List<Address?>> Stops, int?[][] Grid, Empty Nothing, string? @class,
            [property: JsonPropertyName("quote\" back\\slash\nnaïve \uD800")] bool Odd);

        [JsonRecord(Naming = JsonNaming.CamelCase)]
        public partial record struct Address(string Street, string City);

        [JsonRecord]
        public partial record OrderLine(string Sku, int Quantity, long PriceCents);

        [JsonRecord]
        public partial record Empty;
        """;
}
