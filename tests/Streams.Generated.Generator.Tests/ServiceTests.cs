using System.Globalization;
using Streams.Generated.Generator.Tests.Infrastructure;
using Streams.Generated.Serialization;
using Streams.Generated.Topology;
using Serde = Streams.Generated.Serialization.Serdes;

namespace Streams.Generated.Generator.Tests;

/// <summary>Compiles <see cref="Sources.Services"/> once.</summary>
public sealed class ServicesFixture : IDisposable
{
    public LoadedAssembly Loaded { get; } = CSharpGeneratorRunner.CompileAndLoad(Sources.Services);

    public void Dispose() => Loaded.Dispose();
}

/// <summary>A processor's constructor parameters come from the task context's service provider, by type.</summary>
public class ServiceTests(ServicesFixture fixture) : IClassFixture<ServicesFixture>
{
    private ITopologyTask CreateTask(RecordingCollector collector, IServiceProvider? services) =>
        fixture.Loaded.Definition("Samples.Prices").Subtopologies[0].CreateTask(new TaskContext("app", 0, 0, collector, services));

    [Fact]
    public void The_task_creates_the_processor_with_its_services_once()
    {
        var provider = new FakeServiceProvider(new()
        {
            [typeof(Func<string, double>)] = new Func<string, double>(symbol => symbol == "ACME" ? 0.5 : 1),
            [typeof(IFormatProvider)] = CultureInfo.InvariantCulture,
        });
        var collector = new RecordingCollector();
        var task = CreateTask(collector, provider);

        task.Process(0, new ConsumedRecord("prices-usd", 0, 0, 1, Serde.String.ToBytes("ACME"), Serde.Double.ToBytes(3)));
        task.Process(0, new ConsumedRecord("prices-usd", 0, 1, 2, Serde.String.ToBytes("INIT"), Serde.Double.ToBytes(2.5)));

        Assert.Equal(["ACME=1.50 EUR", "INIT=2.50 EUR"], collector.Sent.Select(s => Serde.String.Deserialize(s.Value!)));
        Assert.Equal([typeof(Func<string, double>), typeof(IFormatProvider)], provider.Requested);
    }

    [Fact]
    public void Without_a_service_provider_task_creation_fails_naming_the_processor_and_the_parameter()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CreateTask(new RecordingCollector(), services: null));

        Assert.StartsWith("Processor Convert needs a service for its constructor parameter 'Func<string, double> euroPerDollar', "
            + "but no service provider is configured", error.Message);
    }

    [Fact]
    public void A_service_the_provider_does_not_have_fails_task_creation_naming_it()
    {
        var provider = new FakeServiceProvider(new() { [typeof(Func<string, double>)] = new Func<string, double>(_ => 1) });

        var error = Assert.Throws<InvalidOperationException>(() => CreateTask(new RecordingCollector(), provider));

        Assert.Equal("Processor Convert needs a service for its constructor parameter 'IFormatProvider? format', "
            + "but the service provider has none of that type: register one.", error.Message);
    }

    private sealed class FakeServiceProvider(Dictionary<Type, object> services) : IServiceProvider
    {
        public List<Type> Requested { get; } = [];

        public object? GetService(Type serviceType)
        {
            Requested.Add(serviceType);
            return services.GetValueOrDefault(serviceType);
        }
    }
}
