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
    public async Task NodeWithoutAnAccessibleConstructor()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class {|SG0010:B|}
                {
                    private B() { }
                    public void Process(string value) { }
                }

                [Processor(From = "in2")]
                public partial class C
                {
                    internal C() { }
                    public void Process(string value) { }
                }
            }
            """);

        Assert.Equal(
            "Node class 'B' has no public or internal constructor; the generated task creates one instance per task with 'new B(...)', "
            + "so make one public or internal",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task NodeWithTwoAccessibleConstructors()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            public interface IRates { double Rate { get; } }

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class {|SG0010:A|}
                {
                    private readonly double _rate;
                    public A(IRates rates) => _rate = rates.Rate;
                    internal A() => _rate = 1;
                    public void Process(string value) { }
                }

                // Other constructors are fine when they are private.
                [Processor(From = "in2")]
                public partial class B
                {
                    public B(IRates rates) : this(rates.Rate) { }
                    private B(double rate) { }
                    public void Process(string value) { }
                }
            }
            """);

        Assert.Equal(
            "Node class 'A' has 2 public or internal constructors; the generated task calls the only one (resolving its parameters "
            + "from the service provider), so keep one and make the others private",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task ConstructorParametersThatAreNoServices()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            public interface IRates { double Rate { get; } }

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class A(IRates rates, int {|SG0010:factor|})
                {
                    public void Process(string value) { }
                }

                [Processor(From = "in2")]
                public partial class B
                {
                    public B(ref IRates {|SG0010:rates|}) { }
                    public void Process(string value) { }
                }

                [Processor(From = "in3")]
                public partial class C
                {
                    public C(IRates rates, dynamic {|SG0010:options|}) { }
                    public void Process(string value) { }
                }
            }
            """);

        Assert.Equal(
            "Node class 'A' constructor parameter 'factor' has type 'int'; the generated task resolves constructor parameters from the "
            + "service provider by type, so use a class or an interface",
            diagnostics[0].GetMessage());
        Assert.Equal(
            "Node class 'B' constructor parameter 'rates' is passed by 'ref'; the generated task passes services by value, so remove the modifier",
            diagnostics[1].GetMessage());
        Assert.Contains("parameter 'options' has type 'dynamic'", diagnostics[2].GetMessage());
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

    [Fact]
    public async Task JoinClasses()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Join(From = "orders", Table = "customers", Store = "s1", To = "out")]
                public abstract partial class {|SG0010:Abstract|}
                {
                    public string Join(string order, string customer) => order + customer;
                }

                [Join(From = "orders", Table = "customers", Store = "s2", To = "out")]
                public partial class Service
                {
                    public Service(int {|SG0010:retries|}) { }
                    public string Join(string order, string customer) => order + customer;
                }

                [Processor(From = "orders")]
                [Join(From = "orders", Table = "customers", Store = "s3", To = "out")]
                public partial class {|SG0010:Both|}
                {
                    public void Process(string value) { }
                }

                [Join(From = "orders", Table = "customers", Store = "s4", To = "out", Kind = {|SG0010:(JoinKind)2|})]
                public partial class UnknownKind
                {
                    public string Join(string order, string customer) => order + customer;
                }
            }
            """);

        Assert.Equal("Node class 'Both' has more than one of [Processor], [Count] and [Join]; a class is one node, so keep one of them",
            diagnostics[2].GetMessage());
        Assert.Equal("Join node 'UnknownKind' has Kind (JoinKind)2, which is neither JoinKind.Inner nor JoinKind.Left; choose one",
            diagnostics[3].GetMessage());
    }
}
