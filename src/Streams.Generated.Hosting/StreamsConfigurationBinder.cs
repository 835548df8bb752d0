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

        // Kafka applies to every client, then the client's own section: a client setting wins.
        var common = Properties(configuration, Kafka);
        var consumer = common.Concat(Properties(configuration, Consumer)).ToArray();
        var producer = common.Concat(Properties(configuration, Producer)).ToArray();
        var admin = common.Concat(Properties(configuration, AdminClient)).ToArray();
        if (consumer.Length > 0) options.ConfigureConsumer += config => Set(config, consumer);
        if (producer.Length > 0) options.ConfigureProducer += config => Set(config, producer);
        if (admin.Length > 0) options.ConfigureAdminClient += config => Set(config, admin);
    }

    private static T? Parse<T>(IConfiguration configuration, string key, string expected) where T : struct, IParsable<T>
    {
        if (configuration.GetSection(key) is not { Value: { } text } section) return null;
        return T.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"Streams option '{section.Path}' is '{text}'; expected {expected}.");
    }

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
