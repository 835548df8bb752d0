using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Streams.Generated.Kafka;

namespace Streams.Generated.Hosting.Tests;

/// <summary>How the health check reads app states (no broker; the running app is in <see cref="HostedStreamsAppTests"/>).</summary>
public class StreamsHealthCheckTests
{
    [Theory]
    [InlineData(StreamsState.Created, HealthStatus.Degraded)]
    [InlineData(StreamsState.Starting, HealthStatus.Degraded)]
    [InlineData(StreamsState.Rebalancing, HealthStatus.Degraded)]
    [InlineData(StreamsState.Running, HealthStatus.Healthy)]
    [InlineData(StreamsState.Stopping, HealthStatus.Unhealthy)]
    [InlineData(StreamsState.Stopped, HealthStatus.Unhealthy)]
    [InlineData(StreamsState.Error, HealthStatus.Unhealthy)]
    public void Each_state_maps_to_a_status(StreamsState state, HealthStatus expected) =>
        Assert.Equal(expected, StreamsHealthCheck.StatusOf(state, HealthStatus.Unhealthy));

    [Fact]
    public async Task Every_app_is_checked_by_name_and_the_registration_sets_the_failure_status()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStreamsApp("eu", GreetingTopology.Definition, options => options.BootstrapServers = "eu:9092");
        services.AddStreamsApp("us", GreetingTopology.Definition, options => options.BootstrapServers = "us:9092");
        services.AddHealthChecks()
            .AddStreamsHealthCheck()
            .AddStreamsHealthCheck("streams-us", appName: "us", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync();
        await provider.GetRequiredKeyedService<StreamsApp>("us").StopAsync(); // never started: stops at once
        var afterStop = await health.CheckHealthAsync();

        var all = report.Entries["streams"];
        Assert.Equal(HealthStatus.Degraded, all.Status);
        Assert.Equal("eu: Created; us: Created", all.Description);
        Assert.Equal(new Dictionary<string, object> { ["eu"] = "Created", ["us"] = "Created" }, all.Data);
        Assert.Equal(["ready"], report.Entries["streams-us"].Tags);
        Assert.Equal(HealthStatus.Unhealthy, afterStop.Entries["streams"].Status);
        Assert.Equal("eu: Created; us: Stopped", afterStop.Entries["streams"].Description);
        Assert.Equal(HealthStatus.Degraded, afterStop.Entries["streams-us"].Status); // its failure status
    }
}
