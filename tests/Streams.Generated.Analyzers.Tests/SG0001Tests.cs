using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0001Tests
{
    [Fact]
    public async Task NodeClassNotPartial()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public class {|SG0001:Upper|}
                {
                    public void Process(string value) => Out(value.ToUpperInvariant());

                    [To("out")] private partial void Out(string value);
                }

                [Count(From = "in", To = "counts")]
                public sealed class {|SG0001:Counts|} { }
            }
            """);

        Assert.Equal(
            "Node class 'Upper' must be declared 'partial' so that the generator can add the topology code; add the missing modifier",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task TopologyClassNotStaticPartial()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("a")]
            public class {|SG0001:NotPartial|} { }

            [Topology("b")]
            public partial class {|SG0001:NotStatic|} { }

            [Topology("c")]
            public static class {|SG0001:StaticOnly|} { }

            [Topology("d")]
            public static partial class Fine { }
            """);

        Assert.Equal(
            "Topology class 'NotPartial' must be declared 'static partial' so that the generator can add the topology code; add the missing modifier",
            diagnostics[0].GetMessage());
        Assert.All(diagnostics, d => Assert.Equal("true", d.Properties[DiagnosticDescriptors.AddStaticProperty]));
    }

    [Fact]
    public Task ClassContainingTopologyNotPartial() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        public class {|SG0001:Outer|}
        {
            [Topology("t")]
            public static partial class T { }
        }

        public partial class FineOuter
        {
            [Topology("u")]
            public static partial class U { }
        }
        """);

    [Fact]
    public Task PartialInAnotherDeclarationIsEnough() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Count(From = "in", To = "out")]
            public partial class Counts;
        }

        public static partial class T
        {
            public partial class Counts { }
        }
        """);

    [Fact]
    public Task JoinClassNotPartial() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Join(From = "orders", Table = "customers", Store = "customers", To = "out")]
            public class {|SG0001:Enrich|}
            {
                public string Join(string order, string customer) => order + customer;
            }
        }
        """);
}
