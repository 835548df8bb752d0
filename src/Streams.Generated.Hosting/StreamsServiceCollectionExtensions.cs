using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streams.Generated.Hosting;
using Streams.Generated.Kafka;
using Streams.Generated.Topology;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers generated topologies as <see cref="StreamsApp"/>s that the host starts and stops.</summary>
public static class StreamsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="StreamsApp"/> for <paramref name="topology"/>, named after the topology (see
    /// <see cref="AddStreamsApp(IServiceCollection, string, TopologyDefinition, Action{StreamsOptions}?)"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="topology">The generated definition, e.g. <c>WordCount.Definition</c>.</param>
    /// <param name="configure">Sets options in code; runs before configuration bound later with <see cref="StreamsAppBuilder.BindConfiguration"/>.</param>
    /// <returns>A builder to bind the app's options from configuration.</returns>
    public static StreamsAppBuilder AddStreamsApp(this IServiceCollection services, TopologyDefinition topology, Action<StreamsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return services.AddStreamsApp(topology.Name, topology, configure);
    }

    /// <summary>
    /// Registers a <see cref="StreamsApp"/> for <paramref name="topology"/> under <paramref name="name"/>, and a hosted
    /// service that starts it with the host, stops it gracefully when the host stops, and stops the host (with a logged
    /// error) when the app fails. The app's <see cref="StreamsOptions"/> are the named options <paramref name="name"/>:
    /// the application id defaults to the topology name, <see cref="StreamsOptions.LoggerFactory"/> to the host's and
    /// <see cref="StreamsOptions.Services"/> (which creates processors that take services) to the host's provider.
    /// </summary>
    /// <remarks>
    /// The app is a keyed singleton (<c>[FromKeyedServices(name)] StreamsApp</c>); the first one registered is also the
    /// unkeyed <see cref="StreamsApp"/>. Processor services are resolved from the root provider: register them as
    /// singletons (or transients).
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="name">Names the app among the host's apps: the options name and the service key.</param>
    /// <param name="topology">The generated definition, e.g. <c>WordCount.Definition</c>.</param>
    /// <param name="configure">Sets options in code; runs before configuration bound later with <see cref="StreamsAppBuilder.BindConfiguration"/>.</param>
    /// <returns>A builder to bind the app's options from configuration.</returns>
    /// <exception cref="InvalidOperationException">An app with the same name is already registered.</exception>
    public static StreamsAppBuilder AddStreamsApp(this IServiceCollection services, string name, TopologyDefinition topology,
        Action<StreamsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(topology);
        foreach (var descriptor in services)
        {
            if (descriptor.ImplementationInstance is StreamsAppRegistration registered && registered.Name == name)
                throw new InvalidOperationException($"A Streams app named '{name}' is already registered; give each app its own name.");
        }

        services.AddSingleton(new StreamsAppRegistration(name));
        var options = services.AddOptions<StreamsOptions>(name).Configure<IServiceProvider>((options, provider) =>
        {
            options.ApplicationId = topology.Name;
            options.LoggerFactory = provider.GetService<ILoggerFactory>();
            options.Services = provider;
        });
        if (configure is not null) options.Configure(configure);

        services.AddKeyedSingleton(name, (provider, _) =>
            new StreamsApp(topology, provider.GetRequiredService<IOptionsMonitor<StreamsOptions>>().Get(name)));
        services.TryAddSingleton(provider => provider.GetRequiredKeyedService<StreamsApp>(name));
        // Not AddHostedService: it adds one instance per implementation type, and each app needs its own.
        services.AddSingleton<IHostedService>(provider => new StreamsHostedService(
            provider.GetRequiredKeyedService<StreamsApp>(name),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetService<ILoggerFactory>()));
        return new StreamsAppBuilder(name, services);
    }
}
