using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streams.Generated.Serialization;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>What the stream thread reports to the <see cref="StreamsApp"/> that owns it.</summary>
internal interface IStreamThreadOwner
{
    void OnStarted(StreamThread thread);
    void SetState(StreamThread thread, StreamsState state);
    void SetAssignedTasks(StreamThread thread, string[] taskIds);
}

/// <summary>
/// The poll loop of one consumer and one producer, run on a dedicated thread: startup checks (the first thread of an
/// app only), then consume -> buffer -> process in timestamp order -> commit on an interval, with the tasks created and
/// closed by the consumer's rebalance callbacks (which run on this thread, inside <c>Consume</c>).
/// </summary>
internal sealed class StreamThread(
    int index,
    TopologyDefinition topology,
    StreamsOptions options,
    IReadOnlyDictionary<string, InputValueFormat> inputFormats,
    ILogger logger,
    IStreamThreadOwner owner,
    StreamsMetrics metrics)
{
    private readonly ThreadMetrics _metrics = metrics.AddThread(index);

    private volatile bool _stopRequested;
    private StreamsException? _fatalError;        // set from client error callbacks (any thread)
    private Exception? _callbackFailure;           // set from rebalance callbacks (this thread)
    private bool _failed;                          // after a failure, revocation no longer commits
    private volatile bool _killed;
    private readonly bool _cooperative = !topology.Subtopologies.Any(s => s.Sources.Count > 1);

    private PartitionAssignmentStrategy AssignmentStrategy =>
        _cooperative ? PartitionAssignmentStrategy.CooperativeSticky : PartitionAssignmentStrategy.Range;
    private int _assignments;                      // assignments seen (this thread only)
    private TaskManager? _tasks;
    private CommitManager? _commits;
    private DeliveryTracker? _deliveries;
    private readonly RecordStaging _staging = new();
    private readonly List<TopicPartition> _toPause = new();
    private readonly List<TopicPartition> _toResume = new();

    private string ApplicationId => options.ApplicationId;

    /// <summary>The thread's index within its app; thread 0 runs the startup checks.</summary>
    public int Index => index;

    /// <summary>Prefix of the client ids, as Kafka Streams names its threads' clients.</summary>
    private string ClientIdPrefix => $"{ApplicationId}-StreamThread-{index + 1}";

    /// <summary>Asks the loop to stop after the current record; safe from any thread, never blocks.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>
    /// Stops like a crash would, for tests: no flush, no commit (not even on revocation); the consumer still leaves the
    /// group when disposed. What was processed since the last commit is processed again by the next owner.
    /// </summary>
    internal void Kill()
    {
        _killed = true;
        _stopRequested = true;
    }

    /// <summary>Runs until stopped or failed. Returns the failure, or <see langword="null"/> after a graceful stop.</summary>
    public StreamsException? Run()
    {
        IAdminClient? admin = null;
        IProducer<byte[]?, byte[]?>? producer = null;
        IConsumer<StagedBytes, StagedBytes>? consumer = null;
        var consumerClosed = false;
        try
        {
            if (index == 0)
            {
                admin = BuildAdminClient();
                var creator = options.TopicCreator ?? new AdminClientTopicCreator(admin, options.InternalTopicReplicationFactor, options.StartupTimeout);
                var probe = new TaskManager(topology, ApplicationId, NoCollector.Instance);
                Log.Starting(logger, ApplicationId, options.BootstrapServers, string.Join(", ", probe.SourceTopics));
                new InternalTopicManager(admin, creator, options.BootstrapServers, options.StartupTimeout, logger)
                    .EnsureTopics(topology, ApplicationId, () => _stopRequested, options.UsesDeadLetters ? options.DeadLetterTopic : null);
                admin.Dispose();
                admin = null;
            }
            if (_stopRequested) return null;

            _deliveries = new DeliveryTracker(options.ProductionErrorPolicy, options.DeadLetterTopic, logger);
            producer = BuildProducer();
            var recordProducer = new KafkaRecordProducer(producer);
            _deliveries.DeadLetterProducer = recordProducer;
            var wireFormat = new Dictionary<string, int>(options.ConfluentWireFormat, StringComparer.Ordinal); // a snapshot: options may change after start
            var collector = new RecordCollector(recordProducer, _deliveries, wireFormat);
            var errors = new RecordErrorHandler(options.DeserializationErrorPolicy, options.ProcessingErrorPolicy, collector, options.DeadLetterTopic, logger);
            _tasks = new TaskManager(topology, ApplicationId, collector, errors, new TaskOptions(
                options.PartitionBufferPauseBytes, options.PartitionBufferResumeBytes, options.UsesDeadLetters, options.MaxTaskIdle, options.TimeProvider,
                options.Services, _metrics, inputFormats, IsCaughtUp: (tp, next) => IsCaughtUp(consumer!, tp, next)));
            consumer = BuildConsumer();
            _commits = new CommitManager(_tasks, recordProducer, _deliveries, new KafkaOffsetCommitter(consumer), logger, options.FlushTimeout) { Metrics = metrics };
            consumer.Subscribe(_tasks.SourceTopics);

            owner.OnStarted(this);
            owner.SetState(this, StreamsState.Rebalancing);
            PollLoop(consumer);
            if (_killed)
            {
                _failed = true; // no commit when the consumer's disposal revokes
                _tasks.CloseAll();
                return null;
            }

            owner.SetState(this, StreamsState.Stopping);
            if (_commits.Commit() == CommitOutcome.Deferred)
                CommitAfterRebalance(consumer);
            consumerClosed = true;
            consumer.Close(); // commits again in the revocation callback; leaving the group hands partitions over at once
            _tasks.CloseAll();
            ThrowIfFailed();
            return null;
        }
        catch (Exception e)
        {
            var failure = Wrap(e);
            _failed = true;
            owner.SetState(this, StreamsState.Error);
            Log.Failed(logger, failure, ApplicationId, failure.Message);
            CleanUpAfterFailure(failure, consumerClosed ? null : consumer, producer);
            return failure;
        }
        finally
        {
            owner.SetAssignedTasks(this, []);
            consumer?.Dispose();
            producer?.Dispose();
            admin?.Dispose();
        }
    }

    private void PollLoop(IConsumer<StagedBytes, StagedBytes> consumer)
    {
        var tasks = _tasks!;
        var commitEvery = (long)(Math.Min(options.CommitInterval.TotalSeconds, 86_400 * 365) * Stopwatch.Frequency); // no overflow for huge intervals
        var nextCommit = Stopwatch.GetTimestamp() + commitEvery;
        while (!_stopRequested)
        {
            // Block in the poll only when there is nothing to process; then take what the consumer has, up to a batch.
            var timeout = tasks.HasProcessableRecords ? TimeSpan.Zero : options.PollTimeout;
            for (var polled = 0; polled < options.MaxPollRecords; polled++)
            {
                var result = Consume(consumer, polled == 0 ? timeout : TimeSpan.Zero);
                if (result is null) break;
                if (result.IsPartitionEOF || result.Message is not { } message) continue;
                var key = message.Key;
                var value = message.Value;
                if (!tasks.Buffer(result.Topic, result.Partition.Value, result.Offset.Value, message.Timestamp.UnixTimestampMs,
                        _staging.Span(key), key.IsNull, _staging.Span(value), value.IsNull, message.Headers))
                    Log.SkippedUnassigned(logger, result.Topic, result.Partition.Value, result.Offset.Value);
                if (tasks.HasPartitionsToPause) break; // pause it before the consumer hands out more of it
            }
            ThrowIfFailed();
            if (_toResume.Count > 0) ResumePartitions(consumer); // newly assigned partitions start unpaused

            tasks.FlushBuffers(_toPause);
            if (_toPause.Count > 0)
            {
                consumer.Pause(_toPause);
                Log.Paused(logger, Describe(_toPause));
                _toPause.Clear();
            }
            tasks.UpdateGauges(); // before processing: the buffers at their fullest
            tasks.ProcessBuffered(options.MaxPollRecords, _toResume);
            if (_toResume.Count > 0) ResumePartitions(consumer);
            tasks.PunctuateWallClock(); // at least every PollTimeout: the poll returns then even without records

            if (Stopwatch.GetTimestamp() >= nextCommit)
            {
                _commits!.Commit();
                nextCommit = Stopwatch.GetTimestamp() + commitEvery;
            }
        }
    }

    private ConsumeResult<StagedBytes, StagedBytes>? Consume(IConsumer<StagedBytes, StagedBytes> consumer, TimeSpan timeout)
    {
        try
        {
            return consumer.Consume(timeout);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            Log.ConsumeError(logger, e.ConsumerRecord?.TopicPartitionOffset?.ToString() ?? "?", e.Error.Reason, e.Error.Code);
            return null;
        }
    }

    private void ResumePartitions(IConsumer<StagedBytes, StagedBytes> consumer)
    {
        consumer.Resume(_toResume);
        Log.Resumed(logger, Describe(_toResume));
        _toResume.Clear();
    }

    /// <summary>
    /// The final commit met a rebalance (another member joined or left). Let the rebalance finish without processing
    /// anything (partitions paused, records ignored and not committed), then commit with the new generation: the
    /// suspended tasks resume on the partitions assigned again, with their pending offsets. Bounded; if it does not
    /// work out, the records are reprocessed by the next owner (never lost).
    /// </summary>
    private void CommitAfterRebalance(IConsumer<StagedBytes, StagedBytes> consumer)
    {
        var started = Stopwatch.GetTimestamp();
        var assignments = _assignments;
        var nextTry = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Stopwatch.GetElapsedTime(started) < options.StopRebalanceTimeout)
        {
            consumer.Pause(consumer.Assignment);
            try { consumer.Consume(options.PollTimeout); }
            catch (ConsumeException e) when (!e.Error.IsFatal) { }
            ThrowIfFailed();
            // Between revocation and assignment the pending offsets are parked with the suspended tasks.
            if (_tasks!.HasSuspendedPartitions) continue;
            if (_assignments == assignments && Stopwatch.GetTimestamp() < nextTry) continue;
            assignments = _assignments;
            nextTry = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            if (_commits!.Commit() != CommitOutcome.Deferred) return;
        }
        Log.CommitAbandoned(logger, options.StopRebalanceTimeout.TotalSeconds);
    }

    private void ThrowIfFailed()
    {
        if (_callbackFailure is { } callback) throw callback;
        if (Volatile.Read(ref _fatalError) is { } fatal) throw fatal;
        if (_deliveries?.FirstError is { } delivery) throw delivery;
    }

    private void CleanUpAfterFailure(StreamsException failure, IConsumer<StagedBytes, StagedBytes>? consumer, IProducer<byte[]?, byte[]?>? producer)
    {
        // A bad record fails only itself: keep the progress made before it (flushed and acknowledged first), so a
        // restart resumes at the bad record. After a delivery or client failure nothing more is committed.
        if (failure is RecordProcessingException && consumer is not null && _commits is not null
            && _deliveries?.FirstError is null && Volatile.Read(ref _fatalError) is null)
        {
            try { _commits.Commit(); }
            catch (Exception e) { Log.CleanupFailed(logger, e.Message); }
        }
        try { consumer?.Close(); }
        catch (Exception e) { Log.CleanupFailed(logger, e.Message); }
        try { _tasks?.CloseAll(); }
        catch (Exception e) { Log.CleanupFailed(logger, e.Message); }
        try { producer?.Flush(TimeSpan.FromSeconds(5)); }
        catch (Exception e) { Log.CleanupFailed(logger, e.Message); }
    }

    private static StreamsException Wrap(Exception e) => e switch
    {
        StreamsException streams => streams,
        KafkaException kafka => new StreamsException($"Kafka client error: {kafka.Error.Reason} ({kafka.Error.Code}).", kafka),
        _ => new StreamsException($"The stream thread failed: {e.GetType().Name}: {e.Message}", e),
    };

    // ---- rebalance callbacks (run on this thread, inside Consume or Close) ----

    private IEnumerable<TopicPartitionOffset> OnPartitionsAssigned(List<TopicPartition> partitions)
    {
        _assignments++;
        metrics.Rebalances.Add(1, _metrics.Tag);
        try
        {
            var positions = _tasks!.Assign(partitions);
            _toResume.AddRange(partitions); // a partition paused before a revocation starts unpaused with its new, empty buffer
            var ids = _tasks.TaskIds();
            owner.SetAssignedTasks(this, ids);
            Log.Assigned(logger, Describe(partitions), string.Join(", ", ids));
            if (!_stopRequested && !_failed) owner.SetState(this, StreamsState.Running);
            return positions;
        }
        catch (Exception e)
        {
            _callbackFailure ??= e;
            return partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset));
        }
    }

    private void OnPartitionsRevoked(List<TopicPartitionOffset> partitions)
    {
        try
        {
            if (!_stopRequested && !_failed) owner.SetState(this, StreamsState.Rebalancing);
            // Deferred is fine: the suspended tasks keep their offsets; if assigned again, they resume and commit later,
            // else the next owner reprocesses from the last commit.
            if (!_failed) _commits!.Commit();
        }
        catch (Exception e)
        {
            _callbackFailure ??= e;
        }
        finally
        {
            // Eager (range): every partition is revoked and most come back: suspend, and resume them with their state.
            // Cooperative: only partitions moving to another member are revoked: committed above, they are let go.
            if (_cooperative) _tasks!.Lose(partitions.Select(p => p.TopicPartition));
            else _tasks!.Revoke(partitions.Select(p => p.TopicPartition));
            owner.SetAssignedTasks(this, _tasks.TaskIds());
            Log.Revoked(logger, Describe(partitions.Select(p => p.TopicPartition)));
        }
    }

    private void OnPartitionsLost(List<TopicPartitionOffset> partitions)
    {
        var closed = _tasks!.Lose(partitions.Select(p => p.TopicPartition));
        owner.SetAssignedTasks(this, _tasks.TaskIds());
        Log.Lost(logger, Describe(partitions.Select(p => p.TopicPartition)), string.Join(", ", closed));
        if (!_stopRequested && !_failed) owner.SetState(this, StreamsState.Rebalancing);
    }

    private void OnClientError(string client, Error error)
    {
        if (error.IsFatal)
        {
            var fatal = new StreamsException($"Fatal error in the Kafka {client}: {error.Reason} ({error.Code}).");
            Interlocked.CompareExchange(ref _fatalError, fatal, null);
            _deliveries?.SetError(fatal); // a commit already under way must not commit past outputs the client dropped
        }
        else
            Log.ClientError(logger, client, error.Code, error.Reason);
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]"));

    // ---- clients ----

    private IAdminClient BuildAdminClient()
    {
        var config = new AdminClientConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = ApplicationId + "-admin",
        };
        options.ConfigureAdminClient?.Invoke(config);
        return new AdminClientBuilder(config)
            .SetLogHandler((_, message) => Log.ClientLog(logger, message))
            .SetErrorHandler((_, error) => Log.ClientError(logger, "admin client", error.Code, error.Reason))
            .Build();
    }

    private IProducer<byte[]?, byte[]?> BuildProducer()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = ClientIdPrefix + "-producer",
            Acks = Acks.All,
            EnableIdempotence = true,
            // As the Java clients: murmur2 of the key bytes, so repartitioned keys land where Kafka Streams puts them.
            Partitioner = Partitioner.Murmur2Random,
            // Delivery reports only need the error, unless failed records go to the dead-letter topic.
            DeliveryReportFields = _deliveries!.NeedsRecordInReport ? "key,value,timestamp,headers" : "none",
        };
        options.ConfigureProducer?.Invoke(config);
        return new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetKeySerializer(Serializers.ByteArray!)
            .SetValueSerializer(Serializers.ByteArray!)
            .SetLogHandler((_, message) => Log.ClientLog(logger, message))
            .SetErrorHandler((_, error) => OnClientError("producer", error))
            .Build();
    }

    /// <summary>
    /// Whether the consumer's position in <paramref name="partition"/> has reached the high watermark of its last fetch
    /// (both cached by librdkafka: no request). The consumer knows no position before it delivers a record from the
    /// partition: then the offset the task processes next (<paramref name="nextOffset"/>, kept when a partition is
    /// revoked and assigned again) stands in for it, and without one only a partition that holds no records at all is
    /// caught up. Unknown counts as not caught up.
    /// </summary>
    private static bool IsCaughtUp(IConsumer<StagedBytes, StagedBytes> consumer, TopicPartition partition, long nextOffset)
    {
        var watermarks = consumer.GetWatermarkOffsets(partition);
        if (watermarks.High == Offset.Unset) return false;
        var position = consumer.Position(partition);
        var next = position != Offset.Unset ? position.Value : nextOffset;
        return next < 0
            ? watermarks.High == 0 || watermarks.High == watermarks.Low
            : next >= watermarks.High;
    }

    private IConsumer<StagedBytes, StagedBytes> BuildConsumer()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = ClientIdPrefix + "-consumer",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // Cooperative-sticky moves only the partitions that change owner, and the others keep being processed during
            // a rebalance. It does not co-locate partition p of several topics, which a task with several sources needs:
            // such topologies use range (eager), which does.
            PartitionAssignmentStrategy = AssignmentStrategy,
            EnableAutoOffsetStore = false,
            AllowAutoCreateTopics = false,
            // librdkafka waits 1 s (its default) before fetching a partition again once its prefetch queue is over its
            // thresholds; a thread that drains the queue faster then idles. The partition buffers bound memory anyway.
            FetchQueueBackoffMs = 10,
            // Headers only when a dead letter must carry the original ones.
            ConsumeResultFields = options.UsesDeadLetters ? "topic,timestamp,headers" : "topic,timestamp",
        };
        options.ConfigureConsumer?.Invoke(config);
        config.GroupId = ApplicationId;
        config.EnableAutoCommit = false; // offsets are committed only after their outputs are acknowledged
        config.PartitionAssignmentStrategy = AssignmentStrategy; // the task logic depends on it (see above)
        return new ConsumerBuilder<StagedBytes, StagedBytes>(config)
            // Keys and values go straight from librdkafka's memory into the partition buffers: no array per record.
            .SetKeyDeserializer(_staging.Keys)
            .SetValueDeserializer(_staging.Values)
            .SetLogHandler((_, message) => Log.ClientLog(logger, message))
            .SetErrorHandler((_, error) => OnClientError("consumer", error))
            .SetPartitionsAssignedHandler((_, partitions) => OnPartitionsAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnPartitionsRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => OnPartitionsLost(partitions))
            .Build();
    }

    /// <summary>Lets a probe <see cref="TaskManager"/> list source topics without a producer.</summary>
    private sealed class NoCollector : IRecordCollector
    {
        public static readonly NoCollector Instance = new();

        public void Send(string topic, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, long timestamp) =>
            throw new InvalidOperationException("No tasks run before startup completes.");
    }
}
