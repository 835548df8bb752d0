using Confluent.Kafka;
using Streams.Generated.Kafka;

namespace Streams.Generated.Tests.Runtime;

public class RecordBufferTests
{
    private static RecordBuffer Create(long pause = 1 << 20, long resume = 1 << 19, bool headers = false) =>
        new(new TopicPartition("in", new Partition(3)), pause, resume, headers);

    [Fact]
    public void Records_come_out_in_order_with_their_bytes_nulls_and_empty_values()
    {
        using var buffer = Create();
        buffer.Append(10, 100, [1, 2], false, [3], false, null);
        buffer.Append(11, 101, default, true, default, true, null);
        buffer.Append(12, 102, [], false, [], false, null);
        Assert.Equal(0, buffer.Readable); // appended, not published
        Assert.False(buffer.Flush());
        Assert.Equal(3, buffer.Readable);

        Assert.Equal(100, buffer.HeadTimestamp);
        var first = buffer.Take(out _);
        Assert.Equal(("in", 3, 10L, 100L), (first.Context.Topic, first.Context.Partition, first.Context.Offset, first.Context.Timestamp));
        Assert.Equal([1, 2], first.Key!.Value.ToArray());
        Assert.Equal([3], first.Value!.Value.ToArray());
        var second = buffer.Take(out _);
        Assert.Null(second.Key);
        Assert.Null(second.Value);
        var third = buffer.Take(out _);
        Assert.Equal(0, third.Key!.Value.Length);
        Assert.Equal(0, third.Value!.Value.Length);
        Assert.False(buffer.EndRead());
        Assert.Equal(0, buffer.Readable);
        Assert.Equal(0, buffer.BufferedBytes);
    }

    [Fact]
    public void Records_published_during_a_read_are_read_after_it_and_large_records_stay_whole()
    {
        using var buffer = Create();
        var large = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        long offset = 0;
        var taken = new List<long>();
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 7; i++) buffer.Append(offset++, offset, [(byte)i], false, i == 3 ? large : [(byte)round], false, null);
            buffer.Flush();
            // Take some, not all, then publish more before ending the read.
            for (var i = 0; i < 5; i++)
            {
                var record = buffer.Take(out _);
                taken.Add(record.Context.Offset);
                if (record.Value!.Value.Length > 1) Assert.Equal(large, record.Value.Value.ToArray());
            }
            buffer.EndRead();
        }
        while (buffer.Readable > 0) taken.Add(buffer.Take(out _).Context.Offset);
        buffer.EndRead();
        Assert.Equal(Enumerable.Range(0, 350).Select(i => (long)i), taken);
    }

    [Fact]
    public void Passing_the_pause_threshold_pauses_and_draining_under_the_resume_threshold_resumes_without_losing_records()
    {
        using var buffer = Create(pause: 1000, resume: 500);
        var value = new byte[76]; // 100-byte frames
        for (var i = 0; i < 9; i++) buffer.Append(i, i, default, true, value, false, null);
        Assert.False(buffer.Flush()); // 900 bytes: under the threshold
        buffer.Append(9, 9, default, true, value, false, null);
        Assert.True(buffer.Flush()); // 1000 bytes: paused
        Assert.True(buffer.IsPaused);

        // What arrives while paused is kept, not published.
        buffer.Append(10, 10, default, true, value, false, null);
        Assert.False(buffer.Flush());
        Assert.Equal(10, buffer.Readable);
        Assert.Equal(1100, buffer.BufferedBytes);

        for (var i = 0; i < 4; i++) buffer.Take(out _);
        Assert.False(buffer.EndRead()); // 600 left: still paused
        buffer.Take(out _);
        buffer.Take(out _);
        Assert.True(buffer.EndRead()); // 400 left: resumed, and the waiting record is published
        Assert.False(buffer.IsPaused);
        Assert.Equal(5, buffer.Readable);
        var offsets = new List<long>();
        while (buffer.Readable > 0) offsets.Add(buffer.Take(out _).Context.Offset);
        Assert.Equal([6L, 7, 8, 9, 10], offsets);
    }

    [Fact]
    public void Headers_travel_with_their_records_when_kept()
    {
        using var buffer = Create(headers: true);
        var headers = new Headers { { "h", [1] } };
        buffer.Append(0, 0, default, true, [1], false, headers);
        buffer.Append(1, 0, default, true, [2], false, null);
        buffer.Flush();
        buffer.Take(out var first);
        buffer.Take(out var second);
        Assert.Same(headers, first);
        Assert.Null(second);
    }
}
