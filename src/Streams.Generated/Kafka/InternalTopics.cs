using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>
/// Partition counts of internal topics, by Kafka Streams' rules: a repartition topic in a co-partition group (a join's
/// stream side) gets the partition count of the group's external topics, which must agree; any other gets as many
/// partitions as the largest source topic of the sub-topology that writes it (several writers: the largest over all of
/// them). Internal topics read by writers resolve first, so chains of repartition topics work.
/// </summary>
internal static class InternalTopicPlanner
{
    /// <param name="topology">The topology.</param>
    /// <param name="applicationId">Prefix of internal topic names.</param>
    /// <param name="externalPartitions">Partition count of every external source topic, by name.</param>
    /// <returns>Partition count by full internal topic name.</returns>
    /// <exception cref="StreamsException">
    /// An internal topic has no writer whose partition count can be known, or the topics of a co-partition group have
    /// different partition counts.
    /// </exception>
    public static Dictionary<string, int> Plan(TopologyDefinition topology, string applicationId, IReadOnlyDictionary<string, int> externalPartitions)
    {
        var planned = new Dictionary<string, int>(StringComparer.Ordinal);
        var pending = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subtopology in topology.Subtopologies)
        {
            foreach (var topic in subtopology.Sinks)
                if (topic.IsInternal) pending.Add(TopologyDefinition.ResolveTopic(topic, applicationId));
            foreach (var topic in subtopology.Sources)
                if (topic.IsInternal) pending.Add(TopologyDefinition.ResolveTopic(topic, applicationId));
        }

        foreach (var subtopology in topology.Subtopologies)
        {
            foreach (var group in subtopology.CopartitionGroups)
            {
                var count = CheckCopartitioned(topology, subtopology, group, applicationId, externalPartitions);
                if (count is null) continue;
                foreach (var index in group)
                {
                    if (!subtopology.Sources[index].IsInternal) continue;
                    var name = TopologyDefinition.ResolveTopic(subtopology.Sources[index], applicationId);
                    planned[name] = count.Value;
                    pending.Remove(name);
                }
            }
        }

        // Fixed point: each round resolves the internal topics all of whose writers have fully known sources.
        while (pending.Count > 0)
        {
            var progress = false;
            foreach (var topic in pending.ToArray())
            {
                var max = 0;
                var writers = 0;
                var known = true;
                foreach (var subtopology in topology.Subtopologies)
                {
                    if (!Writes(subtopology, topic, applicationId)) continue;
                    writers++;
                    foreach (var source in subtopology.Sources)
                    {
                        var name = TopologyDefinition.ResolveTopic(source, applicationId);
                        if (source.IsInternal ? planned.TryGetValue(name, out var n) : externalPartitions.TryGetValue(name, out n))
                            max = Math.Max(max, n);
                        else
                            known = false;
                    }
                }
                if (writers == 0)
                    throw new StreamsException($"Internal topic '{topic}' is read but no sub-topology writes it.");
                if (!known || max == 0) continue;
                planned[topic] = max;
                pending.Remove(topic);
                progress = true;
            }
            if (!progress)
                throw new StreamsException($"Cannot determine the partition count of internal topic(s) {string.Join(", ", pending)}: they are only fed by each other.");
        }
        foreach (var subtopology in topology.Subtopologies)
            foreach (var group in subtopology.CopartitionGroups)
                CheckCopartitioned(topology, subtopology, group, applicationId, planned);
        return planned;
    }

    /// <summary>
    /// The partition count the known topics of a co-partition group share (internal topics are known once planned), or
    /// null if none is known yet.
    /// </summary>
    /// <exception cref="StreamsException">Two of them differ: the join would miss matches, so the app must not start.</exception>
    private static int? CheckCopartitioned(TopologyDefinition topology, SubtopologyDefinition subtopology, IReadOnlyList<int> group,
        string applicationId, IReadOnlyDictionary<string, int> known)
    {
        var counts = new List<(string Topic, int Partitions)>();
        foreach (var index in group)
        {
            var name = TopologyDefinition.ResolveTopic(subtopology.Sources[index], applicationId);
            if (known.TryGetValue(name, out var n)) counts.Add((name, n));
        }
        if (counts.Count == 0) return null;
        if (counts.Any(c => c.Partitions != counts[0].Partitions))
            throw new StreamsException(
                $"Topics {string.Join(", ", counts.Select(c => $"'{c.Topic}' ({c.Partitions} partitions)"))} are joined in sub-topology {subtopology.Id} " +
                $"of '{topology.Name}' but are not co-partitioned: a join needs the same number of partitions on both sides, so that equal keys " +
                "meet in one task. Give them the same partition count (for example, copy one side into a topic with the other's count).");
        return counts[0].Partitions;
    }

    private static bool Writes(SubtopologyDefinition subtopology, string topic, string applicationId)
    {
        foreach (var sink in subtopology.Sinks)
            if (sink.IsInternal && TopologyDefinition.ResolveTopic(sink, applicationId) == topic) return true;
        return false;
    }
}

