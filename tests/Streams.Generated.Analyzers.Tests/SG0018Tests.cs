using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0018Tests
{
    [Fact]
    public async Task InvalidIntervalsAndTypes()
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

                    [Punctuate({|SG0018:"10"|}, PunctuationType.StreamTime)] public void NoUnit(long timestamp) { }
                    [Punctuate({|SG0018:"0s"|}, PunctuationType.StreamTime)] public void Zero(long timestamp) { }
                    [Punctuate({|SG0018:"-5s"|}, PunctuationType.StreamTime)] public void Negative(long timestamp) { }
                    [Punctuate({|SG0018:""|}, PunctuationType.WallClockTime)] public void Empty(long timestamp) { }
                    [Punctuate({|SG0018:"10 s"|}, PunctuationType.WallClockTime)] public void Space(long timestamp) { }
                    [Punctuate({|SG0018:"1w"|}, PunctuationType.WallClockTime)] public void UnknownUnit(long timestamp) { }
                    [Punctuate({|SG0018:"99999999999999999999d"|}, PunctuationType.WallClockTime)] public void TooLong(long timestamp) { }
                    [Punctuate("10s", {|SG0018:(PunctuationType)7|})] public void UndefinedType(long timestamp) { }
                    [Punctuate(type: {|SG0018:(PunctuationType)2|}, interval: {|SG0018:"1x"|})] public void Named(long timestamp) { }
                    [Punctuate("250ms", PunctuationType.StreamTime)] public void Milliseconds(long timestamp) { }
                    [Punctuate("5m", PunctuationType.WallClockTime)] internal void Minutes(long timestamp) { }
                    [Punctuate("1h", PunctuationType.StreamTime)] public void Hours(long timestamp) { }
                    [Punctuate("7d", PunctuationType.StreamTime)] public void Days(long timestamp) { }
                }
            }
            """);

        Assert.Equal(
            "Punctuator 'NoUnit' has interval '10', which is not a duration; write a positive whole number with a unit: "
            + "'250ms', '10s', '5m', '1h' or '1d'",
            diagnostics[0].GetMessage());
        Assert.StartsWith("Punctuator 'Zero' has interval '0s', which is not positive;", diagnostics[1].GetMessage());
        Assert.StartsWith("Punctuator 'TooLong' has interval '99999999999999999999d', which is too long", diagnostics[6].GetMessage());
        Assert.Equal("Punctuator 'UndefinedType' has type (PunctuationType)7, which is neither PunctuationType.StreamTime nor "
            + "PunctuationType.WallClockTime; choose one", diagnostics[7].GetMessage());
    }

    [Fact]
    public async Task InvalidSignatures()
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

                    [Punctuate("1s", PunctuationType.StreamTime)] public static void {|SG0018:Static|}(long timestamp) { }
                    [Punctuate("1s", PunctuationType.StreamTime)] private void {|SG0018:Private|}(long timestamp) { }
                    [Punctuate("1s", PunctuationType.StreamTime)] public int {|SG0018:Returns|}(long timestamp) => 0;
                    [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:Generic|}<TTime>(long timestamp) { }
                    [Punctuate("1s", PunctuationType.StreamTime)] public async void {|SG0018:Async|}(long timestamp) => await Task.Yield();
                    [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:NoParameter|}() { }
                    [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:IntParameter|}(int timestamp) { }
                    [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:ByRef|}(ref long timestamp) { }
                    [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:TwoParameters|}(long timestamp, long other) { }
                    [Punctuate("1s", PunctuationType.StreamTime)] [To("out")] private partial void {|SG0018:Output|}(long value);
                    [Punctuate({|SG0018:"soon"|}, PunctuationType.StreamTime)] private static void {|SG0018:BothWrong|}(long timestamp) { }
                }
            }
            """);

        Assert.Equal("Punctuator 'Static' is static; make it an instance method (the task calls it on its instance of the processor)",
            diagnostics[0].GetMessage());
        Assert.Equal("Punctuator 'Private' is not accessible to the generated code; make it public or internal", diagnostics[1].GetMessage());
        Assert.Equal("Punctuator 'NoParameter' must take one by-value 'long timestamp' parameter (the stream time or wall-clock time, "
            + "in Unix milliseconds); declare 'void M(long timestamp)'", diagnostics[5].GetMessage());
        Assert.StartsWith("Punctuator 'Output' is an output method ([To])", diagnostics[9].GetMessage());
    }

    [Fact]
    public async Task PunctuatorsOutsideProcessors()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class A
                {
                    public void Process(string key, string value) => Out(key, value);

                    [To(nameof(Counts))] private partial void Out(string key, string value);

                    public class Nested
                    {
                        [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:InNested|}(long timestamp) { }
                    }
                }

                [Count(From = nameof(A), Store = "counts", To = "out")]
                public partial class Counts
                {
                    [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:InCount|}(long timestamp) { }
                }
            }

            public class Helper
            {
                [Punctuate("1s", PunctuationType.WallClockTime)] public void {|SG0018:InHelper|}(long timestamp) { }
            }
            """);

        Assert.Equal("Punctuator 'InNested' is in 'Nested', which is not a [Processor] class of a topology, so no task calls it; "
            + "move it into a processor", diagnostics[0].GetMessage());
        Assert.Equal("Punctuator 'InCount' is in 'Counts', a [Count] node, whose logic is generated and has no punctuators; "
            + "punctuate in a [Processor] class", diagnostics[1].GetMessage());
    }

    [Fact]
    public Task ValidPunctuators() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                private long _seen;

                public void Process(string key, string value) => _seen++;

                [Punctuate("10s", PunctuationType.StreamTime)]
                public void Report(long timestamp) => Seen(timestamp, _seen);

                [Punctuate("1m", PunctuationType.WallClockTime)]
                internal void Heartbeat(long timestamp) => Seen(-1, _seen);

                [To("seen")] private partial void Seen(long key, long value);
            }
        }
        """);

    [Fact]
    public async Task PunctuatorInAJoin() => Assert.Equal(
        "Punctuator 'Tick' is in 'Enrich', a [Join] node, which has no punctuators; punctuate in a [Processor] class",
        Assert.Single(await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Join(From = "orders", Table = "customers", Store = "customers", To = "out")]
                public partial class Enrich
                {
                    public string Join(string order, string customer) => order + customer;

                    [Punctuate("1s", PunctuationType.StreamTime)] public void {|SG0018:Tick|}(long timestamp) { }
                }
            }
            """)).GetMessage());
}
