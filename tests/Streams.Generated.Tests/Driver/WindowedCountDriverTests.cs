using Streams.Generated.Serialization;
using Streams.Generated.Stores;
using Streams.Generated.Testing;
using Streams.Generated.Tests.Topologies;

namespace Streams.Generated.Tests.Driver;

/// <summary>Windowed counts (tumbling, hopping, grace, emit final) through the generated code of <see cref="PageViews"/>.</summary>
public class WindowedCountDriverTests : IDisposable
{
    private readonly TopologyTestDriver _driver = new(PageViews.Definition);
    private readonly TestInputTopic<string, string> _views;

    public WindowedCountDriverTests() => _views = _driver.CreateInputTopic(PageViews.Views, Serdes.String, Serdes.String);

    public void Dispose() => _driver.Dispose();

    private TestOutputTopic<Windowed<string>, long> Output(string topic, long windowSize) =>
        _driver.CreateOutputTopic(topic, new TimeWindowedSerde<string>(Serdes.String, windowSize), Serdes.Int64);

    private static Windowed<string> W(string page, long startSeconds, long sizeSeconds) => new(page, startSeconds * 1000, (startSeconds + sizeSeconds) * 1000);

    [Fact]
    public void Tumbling_windows_count_every_update_per_page_and_minute()
    {
        var perMinute = Output(PageViews.PerMinute, 60_000);

        _views.PipeInput("ada", "home", 0);
        _views.PipeInput("bob", "home", 59_999);
        _views.PipeInput("cy", "shop", 30_000);
        _views.PipeInput("ada", "home", 60_000);

        Assert.Equal(
        [
            new(W("home", 0, 60), 1), new(W("home", 0, 60), 2), new(W("shop", 0, 60), 1), new(W("home", 60, 60), 1),
        ], perMinute.ReadKeyValuesToList());
        // Stream time 60 s closed the first minute (no grace): as in Kafka Streams, a window is kept for its size plus grace.
        Assert.Equal([new(W("home", 60, 60), 1)], _driver.GetWindowStore<string, long>("per-minute").Fetch("home", 0, 120_000));
    }

    [Fact]
    public void A_record_counts_in_every_hopping_window_that_contains_it()
    {
        var trending = Output(PageViews.Trending, 10_000);

        _views.PipeInput("ada", "home", 7_000);  // windows [0, 10) and [5, 15)
        _views.PipeInput("bob", "home", 12_000); // windows [5, 15) and [10, 20)

        Assert.Equal(
        [
            new(W("home", 0, 10), 1), new(W("home", 5, 10), 1),
            new(W("home", 5, 10), 2), new(W("home", 10, 10), 1),
        ], trending.ReadKeyValuesToList());
        Assert.Equal([2L, 1L], _driver.GetWindowStore<string, long>("hopping").Fetch("home", 5_000, 10_000).Select(e => e.Value));
    }

    [Fact]
    public void A_record_within_the_grace_period_still_counts_and_a_later_one_is_dropped_and_reported()
    {
        var trending = Output(PageViews.Trending, 10_000);
        _views.PipeInput("ada", "home", 16_000); // stream time 16 s: [5, 15) closes at 15 + 5 = 20 s, [0, 10) has closed

        _views.PipeInput("bob", "home", 6_000);  // [0, 10) closed, [5, 15) still open: counted there only
        _views.PipeInput("cy", "home", 21_000);  // stream time 21 s: [5, 15) closes too
        _views.PipeInput("dan", "home", 9_000);  // every window of 9 s has closed: dropped

        Assert.Equal(
        [
            new(W("home", 10, 10), 1), new(W("home", 15, 10), 1),
            new(W("home", 5, 10), 1),
            new(W("home", 15, 10), 2), new(W("home", 20, 10), 1),
        ], trending.ReadKeyValuesToList());
        var dropped = Assert.Single(_driver.DroppedRecords, d => d.Processor == nameof(PageViews.Hopping));
        Assert.Equal(9_000, dropped.Record.Timestamp);
        Assert.Contains("late: every window of timestamp 9000 has closed (stream time 21000, hopping 10s advance 5s, grace 5000ms)", dropped.Reason);
    }

    [Fact]
    public void Emit_final_sends_one_count_per_page_and_window_when_stream_time_closes_it()
    {
        var final = Output(PageViews.Final, 10_000);

        _views.PipeInput("ada", "home", 1_000);
        _views.PipeInput("bob", "home", 2_000);
        _views.PipeInput("cy", "shop", 9_999);
        Assert.True(final.IsEmpty); // the window [0, 10) is still open

        _views.PipeInput("dan", "home", 10_000);

        var results = Enumerable.Range(0, 2).Select(_ => final.ReadRecord()).ToList();
        Assert.Equal([(W("home", 0, 10), 2L, 9_999L), (W("shop", 0, 10), 1L, 9_999L)], results.Select(r => (r.Key, r.Value, r.Timestamp)));
        Assert.True(final.IsEmpty);
        Assert.Equal(1, _driver.GetWindowStore<string, long>("final").Count); // only [10, 20) is left
    }

    [Fact]
    public void Closed_windows_leave_the_store_and_a_negative_timestamp_is_reported()
    {
        _views.PipeInput("ada", "home", 1_000);
        _views.PipeInput("bob", "home", 125_000);
        var store = _driver.GetWindowStore<string, long>("per-minute");
        Assert.Equal([W("home", 120, 60)], store.All().Select(e => e.Key));

        _driver.PipeInput(PageViews.Views, "eve"u8.ToArray(), "home"u8.ToArray(), timestamp: -1);

        Assert.Contains(_driver.DroppedRecords, d => d.Processor == nameof(PageViews.PerMinuteCount) && d.Reason.Contains("negative timestamp -1"));
    }

    [Fact]
    public void A_processor_downstream_receives_the_page_and_its_window()
    {
        var labelled = _driver.CreateOutputTopic(PageViews.Labelled, Serdes.String, Serdes.Int64);

        _views.PipeInput("ada", "home", 61_000);
        _views.PipeInput("bob", "home", 62_000);

        Assert.Equal([new("home@60-120s", 1L), new("home@60-120s", 2L)], labelled.ReadKeyValuesToList());
    }

    [Fact]
    public void A_windowed_count_without_an_output_keeps_its_store_for_queries()
    {
        _views.PipeInput("ada", "home", 1_000);
        _views.PipeInput("bob", "home", 2_000);

        Assert.True(_driver.GetWindowStore<string, long>("queried").TryGet("home", 0, out var views));
        Assert.Equal(2, views);
    }

    [Fact]
    public void Windowed_keys_are_written_as_Kafkas_time_windowed_serializer_writes_them()
    {
        _views.PipeInput("ada", "home", 61_000);

        var key = _driver.CreateOutputTopic(PageViews.PerMinute, Serdes.ByteArray, Serdes.Int64).ReadKeyValue().Key!;
        Assert.Equal([.. "home"u8, 0, 0, 0, 0, 0, 0, 0xEA, 0x60], key); // 60,000 ms big-endian
        Assert.Equal(W("home", 60, 60), new TimeWindowedSerde<string>(Serdes.String, 60_000).Deserialize(key));
    }
}
