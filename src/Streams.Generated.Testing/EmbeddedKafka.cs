using Streams.Generated.Kafka;
using Streams.Generated.Testing.Native;

namespace Streams.Generated.Testing;

/// <summary>
/// An in-process Kafka cluster for tests and local runs: librdkafka's built-in mock cluster, from the native librdkafka
/// that Confluent.Kafka ships (<c>librdkafka.redist</c>). It speaks the Kafka protocol on 127.0.0.1 TCP ports, so
/// ordinary Confluent.Kafka clients (and tools such as kcat) connect to <see cref="BootstrapServers"/>.
/// </summary>
/// <remarks>
/// <para>What works: produce (including idempotent), fetch, topic metadata and auto-creation, consumer groups with
/// rebalancing and committed offsets. Group joins complete without the usual initial 3 s delay.</para>
/// <para>Limits (it is a mock, not a broker; verify guarantees against real Apache Kafka):</para>
/// <list type="bullet">
/// <item>Each partition keeps at most ~5 MiB of record batches (and at most 100,000 batches): past that it silently
/// drops its oldest data and advances the partition's start offset. Keep every partition well under that (more
/// partitions, keyed records) and verify record counts, or results are void.</item>
/// <item>Transactions are accepted but not enforced: <c>SendOffsetsToTransaction</c> stores nothing and
/// <c>read_committed</c> consumers also see aborted records. Exactly-once cannot be verified on it.</item>
/// <item>No log compaction, no retention settings, no topic configs.</item>
/// <item>The Admin API <c>CreateTopics</c> is not supported: create topics with <see cref="CreateTopic"/>.
/// <c>ListConsumerGroups</c> can abort the process: do not call it.</item>
/// <item>Nothing survives <see cref="Dispose"/> or the process; a cluster that is never disposed lives until the
/// process exits.</item>
/// <item>Linux only: it binds to the librdkafka that Confluent.Kafka loaded by finding it in <c>/proc/self/maps</c>;
/// elsewhere <see cref="Start"/> throws <see cref="PlatformNotSupportedException"/>.</item>
/// </list>
/// <para>Thread-safe: topics may be created from any thread.</para>
/// </remarks>
/// <example>
/// <code>
/// using var kafka = EmbeddedKafka.Start(brokers: 3);
/// kafka.CreateTopic("orders", partitions: 4);
/// using var producer = new ProducerBuilder&lt;string, string&gt;(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
/// </code>
/// </example>
public sealed class EmbeddedKafka : ITopicCreator, IDisposable
{
    private readonly LibrdkafkaMock _native;
    private readonly Lock _lock = new();
    private nint _handle;
    private nint _cluster;

    private EmbeddedKafka(LibrdkafkaMock native, nint handle, nint cluster, int brokers)
    {
        _native = native;
        _handle = handle;
        _cluster = cluster;
        Brokers = brokers;
        BootstrapServers = native.ClusterBootstraps(cluster);
    }

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers (ids 1..n), each on its own 127.0.0.1 port.</summary>
    /// <param name="brokers">Number of brokers, at least 1.</param>
    /// <returns>The running cluster; dispose it to stop it.</returns>
    /// <exception cref="PlatformNotSupportedException">The native librdkafka cannot be located (not Linux) or lacks the mock API.</exception>
    /// <exception cref="InvalidOperationException">librdkafka failed to create the cluster.</exception>
    public static EmbeddedKafka Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var native = LibrdkafkaMock.Instance;
        var handle = native.CreateHandle("streams-generated-embedded-kafka");
        var cluster = native.ClusterNew(handle, brokers);
        if (cluster == 0)
        {
            native.DestroyHandle(handle);
            throw new InvalidOperationException($"rd_kafka_mock_cluster_new({brokers}) failed (see librdkafka's log on stderr), using {native.LibraryPath}.");
        }
        // The mock's group coordinator otherwise delays the first join ~3 s, like a real broker's
        // group.initial.rebalance.delay.ms; tests and the quickstart want the group to form at once.
        native.GroupInitialRebalanceDelayMs(cluster, 0);
        return new EmbeddedKafka(native, handle, cluster, brokers);
    }

    /// <summary>The <c>bootstrap.servers</c> value for clients, e.g. <c>127.0.0.1:38761,127.0.0.1:41235</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers in the cluster.</summary>
    public int Brokers { get; }

    /// <summary>
    /// Creates <paramref name="name"/> with <paramref name="partitions"/> partitions, leaders spread over the brokers.
    /// Creation is synchronous: the topic is in the cluster's metadata when this returns.
    /// </summary>
    /// <param name="name">A legal Kafka topic name (ASCII letters, digits, '.', '_', '-'; at most 249 characters).</param>
    /// <param name="partitions">Partition count, at least 1.</param>
    /// <param name="replicationFactor">Replicas per partition, 1..<see cref="Brokers"/> (replicas are bookkeeping only in the mock).</param>
    /// <returns><see langword="true"/> if created; <see langword="false"/> if a topic of that name already existed (it is
    /// left unchanged, whatever its partition count).</returns>
    /// <exception cref="ArgumentException">Invalid name, partition count or replication factor.</exception>
    /// <exception cref="ObjectDisposedException">The cluster was disposed.</exception>
    /// <exception cref="InvalidOperationException">The mock refused the topic; the message names librdkafka's error.</exception>
    public bool CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ValidateTopicName(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        // Kafka rejects more replicas than brokers (INVALID_REPLICATION_FACTOR); the mock would silently clamp.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, Brokers);

        int err;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_cluster == 0, this);
            err = _native.TopicCreate(_cluster, name, partitions, replicationFactor);
        }
        if (err == 0) return true;
        if (err == LibrdkafkaMock.ErrTopicAlreadyExists) return false;
        throw new InvalidOperationException($"Creating topic '{name}' ({partitions} partitions) on the embedded Kafka cluster failed: {_native.DescribeError(err)}.");
    }

    /// <summary>Creates the topic with replication factor 1; a topic that already exists is left as it is.</summary>
    void ITopicCreator.CreateTopic(string name, int partitions) => CreateTopic(name, partitions);

    /// <summary>
    /// Stops the cluster: closes its listeners and client connections and frees all its data. Clients still connected
    /// see broker-down errors. Idempotent.
    /// </summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_cluster == 0) return;
            _native.ClusterDestroy(_cluster);
            _native.DestroyHandle(_handle);
            _cluster = 0;
            _handle = 0;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"EmbeddedKafka({Brokers} broker(s) at {BootstrapServers})";

    private static void ValidateTopicName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 249 || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a legal Kafka topic name.", nameof(name));
        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'))
                throw new ArgumentException($"'{name}' is not a legal Kafka topic name: only ASCII letters, digits, '.', '_' and '-' are allowed.", nameof(name));
        }
    }
}
