using Microsoft.CodeAnalysis;
using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0019Tests
{
    [Fact]
    public async Task InvalidWindows()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Count(From = "in", Window = {|SG0019:"sliding 1m"|})] public partial class NotAWindow;
                [Count(From = "in", Window = {|SG0019:"tumbling"|})] public partial class NoSize;
                [Count(From = "in", Window = {|SG0019:"tumbling 10"|})] public partial class NoUnit;
                [Count(From = "in", Window = {|SG0019:"tumbling 0s"|})] public partial class ZeroSize;
                [Count(From = "in", Window = {|SG0019:"hopping 5m advance 0ms"|})] public partial class ZeroAdvance;
                [Count(From = "in", Window = {|SG0019:"hopping 1m advance 5m"|})] public partial class AdvanceOverSize;
                [Count(From = "in", Window = {|SG0019:"hopping 5m advance 1x"|})] public partial class AdvanceNotADuration;
                [Count(From = "in", Window = {|SG0019:"tumbling 99999999999999999999d"|})] public partial class TooLong;
            }
            """);

        Assert.Equal("Count node 'NotAWindow': Window 'sliding 1m' is not a window; write 'tumbling <size>' or "
            + "'hopping <size> advance <advance>', e.g. 'tumbling 1m' or 'hopping 5m advance 1m'", Message(diagnostics, "NotAWindow"));
        Assert.Equal("Count node 'NoUnit': The size '10' of window 'tumbling 10' is not a duration; write a whole number with a unit: "
            + "'250ms', '10s', '5m', '1h' or '1d'", Message(diagnostics, "NoUnit"));
        Assert.Equal("Count node 'ZeroSize': Window 'tumbling 0s' has size 0; a window must be at least 1ms long", Message(diagnostics, "ZeroSize"));
        Assert.Equal("Count node 'ZeroAdvance': Window 'hopping 5m advance 0ms' advances by 0; the advance must be at least 1ms",
            Message(diagnostics, "ZeroAdvance"));
        Assert.Equal("Count node 'AdvanceOverSize': Window 'hopping 1m advance 5m' advances by more than its size, so records between "
            + "two windows would be counted in none; make the advance at most the size, e.g. 'tumbling 1m' (advance = size)",
            Message(diagnostics, "AdvanceOverSize"));
        Assert.StartsWith("Count node 'TooLong': The size '99999999999999999999d' of window 'tumbling 99999999999999999999d' is too long",
            Message(diagnostics, "TooLong"));

        // Only the mechanical correction travels to the code fix.
        Assert.Equal("tumbling 1m", Find(diagnostics, "AdvanceOverSize").Properties[DiagnosticDescriptors.CorrectedArgumentProperty]);
        Assert.All(diagnostics.Where(d => !d.GetMessage().Contains("'AdvanceOverSize'", StringComparison.Ordinal)),
            d => Assert.False(d.Properties.ContainsKey(DiagnosticDescriptors.CorrectedArgumentProperty)));
    }

    [Fact]
    public async Task InvalidGraceAndEmit()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Count(From = "in", Window = "tumbling 1m", Grace = {|SG0019:"-10s"|})] public partial class NegativeGrace;
                [Count(From = "in", Window = "tumbling 1m", Grace = {|SG0019:"-soon"|})] public partial class NegativeNonsense;
                [Count(From = "in", Window = "tumbling 1m", Grace = {|SG0019:"10"|})] public partial class GraceWithoutUnit;
                [Count(From = "in", Grace = {|SG0019:"10s"|})] public partial class GraceWithoutWindow;
                [Count(From = "in", Emit = {|SG0019:Emit.Final|})] public partial class FinalWithoutWindow;
                [Count(From = "in", Window = "", Grace = {|SG0019:"1m"|}, Emit = {|SG0019:Emit.Final|})] public partial class EmptyWindow;
                [Count(From = "in", Window = "tumbling 1m", Emit = {|SG0019:(Emit)7|})] public partial class UndefinedEmit;
                [Count(Window = {|SG0019:"hopping 1h advance 2h"|}, Grace = {|SG0019:"-1m"|}, From = "in")] public partial class BothWrongInAnyOrder;
            }
            """);

        Assert.Equal("Count node 'NegativeGrace': Grace '-10s' is negative; a grace period is how long a window still accepts late records, "
            + "0 or more: write '10s'", Message(diagnostics, "NegativeGrace"));
        Assert.Equal("Count node 'NegativeNonsense': Grace '-soon' is negative; write a duration of 0 or more, e.g. '10s' or '0ms'",
            Message(diagnostics, "NegativeNonsense"));
        Assert.Equal("Count node 'GraceWithoutUnit': Grace '10' is not a duration; write a whole number with a unit: "
            + "'250ms', '10s', '5m', '1h' or '1d'", Message(diagnostics, "GraceWithoutUnit"));
        Assert.Equal("Count node 'GraceWithoutWindow': Grace '10s' is set without a Window, and only a window has a grace period; "
            + "set a Window (e.g. Window = \"tumbling 1m\") or remove Grace", Message(diagnostics, "GraceWithoutWindow"));
        Assert.Equal("Count node 'FinalWithoutWindow': Emit = Emit.Final is set without a Window, and only a window closes to give a "
            + "final result; set a Window (e.g. Window = \"tumbling 1m\") or remove Emit to emit every update",
            Message(diagnostics, "FinalWithoutWindow"));
        Assert.Equal("Count node 'UndefinedEmit': Emit is (Emit)7, which is neither Emit.Updates nor Emit.Final; choose one",
            Message(diagnostics, "UndefinedEmit"));

        Assert.Equal("10s", Find(diagnostics, "NegativeGrace").Properties[DiagnosticDescriptors.CorrectedArgumentProperty]);
        Assert.False(Find(diagnostics, "NegativeNonsense").Properties.ContainsKey(DiagnosticDescriptors.CorrectedArgumentProperty));
        Assert.False(Find(diagnostics, "GraceWithoutWindow").Properties.ContainsKey(DiagnosticDescriptors.CorrectedArgumentProperty));
    }

    [Fact]
    public Task ValidWindows() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Count(From = "in", Window = "tumbling 1m")] public partial class Tumbling;
            [Count(From = "in", Window = "hopping 5m advance 1m")] public partial class Hopping;
            [Count(From = "in", Window = "hopping 1m advance 1m")] public partial class HoppingBySize;
            [Count(From = "in", Window = "tumbling 250ms", Grace = "0ms")] public partial class NoGrace;
            [Count(From = "in", Window = "tumbling 1h", Grace = "10s", Emit = Emit.Final)] public partial class Final;
            [Count(From = "in", Window = "tumbling 1d", Emit = Emit.Updates)] public partial class Updates;
            [Count(From = "in", Emit = Emit.Updates, Grace = "")] public partial class DefaultsWithoutWindow;
            [Count(From = "in", Window = "")] public partial class EmptyWindowIsNoWindow;
        }
        """);

    [Fact]
    public Task NonConstantArgumentsAreLeftToTheCompiler() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            public static string Size = "tumbling 1m";

            [Count(From = "in", Window = Size, Grace = "10s", Emit = Emit.Final)] public partial class NotConstant;
        }
        """, "CS0182");

    [Fact]
    public Task WindowedCountIntoProcessorTakingTheWindowedKey() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "clicks")]
            public partial class ByPage
            {
                public void Process(string user, string page)
                {
                    Page(page, user);
                    PageHourly(page, user);
                }

                [To(nameof(ClicksPerMinute))] private partial void Page(string key, string value);
                [To(nameof(ClicksPerHour))] private partial void PageHourly(string key, string value);
            }

            [Count(From = nameof(ByPage), Store = "clicks-per-minute", Window = "tumbling 1m", To = nameof(Busy))]
            public partial class ClicksPerMinute;

            [Processor(From = nameof(ClicksPerMinute))]
            public partial class Busy
            {
                public void Process(Windowed<string> key, long count)
                {
                    if (count > 100) Alert(key.Key, key.Start);
                }

                [To("busy-pages")] private partial void Alert(string key, long value);
            }

            // A value-only processor also accepts a windowed count.
            [Count(From = nameof(ByPage), Store = "clicks-per-hour", Window = "hopping 1h advance 10m", To = nameof(Total))]
            public partial class ClicksPerHour;

            [Processor(From = nameof(ClicksPerHour))]
            public partial class Total
            {
                public void Process(long count) { }
            }
        }
        """);

    [Fact]
    public Task WindowedKeyHoldsTheNonNullableCountedKeyAndIsWritableAsAValue() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "clicks")]
            public partial class Clicks
            {
                public void Process(string? user, string page) => Click(page);

                [To(nameof(ClicksPerUser))] private partial void Click(string value);
            }

            // It counts string? keys, rejecting null ones, so it sends Windowed<string>.
            [Count(From = nameof(Clicks), Store = "clicks-per-user", Window = "tumbling 1m", To = nameof(Report))]
            public partial class ClicksPerUser;

            [Processor(From = nameof(ClicksPerUser))]
            public partial class Report
            {
                public void Process(Windowed<string> key, long count) => Reported(key.Key, key);

                [To("user-windows")] private partial void Reported(string key, Windowed<string> value);
            }
        }
        """);

    [Fact]
    public async Task WindowedCountIntoProcessorTakingThePlainKey()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "clicks")]
                public partial class ByPage
                {
                    public void Process(string user, string page) => Page(page, user);

                    [To(nameof(ClicksPerMinute))] private partial void Page(string key, string value);
                }

                [Count(From = nameof(ByPage), Store = "clicks-per-minute", Window = "tumbling 1m", To = {|SG0003:nameof(Busy)|})]
                public partial class ClicksPerMinute;

                [Processor(From = nameof(ClicksPerMinute))]
                public partial class Busy
                {
                    public void Process(string page, long count) { }
                }
            }
            """);

        Assert.Equal("Count node 'ClicksPerMinute' sends key type 'Streams.Generated.Windowed<string>' to 'Busy', which expects 'string'; "
            + "a windowed count sends the key it counted with its window: declare the key of 'Busy.Process' as "
            + "'Streams.Generated.Windowed<string>'", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public Task WindowedKeysAreWrittenToSinksButNotReadFromTopics() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            // Windowed<ReadOnlyMemory<byte>> keys (a count of raw keys; never null, a count rejects null keys) are written as
            // the raw key bytes, then the window start.
            [Count(From = "clicks", Store = "per-minute", Window = "tumbling 1m", To = "clicks-per-minute")]
            public partial class ClicksPerMinute;

            [Count(From = "pages", Store = "per-hour", Window = "tumbling 1h", To = nameof(Forward))]
            public partial class PagesPerHour;

            [Processor(From = nameof(PagesPerHour))]
            public partial class Forward
            {
                public void Process(Windowed<ReadOnlyMemory<byte>> key, long count)
                {
                    Kept(count);
                    Explicit(key, count);
                    ToRecount(key, count);
                }

                [To("kept-windowed-keys")] private partial void Kept(long value);
                [To("explicit-windowed-keys")] private partial void Explicit(Windowed<ReadOnlyMemory<byte>> key, long value);

                // Through a repartition topic, which the app reads back: the window size is not in the bytes.
                [To(nameof(Recount))] private partial void ToRecount({|SG0005:Windowed<ReadOnlyMemory<byte>> key|}, long value);
            }

            [Count(From = nameof(Forward), Store = "recounted")]
            public partial class Recount;

            [Processor(From = "clicks-per-minute")]
            public partial class ReadBack
            {
                public void Process({|SG0005:Windowed<string> key|}, long count) { }
            }
        }
        """);

    private static Diagnostic Find(IReadOnlyList<Diagnostic> diagnostics, string node) =>
        Assert.Single(diagnostics, d => d.GetMessage().StartsWith($"Count node '{node}':", StringComparison.Ordinal));

    private static string Message(IReadOnlyList<Diagnostic> diagnostics, string node) => Find(diagnostics, node).GetMessage();
}
