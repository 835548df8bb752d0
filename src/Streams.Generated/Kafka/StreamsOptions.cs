using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streams.Generated.Serialization.Avro;

namespace Streams.Generated.Kafka;

/// <summary>Configuration of a <see cref="StreamsApp"/>.</summary>
public sealed class StreamsOptions
{
    /// <summary>
    /// Identifies the application: the consumer group id, and the prefix of internal topic names
    /// (<c>{ApplicationId}-{suffix}</c>). Every instance of one application uses the same id. Required.
    /// </summary>
    public string ApplicationId { get; set; } = "";

    /// <summary>The Kafka bootstrap servers, <c>host:port[,host:port...]</c>. Required.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// Stream threads of this instance, each with its own consumer, producer and share of the tasks. Default 1; more
    /// threads use more cores when the instance owns several partitions.
    /// </summary>
    public int StreamThreads { get; set; } = 1;

    /// <summary>
    /// How often processed offsets are committed (after everything they produced has been acknowledged).
    /// Shorter means fewer records reprocessed after a crash, at the cost of more flushes. Default 30 s, as Kafka
    /// Streams with at-least-once.
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <see cref="StreamsApp.StartAsync"/> waits for the cluster (metadata, internal topic creation) before
    /// failing. Default 10 s.
    /// </summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Creates missing internal topics. <see langword="null"/> (the default) uses the Kafka Admin API
    /// (<see cref="AdminClientTopicCreator"/>). An embedded broker supplies its own.
    /// </summary>
    public ITopicCreator? TopicCreator { get; set; }

    /// <summary>Replication factor of internal topics created by the default topic creator; -1 means the broker's default.</summary>
    public short InternalTopicReplicationFactor { get; set; } = -1;

    /// <summary>Where the runtime and the Kafka clients log. <see langword="null"/> (the default) logs nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Resolves the constructor parameters of processor classes (<c>Enrich(IPriceService prices)</c>) when a task creates
    /// them, once per processor per task. <see langword="null"/> (the default) is fine for processors without parameters;
    /// <c>AddStreamsApp</c> (Streams.Generated.Hosting) sets it to the host's provider.
    /// </summary>
    public IServiceProvider? Services { get; set; }

    /// <summary>
    /// Adjusts the consumer configuration after the runtime's defaults are set. <c>group.id</c>,
    /// <c>enable.auto.commit</c> and <c>partition.assignment.strategy</c> are reset afterwards: the runtime's
    /// at-least-once guarantee and its task logic depend on them.
    /// </summary>
    public Action<ConsumerConfig>? ConfigureConsumer { get; set; }

    /// <summary>Adjusts the producer configuration after the runtime's defaults are set.</summary>
    public Action<ProducerConfig>? ConfigureProducer { get; set; }

    /// <summary>Adjusts the admin client configuration (metadata, topic creation) after the runtime's defaults are set.</summary>
    public Action<AdminClientConfig>? ConfigureAdminClient { get; set; }

    /// <summary>
    /// What to do with a record whose key or value cannot be read as the declared type. Default
    /// <see cref="ErrorPolicy.Fail"/>.
    /// </summary>
    public ErrorPolicy DeserializationErrorPolicy { get; set; } = ErrorPolicy.Fail;

    /// <summary>What to do with a record for which a processor threw. Default <see cref="ErrorPolicy.Fail"/>.</summary>
    public ErrorPolicy ProcessingErrorPolicy { get; set; } = ErrorPolicy.Fail;

    /// <summary>
    /// What to do with an output record the broker refused for good (after the producer's own retries), or that the
    /// producer rejected (e.g. too large). Default <see cref="ErrorPolicy.Fail"/>: nothing more is committed and the app
    /// stops, so the inputs are processed again after a restart.
    /// </summary>
    public ErrorPolicy ProductionErrorPolicy { get; set; } = ErrorPolicy.Fail;

    /// <summary>
    /// The topic that receives records under <see cref="ErrorPolicy.DeadLetter"/>; required when a policy is
    /// <see cref="ErrorPolicy.DeadLetter"/>. It must exist (it is checked at startup, like the input topics).
    /// </summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>
    /// Consumed, unprocessed bytes of one input partition at which the consumer pauses that partition (backpressure).
    /// Default 1 MiB. Memory held by a thread's buffers stays under about this much per assigned partition, plus one
    /// fetch.
    /// </summary>
    public long PartitionBufferPauseBytes { get; set; } = 1 << 20;

