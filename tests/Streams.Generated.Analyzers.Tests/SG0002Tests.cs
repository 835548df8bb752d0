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
}
