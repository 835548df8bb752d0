using Microsoft.Extensions.Diagnostics.HealthChecks;
using Streams.Generated.Kafka;

namespace Streams.Generated.Hosting;

/// <summary>
/// Reports the <see cref="StreamsApp.State"/> of one or more apps: Healthy when every app is Running, Degraded while one
/// is created, starting or rebalancing, and the registration's failure status (Unhealthy by default) when one is
/// stopping, stopped or failed. The worst app decides.
/// </summary>
internal sealed class StreamsHealthCheck(IReadOnlyList<KeyValuePair<string, StreamsApp>> apps) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = HealthStatus.Healthy;
        var data = new Dictionary<string, object>(apps.Count);
        var states = new List<string>(apps.Count);
        Exception? failure = null;
        foreach (var (name, app) in apps)
        {
            var state = app.State;
            var appStatus = StatusOf(state, context.Registration.FailureStatus);
            if (appStatus < status) status = appStatus; // Unhealthy < Degraded < Healthy
            if (state == StreamsState.Error) failure ??= app.Completion.Exception?.InnerException;
            data[name] = state.ToString();
            states.Add($"{name}: {state}");
        }

        var description = apps.Count == 0 ? "No Streams app is registered." : string.Join("; ", states);
        return Task.FromResult(new HealthCheckResult(status, description, failure, data));
    }

    internal static HealthStatus StatusOf(StreamsState state, HealthStatus failureStatus) => state switch
    {
        StreamsState.Running => HealthStatus.Healthy,
        StreamsState.Created or StreamsState.Starting or StreamsState.Rebalancing => HealthStatus.Degraded,
        _ => failureStatus, // Stopping, Stopped, Error
    };
}
