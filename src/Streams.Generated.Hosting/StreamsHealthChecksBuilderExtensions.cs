using Microsoft.Extensions.Diagnostics.HealthChecks;
using Streams.Generated.Hosting;
using Streams.Generated.Kafka;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a health check that reads the state of the Streams apps registered with <c>AddStreamsApp</c>.</summary>
public static class StreamsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check of the <see cref="StreamsApp.State"/>: Healthy when Running; Degraded when Created, Starting or
    /// Rebalancing; <paramref name="failureStatus"/> when Stopping, Stopped or Error (with the error as the exception).
    /// With several apps the worst decides, and the result's data holds each app's state by name.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The health check's name.</param>
    /// <param name="appName">The app to check (its name in <c>AddStreamsApp</c>); <see langword="null"/> checks every app.</param>
    /// <param name="failureStatus">The status of a stopped or failed app; <see langword="null"/> means Unhealthy.</param>
    /// <param name="tags">Tags to filter health checks by (e.g. <c>ready</c>).</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddStreamsHealthCheck(this IHealthChecksBuilder builder, string name = "streams",
        string? appName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        return builder.Add(new HealthCheckRegistration(name, provider => new StreamsHealthCheck(Apps(provider, appName)), failureStatus, tags));
    }

    private static List<KeyValuePair<string, StreamsApp>> Apps(IServiceProvider provider, string? appName)
    {
        var apps = new List<KeyValuePair<string, StreamsApp>>();
        foreach (var registration in provider.GetServices<StreamsAppRegistration>())
        {
            if (appName is null || registration.Name == appName)
                apps.Add(new(registration.Name, provider.GetRequiredKeyedService<StreamsApp>(registration.Name)));
        }

        return apps.Count > 0 || appName is null
            ? apps
            : throw new InvalidOperationException($"No Streams app named '{appName}' is registered (AddStreamsApp).");
    }
}