/// <summary>
/// Startup checks against the cluster: reachable within the startup timeout, every input topic exists, every internal
/// topic exists with the planned partition count (created if missing).
/// </summary>
internal sealed class InternalTopicManager(
    IAdminClient admin,
    ITopicCreator creator,
    string bootstrapServers,
    TimeSpan timeout,
    ILogger logger)
{
    /// <summary>Ensures topics; returns partition counts of every source topic.</summary>
    public Dictionary<string, int> EnsureTopics(TopologyDefinition topology, string applicationId, Func<bool> stopRequested, string? deadLetterTopic = null)
    {
        var started = Stopwatch.GetTimestamp();
        var existing = ReadTopics(timeout);

        var external = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var topic in topology.InputTopics)
        {
            if (existing.TryGetValue(topic, out var n)) external[topic] = n;
            else missing.Add(topic);
        }
        if (missing.Count > 0)
            throw new StreamsException(
                $"Input topic(s) {string.Join(", ", missing.Select(t => $"'{t}'"))} do not exist on the cluster at {bootstrapServers}. " +
                $"Create them before starting application '{applicationId}'.");
        if (deadLetterTopic is not null && !existing.ContainsKey(deadLetterTopic))
            throw new StreamsException(
                $"The dead-letter topic '{deadLetterTopic}' (StreamsOptions.DeadLetterTopic) does not exist on the cluster at {bootstrapServers}. " +
                $"Create it before starting application '{applicationId}'.");

        var planned = InternalTopicPlanner.Plan(topology, applicationId, external);
        var created = new List<string>();
        foreach (var (topic, partitions) in planned)
        {
            if (existing.TryGetValue(topic, out var actual))
            {
                CheckPartitions(topic, actual, partitions);
                continue;
            }
            try
            {
                creator.CreateTopic(topic, partitions);
                Log.InternalTopicCreated(logger, topic, partitions);
            }
            catch (Exception e)
            {
                // Another instance may have created it first; the metadata check below decides.
                Log.InternalTopicCreateFailed(logger, topic, e.Message);
            }
            created.Add(topic);
        }

        // Wait until created topics are visible with their partitions (a fresh topic may take a moment).
        while (created.Count > 0)
        {
            if (stopRequested()) break;
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
                throw new StreamsException($"Internal topic(s) {string.Join(", ", created)} did not appear on the cluster at {bootstrapServers} within {timeout.TotalSeconds:0.#} s.");
            existing = ReadTopics(remaining);
            created.RemoveAll(topic => existing.TryGetValue(topic, out var actual) && CheckPartitions(topic, actual, planned[topic]));
            if (created.Count > 0) Thread.Sleep(50);
        }

        foreach (var (topic, partitions) in planned) external[topic] = partitions;
        return external;
    }

    private static bool CheckPartitions(string topic, int actual, int expected)
    {
        if (actual != expected)
            throw new StreamsException(
                $"Internal topic '{topic}' has {actual} partitions, but the topology needs {expected} (the partition count of the topics that feed it). " +
                "Delete the internal topic (it is re-created) or restore the input topics' partition counts.");
        return true;
    }

    private Dictionary<string, int> ReadTopics(TimeSpan wait)
    {
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(wait);
        }
        catch (KafkaException e)
        {
            throw new StreamsException(
                $"Cannot reach the Kafka cluster at {bootstrapServers} within {wait.TotalSeconds:0.#} s: {e.Error.Reason} ({e.Error.Code}).", e);
        }
        var topics = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in metadata.Topics)
            if (!topic.Error.IsError && topic.Partitions.Count > 0)
                topics[topic.Topic] = topic.Partitions.Count;
        return topics;
    }
}

/// <summary>
/// The default <see cref="ITopicCreator"/>: creates topics with the Kafka Admin API (<c>CreateTopics</c>). A topic that
/// already exists is not an error.
/// </summary>
public sealed class AdminClientTopicCreator : ITopicCreator
{
    private readonly IAdminClient _admin;
    private readonly short _replicationFactor;
    private readonly TimeSpan _timeout;

    /// <summary>Creates topics through <paramref name="admin"/> (not owned: the caller disposes it).</summary>
    /// <param name="admin">A connected admin client.</param>
    /// <param name="replicationFactor">Replication factor of created topics; -1 means the broker's default.</param>
    /// <param name="timeout">How long one creation may take.</param>
    public AdminClientTopicCreator(IAdminClient admin, short replicationFactor = -1, TimeSpan? timeout = null)
    {
        _admin = admin;
        _replicationFactor = replicationFactor;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    /// <inheritdoc/>
    public void CreateTopic(string name, int partitions)
    {
        try
        {
            // Called from the stream thread during startup, never from a synchronization context: blocking is safe.
            _admin.CreateTopicsAsync(
                    [new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = _replicationFactor }],
                    new CreateTopicsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout })
                .GetAwaiter().GetResult();
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }
    }
}
