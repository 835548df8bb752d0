namespace Streams.Generated.Tests.Topologies;

/// <summary>
/// Windowed counts of page views per page: every update of 1-minute tumbling windows to a topic; 10 s hopping windows
/// every 5 s, with a 5 s grace, into a processor; and final counts of 10 s windows when they close.
/// </summary>
[Topology("page-views")]
public static partial class PageViews
{
    public const string Views = "page-views";
    public const string PerMinute = "views-per-minute";
    public const string Trending = "trending-pages";
    public const string Final = "final-views";
    public const string Labelled = "labelled-views";

    [Processor(From = Views)]
    public partial class ByPage
    {
        public void Process(string user, string page)
        {
            ToPerMinute(page, user);
            ToHopping(page, user);
            ToFinal(page, user);
            ToLabelled(page, user);
            ToQueried(page, user);
        }

        [To(nameof(PerMinuteCount))] private partial void ToPerMinute(string page, string user);
        [To(nameof(Hopping))] private partial void ToHopping(string page, string user);
        [To(nameof(FinalCount))] private partial void ToFinal(string page, string user);
        [To(nameof(LabelledCount))] private partial void ToLabelled(string page, string user);
        [To(nameof(QueriedOnly))] private partial void ToQueried(string page, string user);
    }

    [Count(From = nameof(ByPage), Store = "per-minute", Window = "tumbling 1m", To = PerMinute)]
    public partial class PerMinuteCount;

    [Count(From = nameof(ByPage), Store = "hopping", Window = "hopping 10s advance 5s", Grace = "5s", To = Trending)]
    public partial class Hopping;

    /// <summary>Reads the per-minute counts as a processor does: the key is the page and its window.</summary>
    [Count(From = nameof(ByPage), Store = "labelled", Window = "tumbling 1m", To = nameof(Label))]
    public partial class LabelledCount;

    /// <summary>Emits nothing: its store is there to be queried.</summary>
    [Count(From = nameof(ByPage), Store = "queried", Window = "tumbling 1m", Emit = Emit.Final)]
    public partial class QueriedOnly;

    [Processor(From = nameof(LabelledCount))]
    public partial class Label
    {
        public void Process(Windowed<string> page, long views) => Out($"{page.Key}@{page.Start / 1000}-{page.End / 1000}s", views);

        [To(Labelled)] private partial void Out(string key, long views);
    }

    [Count(From = nameof(ByPage), Store = "final", Window = "tumbling 10s", Emit = Emit.Final, To = Final)]
    public partial class FinalCount;
}

/// <summary>A hopping windowed count over long keys straight from a topic: the allocation test's subject.</summary>
[Topology("windowed-numbers")]
public static partial class WindowedNumbers
{
    public const string Input = "numbers";
    public const string Output = "numbers-per-window";

    /// <summary>Types the key (a count straight from a topic would count the raw key bytes, copying them into each window).</summary>
    [Processor(From = Input)]
    public partial class Typed
    {
        public void Process(long key, long value) => Out(value);

        [To(nameof(PerWindow))] private partial void Out(long value);
    }

    [Count(From = nameof(Typed), Store = "per-window", Window = "hopping 10s advance 5s", Grace = "1s", To = Output)]
    public partial class PerWindow;
}
