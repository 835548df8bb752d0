using Streams.Generated.Kafka;

namespace Streams.Generated.Tests.Runtime;

public class RecordCollectorTests
{
    private readonly FakeProducer _producer = new();
    private readonly DeliveryTracker _deliveries = new();
    private readonly RecordCollector _collector;

    public RecordCollectorTests() => _collector = new RecordCollector(_producer, _deliveries);

    [Fact]
    public void Copies_the_spans_and_keeps_nulls_null()
    {
        byte[] key = [1, 2];
        byte[] value = [3];

        _collector.Send("out", key, false, value, false, 42);
        _collector.Send("out", default, true, default, true, 43);
        key[0] = 9;

        Assert.Equal([1, 2], _producer.Sent[0].Key);
        Assert.Equal([3], _producer.Sent[0].Value);
        Assert.Equal(42, _producer.Sent[0].Timestamp);
        Assert.Null(_producer.Sent[1].Key);
        Assert.Null(_producer.Sent[1].Value);
        Assert.Equal(2, _deliveries.InFlight);
    }

    [Fact]
    public void An_empty_value_is_not_a_null_value()
    {
        _collector.Send("out", default, true, ReadOnlySpan<byte>.Empty, false, 0);
        Assert.NotNull(_producer.Sent[0].Value);
        Assert.Empty(_producer.Sent[0].Value!);
    }

    [Fact]
    public void A_full_queue_is_waited_out_not_dropped()
    {
        _producer.QueueFullTimes = 3;
        _producer.AcknowledgeOnFlush = false;

        _collector.Send("out", [1], false, [2], false, 0);

        Assert.Single(_producer.Sent);
        Assert.Equal(3, _producer.FlushCalls);
        Assert.Equal(1, _deliveries.InFlight);
    }

    [Fact]
    public void A_produce_error_propagates_and_is_not_counted_in_flight()
    {
        _producer.ThrowOnProduce = new StreamsException("cannot produce");

        Assert.Throws<StreamsException>(() => _collector.Send("out", [1], false, [2], false, 0));
        Assert.Equal(0, _deliveries.InFlight);
    }

    [Fact]
    public void Delivery_reports_settle_the_in_flight_count_and_keep_the_first_error()
    {
        _producer.DeliveryError = topic => topic == "bad" ? Confluent.Kafka.ErrorCode.TopicAuthorizationFailed : Confluent.Kafka.ErrorCode.NoError;
        _collector.Send("good", [1], false, [2], false, 0);
        _collector.Send("bad", [1], false, [2], false, 0);
        _collector.Send("bad", [1], false, [2], false, 0);

        _producer.AcknowledgeAll();

        Assert.Equal(0, _deliveries.InFlight);
        Assert.NotNull(_deliveries.FirstError);
        Assert.Contains("'bad'", _deliveries.FirstError!.Message);
    }
}
