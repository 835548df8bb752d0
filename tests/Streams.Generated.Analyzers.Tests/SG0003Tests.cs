using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0003Tests
{
    [Fact]
    public async Task ValueTypeMismatch()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "lines")]
                public partial class Split
                {
                    public void Process(string line) => Word(line, line);

                    [To(nameof(Length))] private partial void Word(string key, {|SG0003:string value|});
                }

                [Processor(From = nameof(Split))]
                public partial class Length
                {
                    public void Process(string key, int value) { }
                }
            }
            """);

        Assert.Equal(
            "Output 'Split.Word' sends value type 'string' to 'Length', which expects 'int'; declare the value parameter as 'int', "
            + "or change 'Length.Process' to take 'string'",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task ExplicitKeyTypeMismatch()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "lines")]
                public partial class Split
                {
                    public void Process(string line) => Word(line.Length, line);

                    [To(nameof(Length))] private partial void Word({|SG0003:int key|}, string value);
                }

                [Processor(From = nameof(Split))]
                public partial class Length
                {
                    public void Process(long key, string value) { }
                }
            }
            """);

        Assert.Equal(
            "Output 'Split.Word' sends key type 'int' to 'Length', which expects 'long'; declare the key parameter as 'long', "
            + "or change 'Length.Process' to take a 'int' key",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task KeptRawKeyMismatch()
    {
        // A Process(value) node reading a topic has key type ReadOnlyMemory<byte>?; a value-only output keeps it.
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "lines")]
                public partial class Upper
                {
                    public void Process(string line) => Out(line.ToUpperInvariant());

                    [To(nameof(Print))] private partial void {|SG0003:Out|}(string value);
                }

                [Processor(From = nameof(Upper))]
                public partial class Print
                {
                    public void Process(string key, string value) { }
                }
            }
            """);

        Assert.Equal(
            "Output 'Upper.Out' sends key type 'System.ReadOnlyMemory<byte>?' to 'Print', which expects 'string'; the output has no key parameter, so it "
            + "keeps the key 'Upper' received; add a key parameter 'string key' to 'Out', or change 'Print.Process' to take a 'System.ReadOnlyMemory<byte>?' key",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task KeptKeyFlowsThroughSeveralNodes() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(long key, string value) => Out(value);

                [To(nameof(B))] private partial void Out(string value);
            }

            [Processor(From = nameof(A))]
            public partial class B
            {
                public void Process(string value) { Out(value.Length); ToD(value.Length); }

                [To(nameof(C))] private partial void {|SG0003:Out|}(int value);
                [To(nameof(D))] private partial void ToD(int value);
            }

            [Processor(From = nameof(B))]
            public partial class C
            {
                public void Process(int key, int value) { }
            }

            [Processor(From = nameof(B))]
            public partial class D
            {
                public void Process(long key, int value) { }
            }
        }
        """);

    [Fact]
    public Task NullableIntoNonNullable() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process(string? value) => Out(value?.Length, value);

                [To(nameof(B))] private partial void Out({|SG0003:int? key|}, {|SG0003:string? value|});
            }

            [Processor(From = nameof(A))]
            public partial class B
            {
                public void Process(int key, string value) { }
            }
        }
        """);

    [Fact]
    public async Task CountSendsLongAndItsKey()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string value) => Out(value, value);

                    [To(nameof(Counts))] private partial void Out(string key, string value);
                }

                [Count(From = nameof(A), Store = "counts", To = {|SG0003:nameof(Print)|})]
                public partial class Counts;

                [Processor(From = nameof(Counts))]
                public partial class Print
                {
                    public void Process(int key, int value) { }
                }
            }
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.Contains(diagnostics, d => d.GetMessage() ==
            "Count node 'Counts' sends value type 'long' to 'Print', which expects 'int'; a count is a 'long': declare the value of 'Print.Process' as 'long'");
        Assert.Contains(diagnostics, d => d.GetMessage() ==
            "Count node 'Counts' sends key type 'string' to 'Print', which expects 'int'; a count keeps the key it counted: declare the key of 'Print.Process' as 'string'");
    }

    [Fact]
    public async Task InputsOfACountDisagreeOnTheKey()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "a")]
                public partial class A
                {
                    public void Process(string value) => Out(value, 1);

                    [To(nameof(Counts))] private partial void Out(string key, int value);
                }

                [Processor(From = "b")]
                public partial class B
                {
                    public void Process(string value) => Out(value.Length, value);

                    [To(nameof(Counts))] private partial void Out({|SG0003:int key|}, string value);
                }

                [Count(From = nameof(A), Store = "counts", To = "out")]
                public partial class Counts;
            }
            """);

        Assert.Equal(
            "Output 'B.Out' sends key type 'int' to 'Counts', which expects 'string'; 'Counts' takes its key type from its inputs and "
            + "already receives 'string' from 'A'; make every input of 'Counts' send one key type",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task CountReadingATopicAndANode() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "b")]
            public partial class B
            {
                public void Process(string value) => Out(value, value);

                [To(nameof(Counts))] private partial void Out({|SG0003:string key|}, string value);
            }

            [Count(From = "a", Store = "counts", To = "out")]
            public partial class Counts;
        }
        """);

    [Fact]
    public async Task TypesIntoAndOutOfAJoin()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "orders")]
                public partial class A
                {
                    public void Process(string key, string order) { Wrong(key, order.Length); Nullable(key, order); }

                    // The left value of Join plays the part of Process's value.
                    [To(nameof(Enrich))] private partial void Wrong(string key, {|SG0003:int value|});
                    [To(nameof(Enrich))] private partial void Nullable({|SG0003:string? key|}, string value);
                }

                [Join(From = nameof(A), Table = "customers", Store = "customers", To = {|SG0003:{|SG0003:nameof(Print)|}|})]
                public partial class Enrich
                {
                    public string Join(string customer, string order, string name) => order + name;
                }

                [Processor(From = nameof(Enrich))]
                public partial class Print
                {
                    public void Process(long key, int value) { }
                }
            }
            """);

        Assert.Equal("Output 'A.Wrong' sends value type 'int' to 'Enrich', which expects 'string'; declare the value parameter as 'string', "
            + "or change 'Enrich.Join' to take 'int'", diagnostics[0].GetMessage());
        Assert.Equal("Join node 'Enrich' sends value type 'string' to 'Print', which expects 'int'; a join sends what its Join returns: "
            + "make 'Enrich.Join' return 'int', or change 'Print.Process' to take 'string'", diagnostics[2].GetMessage());
        Assert.Equal("Join node 'Enrich' sends key type 'string' to 'Print', which expects 'long'; a join keeps the key of its stream "
            + "records: declare the key of 'Print.Process' as 'string'", diagnostics[3].GetMessage());
    }

    [Fact]
    public Task InputsOfAJoinWithoutAKeyDisagree() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "a")]
            public partial class A
            {
                public void Process(string key, string value) => Out(value);

                [To(nameof(Enrich))] private partial void Out(string value);
            }

            [Processor(From = "b")]
            public partial class B
            {
                public void Process(long key, string value) => Out(value);

                [To(nameof(Enrich))] private partial void {|SG0003:Out|}(string value);
            }

            [Join(From = nameof(A), Table = "customers", Store = "customers", To = "out")]
            public partial class Enrich
            {
                public string Join(string order, string customer) => order + customer;
            }
        }
        """);
}
