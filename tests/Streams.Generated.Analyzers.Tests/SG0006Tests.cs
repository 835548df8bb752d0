using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0006Tests
{
    [Fact]
    public async Task InvalidOutputMethods()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string value) { }

                    [To("out")] private void {|SG0006:NotPartial|}(string value) { }
                    [To("out")] private partial int {|SG0006:Returns|}(string value);
                    [To("out")] private partial void {|SG0006:Generic|}<TValue>(TValue value);
                    [To("out")] private static partial void {|SG0006:Static|}(string value);
                    [To("out")] private partial void {|SG0006:NoParameters|}();
                    [To("out")] private partial void {|SG0006:Three|}(string a, string b, string c);
                    [To("out")] private partial void {|SG0006:ByRef|}(ref string value);
                    [To("out")] private partial void Fine(string key, string value);
                }
            }
            """);

        Assert.Equal(
            "Output method 'NotPartial' must be a non-generic instance 'partial void' method taking (TValue value) or "
            + "(TKey key, TValue value) in a [Processor] class: it is not partial; declare it 'partial void' without a body and let "
            + "the generator implement it",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task OutputsOutsideProcessors() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Count(From = "in", To = "out")]
            public partial class Counts
            {
                [To("out")] private partial void {|SG0006:Out|}(string value);
            }

            public partial class Helper
            {
                [To("out")] private partial void {|SG0006:Out|}(string value);
            }
        }
        """);

    [Fact]
    public async Task OutputImplementedByTheUser()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string value) => Out(value);

                    [To("out")] private partial void {|SG0006:Out|}(string value);
                    private partial void Out(string value) { }
                }
            }
            """);

        Assert.EndsWith("it already has an implementation; remove the implementing declaration, the generator writes the body",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task OutputInAJoin()
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

                    [To("elsewhere")] private partial void {|SG0006:Out|}(string value);
                }
            }
            """);

        Assert.EndsWith("'Enrich' is a [Join] node, which has no output methods; set the To of its [Join] attribute instead",
            diagnostics[0].GetMessage());
    }
}
