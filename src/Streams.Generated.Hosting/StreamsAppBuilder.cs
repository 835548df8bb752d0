using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Streams.Generated.Kafka;

namespace Streams.Generated.Hosting;

/// <summary>Configures a <see cref="StreamsApp"/> registered with <c>AddStreamsApp</c>.</summary>
public sealed class StreamsAppBuilder
{
    internal StreamsAppBuilder(string name, IServiceCollection services)
    {
        Name = name;
        Services = services;
    }

    /// <summary>The app's name: its options name and service key.</summary>
    public string Name { get; }

    /// <summary>The service collection the app is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Sets options in code, after what was configured before.</summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public StreamsAppBuilder Configure(Action<StreamsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddOptions<StreamsOptions>(Name).Configure(configure);
        return this;
    }

    /// <summary>
    /// Binds the options from the host's configuration section <paramref name="sectionPath"/> (e.g. <c>"Streams"</c>):
    /// <c>ApplicationId</c>, <c>BootstrapServers</c>, <c>CommitInterval</c>, <c>StartupTimeout</c> and <c>MaxTaskIdle</c>
    /// (<c>hh:mm:ss</c>), <c>InternalTopicReplicationFactor</c>, <c>StreamThreads</c>, <c>PartitionBufferPauseBytes</c>,
    /// <c>PartitionBufferResumeBytes</c>, the three error policies (<c>Fail</c>, <c>LogAndContinue</c>, <c>DeadLetter</c>),
    /// <c>DeadLetterTopic</c>, <c>ConfluentWireFormat:&lt;topic&gt;</c> (a schema id), <c>AvroWriterSchemas:&lt;topic&gt;</c>
    /// or <c>AvroWriterSchemas:&lt;topic&gt;:&lt;schema id&gt;</c> (a schema), and Kafka client properties by their librdkafka names in the sections
    /// <c>Kafka</c> (every client), <c>Consumer</c>, <c>Producer</c> and <c>AdminClient</c>. Binding reads these keys by
    /// name (no reflection); an unknown key or a value that does not parse fails the app's creation, naming the key.
    /// </summary>
    /// <param name="sectionPath">The section's path, <c>:</c>-separated.</param>
    /// <returns>This builder.</returns>
    public StreamsAppBuilder BindConfiguration(string sectionPath)
    {
        ArgumentNullException.ThrowIfNull(sectionPath);
        Services.AddOptions<StreamsOptions>(Name).Configure<IConfiguration>((options, configuration) =>
            StreamsConfigurationBinder.Bind(configuration.GetSection(sectionPath), options));
        return this;
    }

    /// <summary>Binds the options from <paramref name="configuration"/>, as <see cref="BindConfiguration"/> does from a section of the host's.</summary>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>This builder.</returns>
    public StreamsAppBuilder Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Services.AddOptions<StreamsOptions>(Name).Configure(options => StreamsConfigurationBinder.Bind(configuration, options));
        return this;
    }
}

/// <summary>Marks an app registered with <c>AddStreamsApp</c>, so the health check finds every app.</summary>
internal sealed record StreamsAppRegistration(string Name);
