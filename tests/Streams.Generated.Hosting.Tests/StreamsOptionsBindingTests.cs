using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streams.Generated.Kafka;
using Streams.Generated.Serialization.Avro;

namespace Streams.Generated.Hosting.Tests;

/// <summary>What <c>AddStreamsApp</c> registers, and how options are bound from configuration (no broker).</summary>
public class StreamsOptionsBindingTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static ServiceProvider Provider(IConfiguration configuration, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        register(services);
        return services.BuildServiceProvider();
    }

    private static StreamsOptions Options(ServiceProvider provider, string name = "greetings") =>
        provider.GetRequiredService<IOptionsMonitor<StreamsOptions>>().Get(name);

    [Fact]
    public void Binds_every_option_and_the_client_properties_from_a_section()
    {
        var configuration = Configuration(
            ("Streams:ApplicationId", "greeter-1"),
            ("Streams:BootstrapServers", "kafka-1:9092,kafka-2:9092"),
            ("Streams:CommitInterval", "00:00:05"),
            ("Streams:StartupTimeout", "00:01:00"),
            ("Streams:InternalTopicReplicationFactor", "3"),
            ("Streams:StreamThreads", "4"),
            ("Streams:MaxTaskIdle", "00:00:00.500"),
            ("Streams:PartitionBufferPauseBytes", "2097152"),
            ("Streams:PartitionBufferResumeBytes", "1048576"),
            ("Streams:DeserializationErrorPolicy", "DeadLetter"),
            ("Streams:ProcessingErrorPolicy", "logandcontinue"),
            ("Streams:ProductionErrorPolicy", "Fail"),
            ("Streams:DeadLetterTopic", "greetings-dlq"),
            ("Streams:ConfluentWireFormat:greetings", "17"),
            ("Streams:AvroWriterSchemas:greetings:12", "{\"type\":\"record\",\"name\":\"V1\",\"fields\":[]}"),
            ("Streams:AvroWriterSchemas:legacy", "{\"type\":\"record\",\"name\":\"V0\",\"fields\":[]}"),
            ("Streams:Kafka:security.protocol", "SASL_SSL"),
            ("Streams:Kafka:client.rack", "rack-a"),
            ("Streams:Consumer:session.timeout.ms", "6000"),
            ("Streams:Consumer:client.rack", "rack-b"),
            ("Streams:Producer:linger.ms", "2"),
            ("Streams:AdminClient:socket.timeout.ms", "1000"));
        using var provider = Provider(configuration, services => services.AddStreamsApp(GreetingTopology.Definition).BindConfiguration("Streams"));

        var options = Options(provider);

        Assert.Equal("greeter-1", options.ApplicationId);
        Assert.Equal("kafka-1:9092,kafka-2:9092", options.BootstrapServers);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CommitInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.StartupTimeout);
        Assert.Equal(3, options.InternalTopicReplicationFactor);
        Assert.Equal((4, TimeSpan.FromMilliseconds(500), 2L << 20, 1L << 20), (options.StreamThreads, options.MaxTaskIdle, options.PartitionBufferPauseBytes, options.PartitionBufferResumeBytes));
        Assert.Equal((ErrorPolicy.DeadLetter, ErrorPolicy.LogAndContinue, ErrorPolicy.Fail, "greetings-dlq"),
            (options.DeserializationErrorPolicy, options.ProcessingErrorPolicy, options.ProductionErrorPolicy, options.DeadLetterTopic));
        Assert.Equal(17, options.ConfluentWireFormat["greetings"]);
        Assert.Equal(
            [new AvroWriterSchema("greetings", 12, "{\"type\":\"record\",\"name\":\"V1\",\"fields\":[]}"), new AvroWriterSchema("legacy", null, "{\"type\":\"record\",\"name\":\"V0\",\"fields\":[]}")],
            options.AvroWriterSchemas.OrderBy(w => w.Topic));
        var consumer = new ConsumerConfig();
        options.ConfigureConsumer!(consumer);
        Assert.Equal(["SASL_SSL", "6000", "rack-b"], // the client's own section wins over Kafka
            [consumer.Get("security.protocol"), consumer.Get("session.timeout.ms"), consumer.Get("client.rack")]);
        var producer = new ProducerConfig();
        options.ConfigureProducer!(producer);
        Assert.Equal(["SASL_SSL", "2", "rack-a"], [producer.Get("security.protocol"), producer.Get("linger.ms"), producer.Get("client.rack")]);
        var admin = new AdminClientConfig();
        options.ConfigureAdminClient!(admin);
        Assert.Equal(["SASL_SSL", "1000"], [admin.Get("security.protocol"), admin.Get("socket.timeout.ms")]);
    }

    [Fact]
    public async Task Defaults_come_from_the_topology_and_the_host_and_code_runs_before_configuration()
    {
        var configuration = Configuration(("Streams:BootstrapServers", "from-configuration:9092"));
        await using var provider = Provider(configuration, services => services
            .AddSingleton<IGreeter, Greeter>()
            .AddStreamsApp(GreetingTopology.Definition, options =>
            {
                options.BootstrapServers = "from-code:9092";
                options.CommitInterval = TimeSpan.FromSeconds(7);
            })
            .BindConfiguration("Streams"));

        var options = Options(provider);

        Assert.Equal("greetings", options.ApplicationId);
        Assert.Equal("from-configuration:9092", options.BootstrapServers);
        Assert.Equal(TimeSpan.FromSeconds(7), options.CommitInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.StartupTimeout);
        Assert.Null(options.ConfigureConsumer);
        Assert.Same(provider.GetRequiredService<ILoggerFactory>(), options.LoggerFactory);
        Assert.Same(provider.GetRequiredService<IGreeter>(), options.Services!.GetService(typeof(IGreeter)));
    }

    [Theory]
    [InlineData("Streams:BootstrapServer", "x", "Unknown Streams option 'Streams:BootstrapServer'. The keys are: ApplicationId, BootstrapServers,")]
    [InlineData("Streams:CommitInterval", "5s", "Streams option 'Streams:CommitInterval' is '5s'; expected a duration such as 00:00:30.")]
    [InlineData("Streams:InternalTopicReplicationFactor", "three", "Streams option 'Streams:InternalTopicReplicationFactor' is 'three'; expected a whole number")]
    [InlineData("Streams:ProcessingErrorPolicy", "Ignore", "Streams option 'Streams:ProcessingErrorPolicy' is 'Ignore'; expected Fail, LogAndContinue or DeadLetter.")]
    [InlineData("Streams:ProcessingErrorPolicy", "7", "Streams option 'Streams:ProcessingErrorPolicy' is '7'; expected Fail, LogAndContinue or DeadLetter.")]
    [InlineData("Streams:StreamThreads", "two", "Streams option 'Streams:StreamThreads' is 'two'; expected a whole number of threads.")]
    [InlineData("Streams:ConfluentWireFormat:orders", "v17", "Streams option 'Streams:ConfluentWireFormat:orders' is 'v17'; expected a Schema Registry id.")]
    [InlineData("Streams:AvroWriterSchemas:orders:v1", "{}", "Streams option 'Streams:AvroWriterSchemas:orders:v1': 'v1' is not a schema id")]
    [InlineData("Streams:Consumer:ssl:key", "x", "Streams option 'Streams:Consumer:ssl' has no value: the keys of 'Consumer' are Kafka client properties")]
    public void A_wrong_key_or_value_fails_naming_it(string key, string value, string message)
    {
        using var provider = Provider(Configuration((key, value)), services => services.AddStreamsApp(GreetingTopology.Definition).BindConfiguration("Streams"));

        var error = Assert.Throws<InvalidOperationException>(() => Options(provider));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public async Task Several_apps_are_keyed_by_name_with_their_own_options_and_the_first_is_the_default()
    {
        var configuration = Configuration(
            ("Streams:Eu:BootstrapServers", "eu:9092"),
            ("Streams:Us:BootstrapServers", "us:9092"),
            ("Streams:Us:ApplicationId", "greetings-us"));
        await using var provider = Provider(configuration, services =>
        {
            services.AddStreamsApp("eu", GreetingTopology.Definition).BindConfiguration("Streams:Eu");
            services.AddStreamsApp("us", GreetingTopology.Definition).BindConfiguration("Streams:Us");
        });

        var eu = provider.GetRequiredKeyedService<StreamsApp>("eu");
        var us = provider.GetRequiredKeyedService<StreamsApp>("us");

        Assert.Equal(("greetings", "eu:9092"), (eu.Options.ApplicationId, eu.Options.BootstrapServers));
        Assert.Equal(("greetings-us", "us:9092"), (us.Options.ApplicationId, us.Options.BootstrapServers));
        Assert.Same(eu, provider.GetRequiredService<StreamsApp>());
        Assert.Same(GreetingTopology.Definition, us.Topology);
    }

    private sealed class Greeter : IGreeter
    {
        public string Greet(string name) => name;
    }

    [Fact]
    public void The_same_name_twice_is_rejected()
    {
        var services = new ServiceCollection();
        services.AddStreamsApp(GreetingTopology.Definition);

        var error = Assert.Throws<InvalidOperationException>(() => services.AddStreamsApp(GreetingTopology.Definition));

        Assert.Equal("A Streams app named 'greetings' is already registered; give each app its own name.", error.Message);
    }

    [Fact]
    public void A_missing_bootstrap_server_fails_when_the_app_is_created()
    {
        using var provider = Provider(Configuration(), services => services.AddStreamsApp(GreetingTopology.Definition));

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<StreamsApp>());

        Assert.Contains("BootstrapServers is required", error.Message);
    }
}
