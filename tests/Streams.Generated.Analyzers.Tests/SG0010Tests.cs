using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0010Tests
{
    [Fact]
    public async Task GenericTopology()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class {|SG0010:T|}<TKey>
            {
                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string value) { }
                }
            }
            """);

        Assert.Equal("Topology class 'T' is generic; remove its type parameters (a topology is one fixed graph)", diagnostics[0].GetMessage());
    }

    [Fact]
    public Task TopologyInsideAGenericClass() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        public partial class {|SG0010:Outer|}<T>
        {
            [Topology("t")]
            public static partial class Inner
            {
                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string value) { }
                }
            }
        }
        """);

    [Fact]
    public async Task NodeWithoutParameterlessConstructor()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class {|SG0010:A|}
                {
                    private readonly int _factor;
                    public A(int factor) => _factor = factor;
                    public void Process(string value) { }
                }

                [Processor(From = "in2")]
                public partial class {|SG0010:B|}
                {
                    private B() { }
                    public void Process(string value) { }
                }

                [Processor(From = "in3")]
                public partial class C
                {
                    internal C() { }
                    public void Process(string value) { }
                }
            }
            """);

        Assert.Equal(
            "Node class 'A' has no public or internal parameterless constructor; the generated task creates it with 'new A()', "
            + "so add one (set dependencies up inside it)",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task AbstractAndGenericNodes() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public abstract partial class {|SG0010:A|}
            {
                public void Process(string value) { }
            }

            [Processor(From = "in2")]
            public partial class {|SG0010:B|}<TValue>
            {
                public void Process(string value) { }
            }
        }
        """);
}
