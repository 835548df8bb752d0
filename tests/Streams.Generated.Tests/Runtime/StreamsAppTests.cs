using Streams.Generated.Kafka;

namespace Streams.Generated.Tests.Runtime;

/// <summary>Lifecycle rules that need no broker.</summary>
public class StreamsAppTests
{
    private static StreamsOptions Options() => new() { ApplicationId = "app", BootstrapServers = "127.0.0.1:1" };

    [Theory]
    [InlineData("", "127.0.0.1:9092", "ApplicationId")]
    [InlineData("app", " ", "BootstrapServers")]
    public void Missing_required_options_are_rejected(string applicationId, string servers, string named)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new StreamsApp(FakeTopologies.TwoStage([]), new StreamsOptions { ApplicationId = applicationId, BootstrapServers = servers }));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Stopping_an_app_that_never_started_completes_at_once()
    {
        var app = new StreamsApp(FakeTopologies.TwoStage([]), Options());
        var states = new List<StreamsState>();
        app.StateChanged += (_, e) => states.Add(e.NewState);

        await app.StopAsync();

        Assert.Equal(StreamsState.Stopped, app.State);
        Assert.Equal([StreamsState.Stopped], states);
        Assert.True(app.Completion.IsCompletedSuccessfully);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
    }

    [Fact]
    public async Task Dispose_without_start_is_harmless()
    {
        await using var app = new StreamsApp(FakeTopologies.TwoStage([]), Options());
        Assert.Equal(StreamsState.Created, app.State);
        Assert.Empty(app.AssignedTasks);
    }
}
