using Confluent.Kafka;

namespace Streams.Generated.EndToEnd;

/// <summary>
/// The client configuration of the hand-written loop: the values the runtime sets (StreamThread.BuildConsumer and
/// BuildProducer), written out, plus three consumer settings that both sides get because of the mock and librdkafka's
/// defaults (the constants below). <see cref="CheckRuntimeConsumer"/> and <see cref="CheckRuntimeProducer"/> compare
/// them with what the runtime actually configured in every Streams.Generated run, so the two cannot drift apart unnoticed.
/// </summary>
public static class ClientSettings
{
    /// <summary>The mock cluster ends a rebalance only after session.timeout.ms - 1 s: keep it short (both sides).</summary>
    public const int SessionTimeoutMs = 6000;

    /// <summary>
    /// The mock answers a fetch that finds no data only after fetch.wait.max.ms (500 by default), even when data
    /// arrives meanwhile (a real broker answers as soon as it has data): a caught-up consumer would see new records
    /// up to 500 ms late. Short waits keep the latency runs about the pipelines, not the mock (both sides).
    /// </summary>
    public const int FetchWaitMaxMs = 5;

    /// <summary>
    /// librdkafka's default (1000 ms) stops fetching a partition for a whole second once the prefetch queue is full
    /// (queued.max.messages.kbytes, 64 MiB with per-message overhead): a consumer that drains the queue faster than
    /// that then sits idle. Measured here: consume-only 232k records/s with the default, 734k with 10 ms; every
    /// pipeline would be measured waiting on the backoff instead of working (both sides).
    /// </summary>
    public const int FetchQueueBackoffMs = 10;

    // Identity, not behaviour: each client names itself.
    private static readonly HashSet<string> NotCompared = ["client.id", "group.id", "enable.auto.commit"];

    /// <summary>
    /// The runtime's assignor: cooperative-sticky, except where a task reads several topics (the join: input and table),
    /// which takes range, because cooperative-sticky does not give partition p of each topic to the same consumer.
    /// </summary>
    public static PartitionAssignmentStrategy AssignmentStrategy(Scenario scenario) =>
        scenario == Scenario.Join ? PartitionAssignmentStrategy.Range : PartitionAssignmentStrategy.CooperativeSticky;

    public static ConsumerConfig Consumer(string bootstrapServers, string groupId, Scenario scenario) => new()
    {
        BootstrapServers = bootstrapServers,
        ClientId = groupId + "-consumer",
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        PartitionAssignmentStrategy = AssignmentStrategy(scenario),
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AllowAutoCreateTopics = false,
        ConsumeResultFields = "topic,timestamp",
        SessionTimeoutMs = SessionTimeoutMs,
        FetchWaitMaxMs = FetchWaitMaxMs,
        FetchQueueBackoffMs = FetchQueueBackoffMs,
    };

    public static ProducerConfig Producer(string bootstrapServers, string clientId) => new()
    {
        BootstrapServers = bootstrapServers,
        ClientId = clientId + "-producer",
        Acks = Acks.All,
        EnableIdempotence = true,
        Partitioner = Partitioner.Murmur2Random,
        DeliveryReportFields = "none",
    };

    /// <summary>What the Streams.Generated runs change on top of the runtime's defaults (nothing else; see the constants).</summary>
    public static void ConfigureRuntimeConsumer(ConsumerConfig config)
    {
        config.SessionTimeoutMs = SessionTimeoutMs;
        config.FetchWaitMaxMs = FetchWaitMaxMs;
        config.FetchQueueBackoffMs = FetchQueueBackoffMs;
    }

    /// <summary>Throws unless the runtime's consumer settings for <paramref name="scenario"/> equal <see cref="Consumer"/>'s.</summary>
    public static void CheckRuntimeConsumer(ConsumerConfig runtime, Scenario scenario) =>
        CheckSame("consumer", runtime, Consumer(runtime.BootstrapServers, "any", scenario));

    /// <summary>Throws unless the runtime's producer settings equal <see cref="Producer"/>'s.</summary>
    public static void CheckRuntimeProducer(ProducerConfig runtime) =>
        CheckSame("producer", runtime, Producer(runtime.BootstrapServers, "any"));

    private static void CheckSame(string client, IEnumerable<KeyValuePair<string, string>> runtime, IEnumerable<KeyValuePair<string, string>> handWritten)
    {
        var ours = Settings(runtime);
        var theirs = Settings(handWritten);
        var differences = ours.Keys.Union(theirs.Keys)
            .Where(key => ours.GetValueOrDefault(key) != theirs.GetValueOrDefault(key))
            .Select(key => $"{key}: runtime '{ours.GetValueOrDefault(key)}', hand-written '{theirs.GetValueOrDefault(key)}'")
            .ToList();
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"The hand-written loop's {client} settings no longer match the runtime's (update ClientSettings): {string.Join("; ", differences)}.");
    }

    private static Dictionary<string, string> Settings(IEnumerable<KeyValuePair<string, string>> config) =>
        config.Where(kv => !NotCompared.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
}
