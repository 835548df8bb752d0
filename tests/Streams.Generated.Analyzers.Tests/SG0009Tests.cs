using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0009Tests
{
    [Fact]
    public async Task CyclesBetweenNodes()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string key, string value) => Out(value);

                    [To(nameof(B))] private partial void Out(string value);
                }

                [Processor(From = nameof(A))]
                public partial class B
                {
                    public void Process(string key, string value) { Back(value); Self(value); }

                    [To({|SG0009:nameof(A)|})] private partial void Back(string value);
                    [To({|SG0009:nameof(B)|})] private partial void Self(string value);
                }
            }
            """);

        Assert.Equal(
            "Output 'B.Back' closes the cycle A -> B -> A; nodes call each other directly and cannot form a loop: to feed records "
            + "back, write them to a topic and read that topic",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task CountInACycle() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(string key, long value) => Out(value);

                [To(nameof(Counts))] private partial void Out(long value);
            }

            [Count(From = nameof(A), Store = "counts", To = {|SG0009:nameof(A)|})]
            public partial class Counts;
        }
        """);

    [Fact]
    public Task LoopThroughARepartitionTopicIsFine() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(string key, long value) => Out(key, value);

                // Sets the key: Counts reads through its repartition topic, so the loop goes through Kafka.
                [To(nameof(Counts))] private partial void Out(string key, long value);
            }

            [Count(From = nameof(A), Store = "counts", To = nameof(A))]
            public partial class Counts;
        }
        """);

    [Fact]
    public Task LoopThroughATopicIsNotACycle() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "retries")]
            public partial class Retry
            {
                public void Process(string key, int attempts)
                {
                    if (attempts < 3) Again(key, attempts + 1);
                }

                // A loop through Kafka, not a recursion; only the SG0013 warning (the sink feeds its own sub-topology).
                [To({|SG0013:"retries"|})] private partial void Again(string key, int value);
            }
        }
        """);

    [Fact]
    public Task JoinInACycle() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(string key, string value) => Out(value);

                [To(nameof(Enrich))] private partial void Out(string value);
            }

            [Join(From = nameof(A), Table = "customers", Store = "customers", To = {|SG0009:nameof(A)|})]
            public partial class Enrich
            {
                public string Join(string key, string order, string customer) => order + customer;
            }
        }
        """);
}
