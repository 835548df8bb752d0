using Streams.Generated.Kafka;
using Streams.Generated.Testing;
using Streams.Generated.Topology;

namespace Streams.Generated.EndToEnd;

/// <summary>One implementation of one scenario, running against a cluster until stopped.</summary>
public interface IPipeline : IAsyncDisposable
{
    /// <summary>The consumer group whose committed offsets show progress.</summary>
    string GroupId { get; }

    /// <summary>Topics the pipeline reads besides the input (a repartition topic), on the cluster.</summary>
    IReadOnlyList<string> InternalTopics { get; }

    /// <summary>Starts; <paramref name="onAssigned"/> runs on the processing thread when the partitions are assigned.</summary>
    Task StartAsync(Action onAssigned);

    /// <summary>Flushes, commits and leaves the group.</summary>
    Task StopAsync();

    public static IPipeline Create(Scenario scenario, Implementation implementation, EmbeddedKafka kafka, RunSettings settings)
    {
        if (implementation == Implementation.Baseline) return new HandWrittenPipeline(scenario, kafka, settings);
        return new StreamsGeneratedPipeline(scenario, kafka, settings);
    }
}

/// <summary>A generated topology on <see cref="StreamsApp"/>, with the runtime's client defaults.</summary>
internal sealed class StreamsGeneratedPipeline(Scenario scenario, EmbeddedKafka kafka, RunSettings settings) : IPipeline
{
    private readonly TopologyDefinition _topology = scenario.Topology();
    private StreamsApp? _app;

    public string GroupId => "e2e-" + _topology.Name;

    public IReadOnlyList<string> InternalTopics =>
        [.. _topology.InternalTopics.Select(suffix => TopologyDefinition.InternalTopicName(GroupId, suffix))];

    public async Task StartAsync(Action onAssigned)
    {
        _app = new StreamsApp(_topology, new StreamsOptions
        {
            ApplicationId = GroupId,
            BootstrapServers = kafka.BootstrapServers,
            TopicCreator = kafka,
            CommitInterval = settings.CommitInterval,
            ConfigureConsumer = config =>
            {
                ClientSettings.ConfigureRuntimeConsumer(config);
                ClientSettings.CheckRuntimeConsumer(config, scenario);
            },
            ConfigureProducer = ClientSettings.CheckRuntimeProducer,
        });
        var assigned = 0;
        _app.StateChanged += (_, change) =>
        {
            // Raised on the stream thread inside the assignment callback, just before the first record is consumed.
            if (change.NewState == StreamsState.Running && Interlocked.Exchange(ref assigned, 1) == 0) onAssigned();
        };
        await _app.StartAsync();
    }

    public Task StopAsync() => _app?.StopAsync() ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
}
