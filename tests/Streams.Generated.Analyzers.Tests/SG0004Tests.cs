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
            public partial class SpanValue { public void Process({|SG0004:ReadOnlySpan<byte> value|}) { } }

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

    [Fact]
    public async Task InvalidJoinMethods()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using System.Threading.Tasks;
            using Streams.Generated;

            public ref struct Buffer { }

            [Topology("t")]
            public static partial class T
            {
                private sealed class Secret { }

                [Join(From = "in", Table = "t1", Store = "s1", To = "out")]
                public partial class {|SG0004:None|};

                [Join(From = "in", Table = "t2", Store = "s2", To = "out")]
                public partial class Void { public void {|SG0004:Join|}(string left, string right) { } }

                [Join(From = "in", Table = "t3", Store = "s3", To = "out")]
                public partial class Static { public static string Join(string left, string right) => left; } // a direct call on the class

                [Join(From = "in", Table = "t4", Store = "s4", To = "out")]
                public partial class Async { public async Task<string> {|SG0004:Join|}(string left, string right) { await Task.Yield(); return left; } }

                [Join(From = "in", Table = "t5", Store = "s5", To = "out")]
                public partial class OneValue { public string {|SG0004:Join|}(string left) => left; }

                [Join(From = "in", Table = "t6", Store = "s6", To = "out")]
                public partial class FourValues { public string {|SG0004:Join|}(string key, string left, string right, string extra) => left; }

                [Join(From = "in", Table = "t7", Store = "s7", To = "out")]
                public partial class ContextNotIn { public string {|SG0004:Join|}(string left, string right, RecordContext context) => left; }

                [Join(From = "in", Table = "t8", Store = "s8", To = "out")]
                public partial class RefRight { public string {|SG0004:Join|}(string left, ref string right) => left; }

                [Join(From = "in", Table = "t9", Store = "s9", To = "out")]
                public partial class Dynamic { internal string Join(string left, {|SG0004:dynamic right|}) => left; }

                [Join(From = "in", Table = "t10", Store = "s10", To = "out")]
                public partial class RefStruct { public string Join({|SG0004:Buffer left|}, string right) => ""; }

                [Join(From = "in", Table = "t11", Store = "s11", To = "out")]
                public partial class RefStructResult { public Buffer {|SG0004:Join|}(string left, string right) => new(); }

                // The compiler reports a private type in an internal method (CS0051); the generator skips the topology.
                [Join(From = "in", Table = "t16", Store = "s16", To = "out")]
                public partial class PrivateType { internal string Join(string left, Secret right) => left; }

                [Join(From = "in", Table = "t12", Store = "s12", To = "out", Kind = JoinKind.Left)]
                public partial class LeftNotNullable { public string Join(string left, {|SG0004:string right|}) => left; }

                [Join(From = "in", Table = "t13", Store = "s13", To = "out", Kind = JoinKind.Left)]
                public partial class LeftValueType { public long Join(long left, {|SG0004:long right|}) => left; }

                [Join(From = "in", Table = "t14", Store = "s14", To = "out")]
                public partial class Overloads
                {
                    public string Join(string left, string right) => left;
                    public string {|SG0004:Join|}(string key, string left, string right) => left;
                }

                [Join(From = "in", Table = "t15", Store = "s15", To = "out", Kind = JoinKind.Left)]
                public partial class Fine { internal string Join(string key, string left, string? right, in RecordContext context) => left; }
            }
            """, "CS0051");

        Assert.Equal(
            "Join 'None' needs exactly one public or internal instance or static method 'TResult Join(TLeft left, TRight right)' or "
            + "'TResult Join(TKey key, TLeft left, TRight right)', optionally with a trailing 'in RecordContext context' parameter: it declares none",
            diagnostics[0].GetMessage());
        Assert.EndsWith("'Join' returns void; make it return the joined value, which the join sends to its To", diagnostics[1].GetMessage());
        Assert.EndsWith("parameter 'right' has type 'dynamic': dynamic gives the generated code no type to serialize or call with; use a concrete type",
            diagnostics[7].GetMessage());
        Assert.EndsWith("parameter 'left' has type 'Buffer': a ref struct cannot be held by the generated code; use a class or an ordinary struct",
            diagnostics[8].GetMessage());
        Assert.EndsWith("with Kind = JoinKind.Left, 'right' is null when the table has no value for the key; declare it 'string?'",
            diagnostics[10].GetMessage());
    }
}
