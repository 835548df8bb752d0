namespace Streams.Generated.Tests.Topologies;

/// <summary>
/// Punctuation: clicks per user summed up every 10 s of stream time, and a heartbeat every minute of wall-clock time
/// that is counted behind a repartition topic (so punctuation output crosses a topic).
/// </summary>
[Topology("click-summaries")]
public static partial class ClickSummaries
{
    public const string Clicks = "clicks";
    public const string Summaries = "click-summaries";
    public const string Heartbeats = "heartbeats";
    public const string HeartbeatCounts = "heartbeat-counts";

    [Processor(From = Clicks)]
    public partial class Summarize
    {
        private readonly Dictionary<string, int> _clicks = new();

        public void Process(string user, string page) => _clicks[user] = _clicks.GetValueOrDefault(user) + 1;

        [Punctuate("10s", PunctuationType.StreamTime)]
        public void Summary(long timestamp)
        {
            foreach (var (user, clicks) in _clicks) Summarized(user, clicks);
            _clicks.Clear();
        }

        [Punctuate("1m", PunctuationType.WallClockTime)]
        public void Heartbeat(long timestamp)
        {
            Alive(timestamp);              // keeps the key: a punctuation has none
            Beat("beats", timestamp);      // sets one: counted behind the repartition topic
        }

        [To(Summaries)] private partial void Summarized(string user, int clicks);
        [To(Heartbeats)] private partial void Alive(long timestamp);
        [To(nameof(CountBeats))] private partial void Beat(string key, long timestamp);
    }

    [Count(From = nameof(Summarize), Store = "beats", To = HeartbeatCounts)]
    public partial class CountBeats;
}
