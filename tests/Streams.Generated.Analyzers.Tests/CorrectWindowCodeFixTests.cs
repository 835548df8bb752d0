using Streams.Generated.Analyzers.Tests.Infrastructure;
using Streams.Generated.CodeFixes;

namespace Streams.Generated.Analyzers.Tests;

/// <summary>SG0019 "Use ...": before/after, one diagnostic at a time and through Fix All.</summary>
public class CorrectWindowCodeFixTests
{
    [Fact]
    public Task TumblesAWindowThatAdvancesPastItsSizeAndDropsTheMinusOfAGrace() => CodeFixVerifier.VerifyAsync(new CorrectWindowCodeFixProvider(), """
        using Streams.Generated;

        [Topology("clicks")]
        public static partial class Clicks
        {
            [Count(From = "clicks", Store = "per-minute", Window = {|SG0019:"hopping 1m advance 5m"|}, To = "clicks-per-minute")]
            public partial class PerMinute;

            [Count(From = "clicks", Store = "per-hour", Window = "tumbling 1h", Grace = /* late by up to */ {|SG0019:"-30s"|}, Emit = Emit.Final)]
            public partial class PerHour;

            [Count(From = "clicks", Store = "per-day",
                Window = {|SG0019:"hopping  1d advance 2d"|},
                Grace = {|SG0019:"-1h"|})]
            public partial class PerDay;
        }
        """, """
        using Streams.Generated;

        [Topology("clicks")]
        public static partial class Clicks
        {
            [Count(From = "clicks", Store = "per-minute", Window = "tumbling 1m", To = "clicks-per-minute")]
            public partial class PerMinute;

            [Count(From = "clicks", Store = "per-hour", Window = "tumbling 1h", Grace = /* late by up to */ "30s", Emit = Emit.Final)]
            public partial class PerHour;

            [Count(From = "clicks", Store = "per-day",
                Window = "tumbling 1d",
                Grace = "1h")]
            public partial class PerDay;
        }
        """);

    [Fact]
    public Task NoFixWhereTheIntentIsUnclear() => CodeFixVerifier.VerifyNoFixAsync(new CorrectWindowCodeFixProvider(), """
        using Streams.Generated;

        [Topology("clicks")]
        public static partial class Clicks
        {
            [Count(From = "clicks", Window = {|SG0019:"tumbling 0s"|})] public partial class ZeroSize;
            [Count(From = "clicks", Window = {|SG0019:"hopping 5m advance 0s"|})] public partial class ZeroAdvance;
            [Count(From = "clicks", Window = {|SG0019:"every minute"|})] public partial class NotAWindow;
            [Count(From = "clicks", Window = "tumbling 1m", Grace = {|SG0019:"-later"|})] public partial class NegativeNonsense;
            [Count(From = "clicks", Grace = {|SG0019:"10s"|})] public partial class GraceWithoutWindow;
            [Count(From = "clicks", Emit = {|SG0019:Emit.Final|})] public partial class FinalWithoutWindow;
        }
        """);
}
