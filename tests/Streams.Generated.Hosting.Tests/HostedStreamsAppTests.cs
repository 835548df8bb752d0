using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streams.Generated.Kafka;
using Streams.Generated.Testing;
using Xunit.Abstractions;
using static Streams.Generated.Hosting.Tests.GreetingTopology;

namespace Streams.Generated.Hosting.Tests;

/// <summary>A generic host runs a topology on the embedded broker: configuration, injected services, health, stop and failure.</summary>
public class HostedStreamsAppTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class Greeter : IGreeter
    {
        public string Greet(string name) => name == "poison" ? throw new InvalidOperationException("cannot greet poison") : $"Hello, {name}!";
    }

    /// <summary>A host as an app would build it, with its settings in configuration and the broker's topic creator in code.</summary>
    private (IHost Host, RecordingLoggerProvider Logs) BuildHost(EmbeddedKafka? kafka, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        var logs = new RecordingLoggerProvider(output);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IGreeter, Greeter>();
        builder.Services.AddStreamsApp(Definition, options => options.TopicCreator = kafka).BindConfiguration("Streams");
        builder.Services.AddHealthChecks().AddStreamsHealthCheck();
        return (builder.Build(), logs);
    }

    private static (string, string)[] Settings(EmbeddedKafka kafka, string applicationId) =>
    [
        ("Streams:ApplicationId", applicationId),
        ("Streams:BootstrapServers", kafka.BootstrapServers),
        ("Streams:CommitInterval", "00:00:01"),
        // The mock cluster ends a rebalance after a join or leave only after session.timeout.ms - 1 s (45 s by default).
        ("Streams:Consumer:session.timeout.ms", "6000"),
    ];

    [Fact]
    public async Task A_host_shutdown_timeout_does_not_throw_and_the_app_goes_on_stopping()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(Names, 1);
        kafka.CreateTopic(Greetings, 1);
        var (host, logs) = BuildHost(kafka, Settings(kafka, "timeout-" + Guid.NewGuid().ToString("N")[..8]));
        using var _ = host;
        var app = host.Services.GetRequiredService<StreamsApp>();
        var service = host.Services.GetServices<IHostedService>().OfType<StreamsHostedService>().Single();
        await host.StartAsync();
        await WaitUntil(() => app.State == StreamsState.Running, () => $"state {app.State}");

        await service.StopAsync(new CancellationToken(canceled: true)); // the host gave up waiting at once

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("did not stop within the host's shutdown timeout"));
        await app.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(StreamsState.Stopped, app.State);
    }

    [Fact]
    public async Task The_host_runs_the_topology_with_its_services_reports_health_and_stops_the_app_gracefully()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(Names, 2);
        kafka.CreateTopic(Greetings, 2);
        var applicationId = "greetings-" + Guid.NewGuid().ToString("N")[..8];
        var (host, _) = BuildHost(kafka, Settings(kafka, applicationId));
        using var _ = host;
        var app = host.Services.GetRequiredService<StreamsApp>();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Status); // created, not started
        await host.StartAsync();
        await WaitUntil(() => app.State == StreamsState.Running, () => $"state {app.State}");
        var running = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal("greetings: Running", running.Entries["streams"].Description);

        Produce(kafka, "ada", "grace", "linus");
        Assert.Equal(["Hello, ada!", "Hello, grace!", "Hello, linus!"], ReadValues(kafka, Greetings, 3).Order());

        await host.StopAsync();
        Assert.Equal(StreamsState.Stopped, app.State);
        Assert.True(app.Completion.IsCompletedSuccessfully);
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
        Assert.Equal(3, CommittedRecords(kafka, applicationId)); // the final commit covered every processed record
    }

    [Fact]
    public async Task A_failing_app_stops_the_host_with_a_logged_error_and_reports_unhealthy()
    {
        using var kafka = EmbeddedKafka.Start();
        kafka.CreateTopic(Names, 1);
        kafka.CreateTopic(Greetings, 1);
        var (host, logs) = BuildHost(kafka, Settings(kafka, "poisoned-" + Guid.NewGuid().ToString("N")[..8]));
        using var _ = host;
        var app = host.Services.GetRequiredService<StreamsApp>();

        await host.StartAsync();
        Produce(kafka, "ada", "poison");
        await host.WaitForShutdownAsync().WaitAsync(Patience);

        Assert.Equal(StreamsState.Error, app.State);
        var error = await Assert.ThrowsAsync<RecordProcessingException>(() => app.Completion);
        Assert.Contains("cannot greet poison", error.Message);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Category == "Streams.Generated.Hosting.StreamsHostedService"
            && e.Message.StartsWith($"Streams application {app.Options.ApplicationId} failed; stopping the host.", StringComparison.Ordinal));
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Same(error, report.Entries["streams"].Exception);
    }

    [Fact]
    public async Task An_unreachable_cluster_stops_the_host_within_the_startup_timeout()
    {
        var (host, logs) = BuildHost(null,
            ("Streams:BootstrapServers", "127.0.0.1:1"),
            ("Streams:StartupTimeout", "00:00:02"));
        using var _ = host;
        var clock = Stopwatch.StartNew();

        await host.StartAsync(); // does not wait for the cluster
        await host.WaitForShutdownAsync().WaitAsync(Patience);

        output.WriteLine($"stopped after {clock.Elapsed}");
        Assert.Equal(StreamsState.Error, host.Services.GetRequiredService<StreamsApp>().State);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Cannot reach the Kafka cluster at 127.0.0.1:1", StringComparison.Ordinal));
    }

    private static void Produce(EmbeddedKafka kafka, params string[] names)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        foreach (var name in names)
            producer.Produce(Names, new Message<string, string> { Key = name, Value = name });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    private static List<string> ReadValues(EmbeddedKafka kafka, string topic, int count)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "verifier-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        var clock = Stopwatch.StartNew();
        while (values.Count < count && clock.Elapsed < Patience)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
                values.Add(message.Value);
        return values;
    }

    /// <summary>The sum of the group's committed offsets on the input topic: the records it processed and committed.</summary>
    private static long CommittedRecords(EmbeddedKafka kafka, string groupId)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = groupId }).Build();
        var partitions = Enumerable.Range(0, 2).Select(p => new TopicPartition(Names, p));
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(c => Math.Max(0, c.Offset.Value));
    }

    private static async Task WaitUntil(Func<bool> condition, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, "Timed out: " + describe());
            await Task.Delay(50);
        }
    }
}
