using Streams.Generated.Analyzers.Tests.Infrastructure;
using Streams.Generated.CodeFixes;

namespace Streams.Generated.Analyzers.Tests;

/// <summary>SG0001 "Make partial": before/after, one diagnostic at a time and through Fix All.</summary>
public class MakePartialCodeFixTests
{
    [Fact]
    public Task AddsPartialToNodes() => CodeFixVerifier.VerifyAsync(new MakePartialCodeFixProvider(), """
        using Streams.Generated;

        [Topology("wordcount")]
        public static partial class WordCount
        {
            [Processor(From = "streams-plaintext-input")]
            public class {|SG0001:SplitWords|}
            {
                public void Process(string line)
                {
                    foreach (var word in line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        Word(word, word);
                }

                [To(nameof(Counts))] private partial void Word(string key, string value);
            }

            // Counts every word.
            [Count(From = nameof(SplitWords), Store = "counts", To = "streams-wordcount-output")]
            sealed class {|SG0001:Counts|};
        }
        """, """
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

            // Counts every word.
            [Count(From = nameof(SplitWords), Store = "counts", To = "streams-wordcount-output")]
            sealed partial class Counts;
        }
        """);

    [Fact]
    public Task MakesTopologyStaticPartial() => CodeFixVerifier.VerifyAsync(new MakePartialCodeFixProvider(), """
        using Streams.Generated;

        namespace Shop
        {
            /// <summary>Orders.</summary>
            [Topology("a")]
            public class {|SG0001:A|}
            {
                [Count(From = "in", To = "out")]
                public partial class Counts;
            }

            [Topology("b")]
            internal sealed partial class {|SG0001:B|} { }

            [Topology("c")]
            class {|SG0001:C|} { }

            [Topology("d")]
            public static class {|SG0001:D|} { }
        }
        """, """
        using Streams.Generated;

        namespace Shop
        {
            /// <summary>Orders.</summary>
            [Topology("a")]
            public static partial class A
            {
                [Count(From = "in", To = "out")]
                public partial class Counts;
            }

            [Topology("b")]
            internal static partial class B { }

            [Topology("c")]
            static partial class C { }

            [Topology("d")]
            public static partial class D { }
        }
        """);

    [Fact]
    public Task MakesContainingClassPartial() => CodeFixVerifier.VerifyAsync(new MakePartialCodeFixProvider(), """
        using Streams.Generated;

        public class {|SG0001:Outer|}
        {
            [Topology("t")]
            public class {|SG0001:T|} { }
        }
        """, """
        using Streams.Generated;

        public partial class Outer
        {
            [Topology("t")]
            public static partial class T { }
        }
        """);
}

/// <summary>SG0012 "Make partial": an [AvroRecord] type, or a type around one, that only lacks 'partial'.</summary>
public class AvroMakePartialCodeFixTests
{
    [Fact]
    public Task AddsPartialToTheRecordAndItsContainer() => CodeFixVerifier.VerifyAsync(new MakePartialCodeFixProvider(), """
        using Streams.Generated;

        namespace Shop;

        [AvroRecord]
        public record {|SG0012:Trip|}(string Driver, long DurationMillis);

        public static class {|SG0012:Catalog|}
        {
            /// <summary>A product.</summary>
            [AvroRecord(Namespace = "shop.v1")]
            public sealed class {|SG0012:Product|}
            {
                public string Name { get; set; } = "";
            }

            [AvroRecord]
            internal readonly record struct {|SG0012:Price|}(decimal Amount, string Currency);
        }
        """, """
        using Streams.Generated;

        namespace Shop;

        [AvroRecord]
        public partial record Trip(string Driver, long DurationMillis);

        public static partial class Catalog
        {
            /// <summary>A product.</summary>
            [AvroRecord(Namespace = "shop.v1")]
            public sealed partial class Product
            {
                public string Name { get; set; } = "";
            }

            [AvroRecord]
            internal readonly partial record struct Price(decimal Amount, string Currency);
        }
        """);

    [Fact]
    public Task NoFixForWhatPartialDoesNotSolve() => CodeFixVerifier.VerifyNoFixAsync(new MakePartialCodeFixProvider(), """
        using Streams.Generated;

        public partial class {|SG0012:Outer|}<T>
        {
            [AvroRecord]
            public partial record Inner(int A);
        }

        [AvroRecord]
        public partial record Trip(string Driver, {|SG0012:TimeSpan|} Duration);

        [AvroRecord]
        public abstract partial record {|SG0012:Shape|}(int Sides);
        """);
}
