using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0011Tests
{
    [Fact]
    public async Task FromANodeThatSendsNothingToIt()
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

                    [To("out")] private partial void Out(string value);
                }

                [Processor(From = {|SG0011:nameof(A)|})]
                public partial class B
                {
                    public void Process(string key, string value) { }
                }
            }
            """);

        Assert.Equal(
            "'B' reads from node 'A', but 'A' sends it nothing, so no record can reach 'B'; give 'A' an output [To(nameof(B))] partial void ...",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task FromACountWhoseToIsATopic()
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

                    [To(nameof(Counts))] private partial void Out(string value);
                }

                [Count(From = nameof(A), Store = "counts", To = "counted")]
                public partial class Counts;

                [Processor(From = {|SG0011:nameof(Counts)|})]
                public partial class Print
                {
                    public void Process(string key, long value) { }
                }
            }
            """);

        Assert.EndsWith("set To = nameof(Print) on [Count] 'Counts'", diagnostics[0].GetMessage());
    }

    [Fact]
    public Task AnInvalidOutputOfTheSourceIsReportedAloneNotAsUnreachable() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(string key, string value) { }

                [To(nameof(B))] private partial int {|SG0006:Out|}(string value);
            }

            [Processor(From = nameof(A))]
            public partial class B
            {
                public void Process(string key, string value) { }
            }
        }
        """, "CS8795");

    [Fact]
    public async Task FromAJoinWhoseToIsATopic()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Join(From = "orders", Table = "customers", Store = "customers", To = "enriched")]
                public partial class Enrich
                {
                    public string Join(string order, string customer) => order + customer;
                }

                [Processor(From = {|SG0011:nameof(Enrich)|})]
                public partial class Print
                {
                    public void Process(string value) { }
                }

                // A join fed only by its From node, which sends it nothing.
                [Processor(From = "in")]
                public partial class Silent
                {
                    public void Process(string value) { }
                }

                [Join(From = {|SG0011:nameof(Silent)|}, Table = "customers", Store = "customers-2", To = "out")]
                public partial class Starved
                {
                    public string Join(string order, string customer) => order + customer;
                }
            }
            """);

        Assert.EndsWith("set To = nameof(Print) on [Join] 'Enrich'", diagnostics[0].GetMessage());
    }
}
