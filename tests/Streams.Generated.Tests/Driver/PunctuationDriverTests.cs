using Streams.Generated.Serialization;
using Streams.Generated.Testing;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Driver;

/// <summary>Punctuation in the test driver: stream time as records are piped, wall-clock time as the test moves the clock.</summary>
public class PunctuationDriverTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public void Stream_time_punctuation_fires_as_records_cross_multiples_of_the_interval_and_its_outputs_carry_the_stream_time()
    {
        var driver = new TopologyTestDriver(ClickSummaries.Definition);
        var clicks = driver.CreateInputTopic(ClickSummaries.Clicks, Serdes.String, Serdes.String);
        var summaries = driver.CreateOutputTopic(ClickSummaries.Summaries, Serdes.String, Serdes.Int32);

        clicks.PipeInput("ann", "/home", timestamp: 1_000);
        clicks.PipeInput("bob", "/home", timestamp: 4_000);
        clicks.PipeInput("ann", "/about", timestamp: 9_999);
        Assert.True(summaries.IsEmpty);

        clicks.PipeInput("ann", "/cart", timestamp: 10_500); // reaches 10 s: the summary includes this record
        Assert.Equal([new("ann", 3), new KeyValuePair<string?, int>("bob", 1)], summaries.ReadKeyValuesToList());

        clicks.PipeInput("bob", "/cart", timestamp: 12_000);
        clicks.PipeInput("bob", "/home", timestamp: 45_000); // a jump over 20 s and 30 s: one summary
        Assert.Equal([new KeyValuePair<string?, int>("bob", 2)], summaries.ReadKeyValuesToList());

        clicks.PipeInput("ann", "/home", timestamp: 2_000); // late: stream time stays at 45 s
        Assert.True(summaries.IsEmpty);
        Assert.Equal(TimeSpan.Zero, driver.WallClockTime - DateTimeOffset.UnixEpoch); // piping never moves the wall clock
    }

    [Fact]
    public void Punctuation_outputs_carry_the_stream_time_or_wall_clock_time_it_fired_at()
    {
        var driver = new TopologyTestDriver(ClickSummaries.Definition, initialWallClockTime: Start);
        var clicks = driver.CreateInputTopic(ClickSummaries.Clicks, Serdes.String, Serdes.String);
        var summaries = driver.CreateOutputTopic(ClickSummaries.Summaries, Serdes.String, Serdes.Int32);
        var heartbeats = driver.CreateOutputTopic(ClickSummaries.Heartbeats, Serdes.String, Serdes.Int64);
        var counts = driver.CreateOutputTopic(ClickSummaries.HeartbeatCounts, Serdes.String, Serdes.Int64);

        clicks.PipeInput("ann", "/home", timestamp: 3_000);
        clicks.PipeInput("ann", "/home", timestamp: 27_000);
        driver.AdvanceWallClockTime(TimeSpan.FromMinutes(1));

        Assert.Equal(new TestRecord<string, int>("ann", 2, 27_000), summaries.ReadRecord());
        var now = Start.AddMinutes(1).ToUnixTimeMilliseconds();
        Assert.Equal(new TestRecord<string, long>(null, now, now), heartbeats.ReadRecord());
        Assert.Equal(new TestRecord<string, long>("beats", 1, now), counts.ReadRecord()); // inherited across the repartition topic
    }

    [Fact]
    public void Wall_clock_punctuation_fires_only_when_the_test_advances_the_clock_and_its_outputs_cross_topics()
    {
        var driver = new TopologyTestDriver(ClickSummaries.Definition, initialWallClockTime: Start);
        var clicks = driver.CreateInputTopic(ClickSummaries.Clicks, Serdes.String, Serdes.String);
        var heartbeats = driver.CreateOutputTopic(ClickSummaries.Heartbeats, Serdes.String, Serdes.Int64);
        var counts = driver.CreateOutputTopic(ClickSummaries.HeartbeatCounts, Serdes.String, Serdes.Int64);

        clicks.PipeInput("ann", "/home", timestamp: 5_000_000_000_000); // stream time far ahead: the wall clock does not follow
        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(59));
        Assert.True(heartbeats.IsEmpty);

        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(1));
        var beat = Assert.Single(heartbeats.ReadKeyValuesToList());
        Assert.Null(beat.Key); // the output keeps the key, and a punctuation has none (not "ann")
        Assert.Equal(Start.AddMinutes(1).ToUnixTimeMilliseconds(), beat.Value);
        Assert.Equal([new KeyValuePair<string?, long>("beats", 1)], counts.ReadKeyValuesToList()); // through the repartition topic

        driver.AdvanceWallClockTime(TimeSpan.FromMinutes(5)); // five intervals at once: one heartbeat
        Assert.Equal([Start.AddMinutes(6).ToUnixTimeMilliseconds()], heartbeats.ReadKeyValuesToList().Select(h => h.Value));
        Assert.Equal([new KeyValuePair<string?, long>("beats", 2)], counts.ReadKeyValuesToList());
        Assert.Equal(Start.AddMinutes(6), driver.WallClockTime);
    }

    [Fact]
    public void The_clock_only_moves_forward()
    {
        var driver = new TopologyTestDriver(ClickSummaries.Definition);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.AdvanceWallClockTime(TimeSpan.FromSeconds(-1)));
    }
}
