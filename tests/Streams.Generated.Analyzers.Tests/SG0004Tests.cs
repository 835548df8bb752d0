using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0004Tests
{
    [Fact]
    public async Task MissingProcess()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class {|SG0004:NoProcess|}
                {
                    public void Handle(string value) { }
                }
            }
            """);

        Assert.Equal(
            "Processor 'NoProcess' needs exactly one public or internal instance method 'void Process(TValue value)' or "
            + "'void Process(TKey key, TValue value)', optionally with a trailing 'in RecordContext context' parameter: it declares none",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public Task InvalidShapes() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class Static { public static void {|SG0004:Process|}(string value) { } }

            [Processor(From = "in")]
            public partial class Returns { public int {|SG0004:Process|}(string value) => 0; }

            [Processor(From = "in")]
            public partial class Generic { public void {|SG0004:Process|}<TValue>(TValue value) { } }

            [Processor(From = "in")]
            public partial class Private { private void {|SG0004:Process|}(string value) { } }

            [Processor(From = "in")]
            public partial class Protected { protected void {|SG0004:Process|}(string value) { } }

            [Processor(From = "in")]
            public partial class NoParameters { public void {|SG0004:Process|}() { } }

            [Processor(From = "in")]
            public partial class ThreeValues { public void {|SG0004:Process|}(string a, string b, string c) { } }

            [Processor(From = "in")]
            public partial class ContextNotIn { public void {|SG0004:Process|}(string value, RecordContext context) { } }

            [Processor(From = "in")]
            public partial class ContextFirst { public void {|SG0004:Process|}(in RecordContext context, string value) { } }

            [Processor(From = "in")]
            public partial class OnlyContext { public void {|SG0004:Process|}(in RecordContext context) { } }

            [Processor(From = "in")]
            public partial class RefValue { public void {|SG0004:Process|}(ref string value) { } }

            [Processor(From = "in")]
            public partial class Overloads
            {
                public void Process(string value) { }
                public void {|SG0004:Process|}(string key, string value) { }
                private void {|SG0004:Process|}(int value) { }
            }

            [Processor(From = "in")]
            public partial class Fine { internal void Process(string key, string value, in RecordContext context) { } }
        }
        """);

    [Fact]
    public async Task AsyncVoidProcess()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using System.Threading.Tasks;
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class Enrich
                {
                    public async void {|SG0004:Process|}(string value) => await Task.Yield();
                }
            }
            """);

        Assert.EndsWith(
            "'Process' is async void: the generated code cannot wait for it, so records would overlap and their offsets be "
            + "committed before the work is done; make it synchronous",
            diagnostics[0].GetMessage());
    }
}
