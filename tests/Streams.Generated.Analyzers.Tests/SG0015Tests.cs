using Microsoft.CodeAnalysis;
using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0015Tests
{
    [Fact]
    public async Task LinqCallsInProcess()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class Words
                {
                    public void Process(string key, string line)
                    {
                        var words = line.Split(' ');
                        var count = {|SG0015:words.Count()|};
                        var first = {|SG0015:Enumerable.FirstOrDefault(words)|};
                        var longest = {|SG0015:{|SG0015:words.OrderByDescending(static w => w.Length)|}.First()|};
                        // Query syntax: one LINQ call per clause.
                        var query = from w in words {|SG0015:where w.Length > 3|} {|SG0015:select w.ToUpperInvariant()|};
                        Out(count + first + longest + query);
                    }

                    [To("out")] private partial void Out(string value);
                }
            }
            """);

        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Info, d.Severity));
        Assert.Equal(
            "The LINQ call 'Enumerable.Count' in 'Words.Process' can allocate for every record (an enumerator, delegates for capturing "
            + "lambdas, buffers); write a foreach or for loop instead",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task LinqInJoin()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Join(From = "orders", Table = "customers", Store = "customers", To = "out")]
                public partial class Enrich
                {
                    public int Join(string order, string customer) => {|SG0015:order.Count(char.IsDigit)|} + customer.Length;
                }
            }
            """);

        Assert.Equal(
            "The LINQ call 'Enumerable.Count' in 'Enrich.Join' can allocate for every record (an enumerator, delegates for capturing "
            + "lambdas, buffers); write a foreach or for loop instead",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task CapturingLambdasInProcess()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class Route
                {
                    private int _limit = 10;

                    public void Process(string key, string value)
                    {
                        var prefix = "x";
                        Func<string, bool> startsWith = {|SG0015:s => s.StartsWith(prefix)|};
                        Func<int> limit = {|SG0015:() => _limit|};
                        Action send = {|SG0015:delegate { Out(value); }|};
                        Func<string, int> fine = static s => s.Length;
                        Func<int, int> parametersOnly = static (int i) => { var twice = i * 2; return twice; };
                        const int Max = 3;
                        Func<int> constant = () => Max;
                        if (startsWith(value) && limit() > fine(value) + parametersOnly(1) + constant()) send();
                    }

                    [To("out")] private partial void Out(string value);
                }
            }
            """);

        Assert.Equal(
            "A lambda that captures 'prefix' in 'Route.Process' allocates a closure and a delegate for every record; make it 'static' "
            + "and pass what it needs as arguments, or write a loop or a method instead",
            diagnostics[0].GetMessage());
        Assert.StartsWith("A lambda that captures 'this' in", diagnostics[1].GetMessage());
        Assert.StartsWith("An anonymous method that captures 'this', 'value' in", diagnostics[2].GetMessage());
    }

    [Fact]
    public Task NestedLambdaCapturesTheOuterLambdasParameter() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class Nested
            {
                public void Process(string key, string value)
                {
                    Func<int, Func<int>> outer = static i => {|SG0015:() => i|};
                    Out(outer(1)().ToString());
                }

                [To("out")] private partial void Out(string value);
            }
        }
        """);

    [Fact]
    public Task OnlyProcessIsTheHotPath() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class Words
            {
                private readonly HashSet<string> _stop;

                // Once per task.
                public Words() => _stop = new[] { "a", "the" }.Select(w => w.ToUpperInvariant()).ToHashSet();

                public void Process(string key, string line)
                {
                    foreach (var word in line.Split(' '))
                    {
                        if (!_stop.Contains(word)) Out(word);
                    }
                }

                [To("out")] private partial void Out(string value);

                public override string ToString() => string.Join(",", _stop.Where(w => w.Length > 0));
            }
        }

        public static class NotANode
        {
            public static int Count(string[] words) => words.Count(w => w.Length > 3);
        }
        """);
}
