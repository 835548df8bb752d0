using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Streams.Generated.Kafka;

namespace Streams.Generated.Hosting;

/// <summary>
/// Binds <see cref="StreamsOptions"/> from configuration by reading its keys by name: no reflection, so trimming and
/// Native AOT keep working (the reflection-based <c>ConfigurationBinder</c> would not, and the binding source generator
/// cannot skip the options' delegate and service properties without warnings).
/// </summary>
internal static class StreamsConfigurationBinder
{
    private const string Kafka = "Kafka";
    private const string Consumer = "Consumer";
    private const string Producer = "Producer";
    private const string AdminClient = "AdminClient";

    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(StreamsOptions.ApplicationId),
        nameof(StreamsOptions.BootstrapServers),
        nameof(StreamsOptions.CommitInterval),
        nameof(StreamsOptions.StartupTimeout),
        nameof(StreamsOptions.InternalTopicReplicationFactor),
        nameof(StreamsOptions.StreamThreads),
        nameof(StreamsOptions.MaxTaskIdle),
        nameof(StreamsOptions.PartitionBufferPauseBytes),
        nameof(StreamsOptions.PartitionBufferResumeBytes),
        nameof(StreamsOptions.DeserializationErrorPolicy),
        nameof(StreamsOptions.ProcessingErrorPolicy),
        nameof(StreamsOptions.ProductionErrorPolicy),
        nameof(StreamsOptions.DeadLetterTopic),
        nameof(StreamsOptions.ConfluentWireFormat),
        nameof(StreamsOptions.AvroWriterSchemas),
        Kafka,
        Consumer,
        Producer,
        AdminClient,
    };

    public static void Bind(IConfiguration configuration, StreamsOptions options)
    {
        foreach (var child in configuration.GetChildren())
        {
            if (!Keys.Contains(child.Key))
                throw new InvalidOperationException($"Unknown Streams option '{child.Path}'. The keys are: {string.Join(", ", Keys)}.");
        }

        if (configuration[nameof(StreamsOptions.ApplicationId)] is { } applicationId) options.ApplicationId = applicationId;
        if (configuration[nameof(StreamsOptions.BootstrapServers)] is { } bootstrapServers) options.BootstrapServers = bootstrapServers;
        const string Duration = "a duration such as 00:00:30";
        if (Parse<TimeSpan>(configuration, nameof(StreamsOptions.CommitInterval), Duration) is { } commitInterval)
            options.CommitInterval = commitInterval;
        if (Parse<TimeSpan>(configuration, nameof(StreamsOptions.StartupTimeout), Duration) is { } startupTimeout)
            options.StartupTimeout = startupTimeout;
        if (Parse<short>(configuration, nameof(StreamsOptions.InternalTopicReplicationFactor), "a whole number (-1: the broker's default)") is { } replicationFactor)
            options.InternalTopicReplicationFactor = replicationFactor;
        if (Parse<int>(configuration, nameof(StreamsOptions.StreamThreads), "a whole number of threads") is { } threads)
            options.StreamThreads = threads;
        if (Parse<TimeSpan>(configuration, nameof(StreamsOptions.MaxTaskIdle), Duration) is { } maxTaskIdle)
            options.MaxTaskIdle = maxTaskIdle;
        if (Parse<long>(configuration, nameof(StreamsOptions.PartitionBufferPauseBytes), "a number of bytes") is { } pauseBytes)
            options.PartitionBufferPauseBytes = pauseBytes;
        if (Parse<long>(configuration, nameof(StreamsOptions.PartitionBufferResumeBytes), "a number of bytes") is { } resumeBytes)
            options.PartitionBufferResumeBytes = resumeBytes;
        if (Policy(configuration, nameof(StreamsOptions.DeserializationErrorPolicy)) is { } deserialization)
            options.DeserializationErrorPolicy = deserialization;
        if (Policy(configuration, nameof(StreamsOptions.ProcessingErrorPolicy)) is { } processing)
            options.ProcessingErrorPolicy = processing;
        if (Policy(configuration, nameof(StreamsOptions.ProductionErrorPolicy)) is { } production)
            options.ProductionErrorPolicy = production;
        if (configuration[nameof(StreamsOptions.DeadLetterTopic)] is { } deadLetterTopic) options.DeadLetterTopic = deadLetterTopic;

        // ConfluentWireFormat:<topic> = <schema id>
        foreach (var topic in configuration.GetSection(nameof(StreamsOptions.ConfluentWireFormat)).GetChildren())
            options.ConfluentWireFormat[topic.Key] = Parse<int>(topic, "a Schema Registry id") ?? throw NoValue(topic, "a Schema Registry id");

        // AvroWriterSchemas:<topic> = <schema>, or AvroWriterSchemas:<topic>:<schema id> = <schema> for a framed topic
        foreach (var topic in configuration.GetSection(nameof(StreamsOptions.AvroWriterSchemas)).GetChildren())
        {
            if (topic.Value is { } schema)
            {
                options.AvroWriterSchemas.Add(topic.Key, schema);
                continue;
            }

            foreach (var version in topic.GetChildren())
            {
                var schemaId = int.TryParse(version.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id
                    : throw new InvalidOperationException($"Streams option '{version.Path}': '{version.Key}' is not a schema id; write AvroWriterSchemas:<topic>:<schema id> = <schema>.");
                options.AvroWriterSchemas.Add(topic.Key, schemaId, version.Value ?? throw NoValue(version, "an Avro schema (JSON)"));
            }
        }

        // Kafka applies to every client, then the client's own section: a client setting wins.
        var common = Properties(configuration, Kafka);
        var consumer = common.Concat(Properties(configuration, Consumer)).ToArray();
        var producer = common.Concat(Properties(configuration, Producer)).ToArray();
        var admin = common.Concat(Properties(configuration, AdminClient)).ToArray();
        if (consumer.Length > 0) options.ConfigureConsumer += config => Set(config, consumer);
        if (producer.Length > 0) options.ConfigureProducer += config => Set(config, producer);
        if (admin.Length > 0) options.ConfigureAdminClient += config => Set(config, admin);
    }

    private static T? Parse<T>(IConfiguration configuration, string key, string expected) where T : struct, IParsable<T> =>
        Parse<T>(configuration.GetSection(key), expected);

    private static T? Parse<T>(IConfigurationSection section, string expected) where T : struct, IParsable<T>
    {
        if (section.Value is not { } text) return null;
        return T.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"Streams option '{section.Path}' is '{text}'; expected {expected}.");
    }

    private static ErrorPolicy? Policy(IConfiguration configuration, string key)
    {
        if (configuration.GetSection(key) is not { Value: { } text } section) return null;
        return Enum.TryParse<ErrorPolicy>(text, ignoreCase: true, out var policy) && Enum.IsDefined(policy) && !char.IsDigit(text.TrimStart()[0])
            ? policy
            : throw new InvalidOperationException($"Streams option '{section.Path}' is '{text}'; expected Fail, LogAndContinue or DeadLetter.");
    }

    private static InvalidOperationException NoValue(IConfigurationSection section, string expected) =>
        new($"Streams option '{section.Path}' has no value; expected {expected}.");

    /// <summary>The key-value pairs of a client section (librdkafka property names, e.g. <c>security.protocol</c>).</summary>
    private static List<KeyValuePair<string, string>> Properties(IConfiguration configuration, string section)
    {
        var properties = new List<KeyValuePair<string, string>>();
        foreach (var child in configuration.GetSection(section).GetChildren())
        {
            if (child.Value is null)
                throw new InvalidOperationException($"Streams option '{child.Path}' has no value: the keys of '{section}' are Kafka client properties, e.g. security.protocol.");
            properties.Add(new(child.Key, child.Value));
        }

        return properties;
    }

    private static void Set(ClientConfig config, KeyValuePair<string, string>[] properties)
    {
        foreach (var (key, value) in properties) config.Set(key, value);
    }
}
