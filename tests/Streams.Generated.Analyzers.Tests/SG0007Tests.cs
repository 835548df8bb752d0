using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0007Tests
{
    [Fact]
    public async Task NodesOutsideATopology()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Processor(From = "in")]
            public partial class {|SG0007:TopLevel|}
            {
                public void Process(string value) => Out(value);

                // Not also SG0006: the class is the problem.
                [To("out")] private partial void Out(string value);
            }

            public static partial class NotATopology
            {
                [Count(From = "in", To = "out")]
                public partial class {|SG0007:Counts|};
            }

            [Topology("t")]
            public static partial class T
            {
                public static partial class Group
                {
                    [Count(From = "in", To = "out")]
                    public partial class {|SG0007:TooDeep|};
                }
            }
            """);

        Assert.Equal(
            "Class 'TopLevel' is marked [Processor] but is not nested directly in a [Topology] class; move it into a 'static partial' class marked [Topology]",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task JoinOutsideATopology() => Assert.Equal(
        "Class 'Enrich' is marked [Join] but is not nested directly in a [Topology] class; move it into a 'static partial' class marked [Topology]",
        Assert.Single(await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Join(From = "orders", Table = "customers", Store = "customers", To = "out")]
            public partial class {|SG0007:Enrich|}
            {
                public string Join(string order, string customer) => order + customer;
            }
            """)).GetMessage());
}
