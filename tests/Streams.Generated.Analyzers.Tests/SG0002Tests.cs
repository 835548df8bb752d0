using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0002Tests
{
    [Fact]
    public async Task IllegalTopicNames()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                public const string Bad = "bad/topic";

                [Processor(From = {|SG0002:"nope topic"|})]
                public partial class A
                {
                    public void Process(string value)
                    {
                        B(value); C(value); D(value); E(value);
                    }

                    [To({|SG0002:".."|})] private partial void B(string value);
                    [To({|SG0002:Bad|})] private partial void C(string value);
                    [To({|SG0002:"ünïcode"|})] private partial void D(string value);
                    [To("legal.topic_name-1")] private partial void E(string value);
                }

                [Count(From = {|SG0002:"."|}, To = {|SG0002:""|})]
                public partial class Counts;
            }
            """);

        Assert.Equal(
            "'nope topic' is neither a node of topology 'T' nor a legal Kafka topic name; a topic name has 1 to 249 characters "
            + "from a-z, A-Z, 0-9, '.', '_' and '-', and not '.' or '..'; to reference a node write nameof(Node)",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task TopicNameLength() => AnalyzerVerifier.VerifyAsync($$"""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Count(From = "{{new string('a', 249)}}", To = {|SG0002:"{{new string('b', 250)}}"|})]
            public partial class Counts;
        }
        """);

    [Fact]
    public async Task NameofSomethingThatIsNotANode()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                public const string Input = "input";

                [Processor(From = {|SG0002:nameof(Input)|})]
                public partial class A
                {
                    public void Process(string value) => Out(value);

                    [To({|SG0002:nameof(Helper)|})] private partial void Out(string value);
                }

                public partial class Helper
                {
                    public void Process(string value) { }
                }

                [Count(From = {|SG0002:nameof(Other.Elsewhere)|}, To = "out")]
                public partial class Counts;
            }

            [Topology("other")]
            public static partial class Other
            {
                [Count(From = "x", To = "y")]
                public partial class Elsewhere;
            }
            """);

        Assert.Equal(
            "nameof(Input) does not name a node of topology 'T'; reference a [Processor], [Count] or [Join] class nested in 'T', or write a topic name as a string",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task EmptyOrMissingFrom()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [{|SG0002:Processor|}]
                public partial class A
                {
                    public void Process(string value) { }
                }

                [Processor(From = {|SG0002:""|})]
                public partial class B
                {
                    public void Process(string value) { }
                }

                [{|SG0002:Count|}(To = "out")]
                public partial class Counts;
            }
            """);

        Assert.Equal("'A' has no From; set From to a topic name or to nameof(Node) of a node of topology 'T'", diagnostics[0].GetMessage());
        Assert.Equal("From is empty; set it to a topic name or to nameof(Node) of a node of topology 'T'", diagnostics[1].GetMessage());
    }

    [Fact]
    public Task StringEqualToANodeNameIsThatNode() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "input")]
            public partial class A
            {
                public void Process(string value) => Out(value);

                [To("Counts")] private partial void Out(string value);
            }

            [Count(From = "A", To = "output")]
            public partial class Counts;
        }
        """);

    [Fact]
    public async Task JoinReferences()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "customers-raw")]
                public partial class Clean
                {
                    public void Process(string key, string value) => Out(value);

                    [To("customers")] private partial void Out(string value);
                }

                [{|SG0002:{|SG0002:Join|}|}(From = "orders", Store = "s1")]
                public partial class NoTableNoTo
                {
                    public string Join(string order, string customer) => order;
                }

                [Join(From = "orders", Table = {|SG0002:nameof(Clean)|}, Store = "s2", To = "out")]
                public partial class TableIsANode
                {
                    public string Join(string order, string customer) => order;
                }

                [Join(From = "payments", Table = {|SG0002:"payments"|}, Store = "s3", To = "out")]
                public partial class TableIsFrom
                {
                    public string Join(string order, string customer) => order;
                }

                [Join(From = "orders", Table = {|SG0002:"no such topic"|}, Store = "s4", To = {|SG0002:""|})]
                public partial class IllegalTableEmptyTo
                {
                    public string Join(string order, string customer) => order;
                }

                [Join(From = "orders", Table = {|SG0002:nameof(System.String)|}, Store = "s5", To = "out")]
                public partial class TableNameofNotANode
                {
                    public string Join(string order, string customer) => order;
                }
            }
            """);

        Assert.Equal("'NoTableNoTo' has no Table; set Table to the name of the topic read as the table", diagnostics[0].GetMessage());
        Assert.Equal("'NoTableNoTo' has no To; set To to a topic name or to nameof(Node) of a node of topology 'T'", diagnostics[1].GetMessage());
        Assert.Equal("Table 'Clean' is a node of topology 'T', but a join reads its table from a topic; set Table to the topic that "
            + "holds the table (a node can write it with an output to that topic, [To(\"topic\")])", diagnostics[2].GetMessage());
        Assert.Equal("Table 'payments' is also the From of 'TableIsFrom'; a join reads its stream and its table from two different topics; "
            + "set Table to the topic that holds the table", diagnostics[3].GetMessage());
        Assert.Equal("Table 'no such topic' is not a legal Kafka topic name; a topic name has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' "
            + "and '-', and not '.' or '..'", diagnostics[4].GetMessage());
    }

    [Fact]
    public async Task ATablesTopicIsNotAlsoAStream()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Join(From = "orders", Table = "customers", Store = "customers", To = "out")]
                public partial class Enrich
                {
                    public string Join(string order, string customer) => order + customer;
                }

                [Processor(From = {|SG0002:"customers"|})]
                public partial class Audit
                {
                    public void Process(string customer) => Out(customer);

                    [To("audit")] private partial void Out(string customer);
                }
            }
            """);

        Assert.Equal("'customers' is the table of join 'Enrich' and cannot also be read as a stream; a table's topic is read from the beginning "
            + "whenever a task starts; read another topic, or join with the table instead", diagnostics[0].GetMessage());
    }
}
