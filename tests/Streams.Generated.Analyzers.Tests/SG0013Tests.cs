using Microsoft.CodeAnalysis;
using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0013Tests
{
    [Fact]
    public async Task OutputWritesTheTopicItsNodeReads()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                public const string Jobs = "jobs";

                [Processor(From = Jobs)]
                public partial class Run
                {
                    public void Process(string job, int attempt)
                    {
                        if (attempt < 3) Retry(job, attempt + 1); else Failed(job, attempt);
                    }

                    [To({|SG0013:Jobs|})] private partial void Retry(string key, int value);
                    [To("failed-jobs")] private partial void Failed(string key, int value);
                }
            }
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(
            "Output 'Run.Retry' writes to topic 'jobs', which 'Run' reads in the same sub-topology, so every record written comes back "
            + "into the nodes that produced it; write to another topic, or suppress SG0013 if the loop is deliberate and has a stop condition",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task DownstreamNodeWritesTheSourceTopic() => Assert.Equal(
        "Output 'Enrich.Out' writes to topic 'in', which 'Parse' reads in the same sub-topology, so every record written comes back "
        + "into the nodes that produced it; write to another topic, or suppress SG0013 if the loop is deliberate and has a stop condition",
        Assert.Single(await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class Parse
                {
                    public void Process(string key, string value) => Parsed(value);

                    [To(nameof(Enrich))] private partial void Parsed(string value);
                }

                [Processor(From = nameof(Parse))]
                public partial class Enrich
                {
                    public void Process(string key, string value) => Out(value + "!");

                    [To({|SG0013:"in"|})] private partial void Out(string value);
                }
            }
            """)).GetMessage());

    [Fact]
    public async Task CountWritesTheTopicItsSubTopologyReads()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Count(From = "clicks", Store = "raw", To = {|SG0013:"clicks"|})]
                public partial class CountsItself;

                [Processor(From = "views")]
                public partial class Views
                {
                    public void Process(string key, string value) => Out(value);

                    // Kept key: Counts is called directly, in this sub-topology.
                    [To(nameof(Counts))] private partial void Out(string value);
                }

                [Count(From = nameof(Views), Store = "views", To = {|SG0013:"views"|})]
                public partial class Counts;
            }
            """);

        Assert.StartsWith("Count node 'CountsItself' writes to topic 'clicks', which 'CountsItself' reads", diagnostics[0].GetMessage());
    }

    [Fact]
    public Task ReadersOfOneTopicShareTheirSubTopology() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "a")]
            public partial class A
            {
                public void Process(string key, string value) => Out(value);

                [To({|SG0013:"b"|})] private partial void Out(string value);
            }

            [Processor(From = "b")]
            public partial class B
            {
                public void Process(string key, string value) => Out(value);

                [To(nameof(Merge))] private partial void Out(string value);
            }

            // Also reads "a", so it, B and Merge are in A's sub-topology: "b" is written and read there.
            [Processor(From = "a")]
            public partial class AlsoA
            {
                public void Process(string key, string value) => Out(value);

                [To(nameof(Merge))] private partial void Out(string value);
            }

            [Processor(From = nameof(B))]
            public partial class Merge
            {
                public void Process(string key, string value) { }
            }
        }
        """);

    [Fact]
    public Task LoopThroughAnotherSubTopologyIsFine() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "jobs")]
            public partial class Run
            {
                public void Process(string job, int attempt)
                {
                    if (attempt < 3) Retry(job, attempt + 1);
                }

                [To("job-retries")] private partial void Retry(string key, int value);
            }

            // Its own sub-topology: records come back to Run through "jobs", one topic hop later.
            [Processor(From = "job-retries")]
            public partial class Requeue
            {
                public void Process(string job, int attempt) => Again(job, attempt);

                [To("jobs")] private partial void Again(string key, int value);
            }
        }
        """);

    [Fact]
    public Task CountBehindARepartitionTopicIsAnotherSubTopology() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class Rekey
            {
                public void Process(string value) => Out(value, value);

                // Sets the key: Counts reads its repartition topic, in a sub-topology of its own.
                [To(nameof(Counts))] private partial void Out(string key, string value);
            }

            [Count(From = nameof(Rekey), Store = "counts", To = "in")]
            public partial class Counts;
        }
        """);

    [Fact]
    public Task SuppressedWithPragma() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "jobs")]
            public partial class Run
            {
                public void Process(string job, int attempt)
                {
                    if (attempt < 3) Retry(job, attempt + 1);
                }

        #pragma warning disable SG0013 // Retries go back to "jobs" on purpose; attempt stops the loop.
                [To("jobs")] private partial void Retry(string key, int value);
        #pragma warning restore SG0013
            }
        }
        """);

    [Fact]
    public async Task JoinWritesTheTopicItsStreamSideReads() => Assert.StartsWith(
        "Join node 'Enrich' writes to topic 'orders', which 'Enrich' reads",
        Assert.Single(await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Join(From = "orders", Table = "customers", Store = "customers", To = {|SG0013:"orders"|})]
                public partial class Enrich
                {
                    public string Join(string order, string customer) => order + customer;
                }
            }
            """)).GetMessage());
}
