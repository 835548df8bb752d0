using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Generated.EndToEnd;

/// <summary>Record latency percentiles of one run, in milliseconds.</summary>
public sealed record LatencyResult(Scenario Scenario, Implementation Implementation, int Measured, double SentPerSecond, double P50, double P99, double P999, double Max);

/// <summary>
/// Record latency at a fixed, moderate rate: a producer writes the input at <c>rate</c> records/s, each stamped with
/// its send time (the record timestamp, which outputs inherit in both implementations); a consumer of the output topic
/// takes arrival time minus timestamp. Records sent during the warm-up are not counted. Timestamps are whole
/// milliseconds (truncated), so every latency reads up to 1 ms high, the same for both implementations.
/// </summary>
public static class LatencyRun
{
    public static async Task<LatencyResult> RunAsync(
        Scenario scenario, Implementation implementation, RunSettings settings, int rate, TimeSpan duration, TimeSpan warmUp)
    {
        var records = (int)(rate * duration.TotalSeconds);
        var input = Workload.Input(records);
        var expected = OutputCheck.For(scenario, records).ExpectedCount;
        using var kafka = ClusterTools.StartCluster(scenario, settings);
        var assigned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pipeline = IPipeline.Create(scenario, implementation, kafka, settings);
        await pipeline.StartAsync(() => assigned.TrySetResult());
        await assigned.Task.WaitAsync(settings.Timeout);

        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "e2e-latency-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = ClientSettings.FetchWaitMaxMs,
        }).Build();
        consumer.Assign(Enumerable.Range(0, settings.Partitions).Select(p => new TopicPartitionOffset(Topics.Output, p, Offset.Beginning)));
        var latencies = new List<double>((int)expected);
        var measureFrom = 0L;
        var received = 0L;
        var receiver = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            while (received < expected && clock.Elapsed < duration + settings.Timeout)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { Message: { } message }) continue;
                var arrived = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
                received++;
                var sent = message.Timestamp.UnixTimestampMs;
                if (sent >= Volatile.Read(ref measureFrom)) latencies.Add(arrived - sent);
            }
        }) { Name = "latency-receiver" };

        Volatile.Write(ref measureFrom, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)warmUp.TotalMilliseconds);
        receiver.Start();
        var sentPerSecond = ProduceAtRate(kafka.BootstrapServers, input, rate);
        receiver.Join();
        await pipeline.StopAsync();

        if (received != expected || latencies.Count == 0)
            throw new InvalidOperationException($"{implementation.Name()} {scenario.Name()}: {received} of {expected} output records arrived.");
        latencies.Sort();
        return new LatencyResult(scenario, implementation, latencies.Count, sentPerSecond,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), Percentile(latencies, 0.999), latencies[^1]);
    }

    /// <summary>Sends due records each millisecond (sleeping between), so the rate is steady, not bursty.</summary>
    private static double ProduceAtRate(string bootstrapServers, (byte[] Key, byte[] Value)[] input, int rate)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 0, // the input side adds no batching delay of its own
            DeliveryReportFields = "none",
        }).Build();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < input.Length)
        {
            var due = Math.Min(input.Length, (int)(clock.Elapsed.TotalSeconds * rate));
            for (; sent < due; sent++)
            {
                var timestamp = new Timestamp(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), TimestampType.CreateTime);
                producer.Produce(Topics.Input, new Message<byte[], byte[]> { Key = input[sent].Key, Value = input[sent].Value, Timestamp = timestamp });
            }
            Thread.Sleep(1);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        producer.Flush(TimeSpan.FromSeconds(30));
        return input.Length / seconds;
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
}