    /// <summary>Unprocessed bytes under which a paused partition resumes. Default 512 KiB; must be below the pause threshold.</summary>
    public long PartitionBufferResumeBytes { get; set; } = 1 << 19;

    /// <summary>
    /// How long a task reading several partitions waits for an empty one before processing the others (Kafka Streams'
    /// <c>max.task.idle.ms</c>): waiting keeps records in timestamp order across partitions when one lags. A partition the
    /// consumer has read to its end is not waited for (KIP-695). Default zero: process what is there.
    /// </summary>
    public TimeSpan MaxTaskIdle { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Topics whose values are framed in Confluent's wire format (a zero magic byte and a Schema Registry id before the
    /// datum, as Confluent's serializers write them), with the schema id of the value type: inputs must carry that id
    /// (another id means another schema version, which this app cannot read without its schema: a deserialization
    /// error), outputs get it. Generated serdes read and write the bare datum; byte offsets in their errors count from
    /// the datum. Keys are never framed. Empty by default. Values framed with the ids of older schema versions are read
    /// when <see cref="AvroWriterSchemas"/> gives those schemas.
    /// </summary>
    /// <example><c>options.ConfluentWireFormat["orders"] = 17;</c></example>
    public IDictionary<string, int> ConfluentWireFormat { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>
    /// Older versions of the Avro schemas of input values, per topic (and schema id, for a topic in
    /// <see cref="ConfluentWireFormat"/>): such values are read into the topology's current types by Avro's resolution
    /// rules. Checked when the app is created: a schema that cannot be resolved, or one for a topic the topology does not
    /// read as an Avro record, is an <see cref="ArgumentException"/> then. Empty by default.
    /// </summary>
    public AvroWriterSchemas AvroWriterSchemas { get; } = new();

    /// <summary>The wall clock (task idle waits, wall-clock punctuation). Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Records taken from the consumer, and processed, per loop of a stream thread.</summary>
    internal int MaxPollRecords { get; set; } = 500;

    internal bool UsesDeadLetters =>
        DeserializationErrorPolicy == ErrorPolicy.DeadLetter || ProcessingErrorPolicy == ErrorPolicy.DeadLetter || ProductionErrorPolicy == ErrorPolicy.DeadLetter;

    /// <summary>How long one consumer poll waits for a record; bounds how fast a stop request is noticed.</summary>
    internal TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound for waiting on delivery acknowledgements before a commit (beyond the producer's own message timeout).</summary>
    internal TimeSpan FlushTimeout { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>How long a stop waits for a rebalance in progress to finish so the final commit can succeed.</summary>
    internal TimeSpan StopRebalanceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApplicationId))
            throw new ArgumentException("StreamsOptions.ApplicationId is required (it is the consumer group id and the internal topic prefix).", "options");
        if (string.IsNullOrWhiteSpace(BootstrapServers))
            throw new ArgumentException("StreamsOptions.BootstrapServers is required (host:port[,host:port...]).", "options");
        if (StreamThreads < 1)
            throw new ArgumentException($"StreamsOptions.StreamThreads must be at least 1, was {StreamThreads}.", "options");
        if (CommitInterval <= TimeSpan.Zero)
            throw new ArgumentException($"StreamsOptions.CommitInterval must be positive, was {CommitInterval}.", "options");
        if (UsesDeadLetters && string.IsNullOrWhiteSpace(DeadLetterTopic))
            throw new ArgumentException(
                $"StreamsOptions.DeadLetterTopic is required: an error policy is DeadLetter (deserialization: {DeserializationErrorPolicy}, " +
                $"processing: {ProcessingErrorPolicy}, production: {ProductionErrorPolicy}).", "options");
        if (PartitionBufferPauseBytes <= 0 || PartitionBufferResumeBytes < 0 || PartitionBufferResumeBytes >= PartitionBufferPauseBytes)
            throw new ArgumentException(
                $"StreamsOptions.PartitionBufferResumeBytes ({PartitionBufferResumeBytes}) must be at least 0 and below PartitionBufferPauseBytes ({PartitionBufferPauseBytes}).", "options");
        if (MaxTaskIdle < TimeSpan.Zero)
            throw new ArgumentException($"StreamsOptions.MaxTaskIdle must not be negative, was {MaxTaskIdle}.", "options");
        ArgumentNullException.ThrowIfNull(TimeProvider, "options.TimeProvider");
        if (StartupTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"StreamsOptions.StartupTimeout must be positive, was {StartupTimeout}.", "options");
    }
}
