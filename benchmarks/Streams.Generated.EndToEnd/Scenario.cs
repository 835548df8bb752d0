using Streams.Generated.Topology;

namespace Streams.Generated.EndToEnd;

/// <summary>What a run does with the input.</summary>
public enum Scenario
{
    /// <summary>(a) upper-case every value.</summary>
    Map,

    /// <summary>(b) keep even ids, then upper-case.</summary>
    FilterMap,

    /// <summary>(c) count per input key.</summary>
    Count,

    /// <summary>(c') count per group taken from the value, through a repartition topic.</summary>
    CountRekeyed,

    /// <summary>(d) stream-table inner join: each record whose key has a customer in the table gets the name appended.</summary>
    Join,

    /// <summary>Client boundary probe, hand-written only: consume and commit, nothing else.</summary>
    ConsumeOnly,

    /// <summary>Client boundary probe, hand-written only: consume as byte arrays, produce the same arrays, commit.</summary>
    CopyThrough,
}

/// <summary>Who runs the scenario.</summary>
public enum Implementation
{
    /// <summary>The generated topology on <see cref="Kafka.StreamsApp"/>.</summary>
    StreamsGenerated,

    /// <summary>A hand-written Confluent.Kafka consume-transform-produce loop with the same client settings.</summary>
    Baseline,
}

/// <summary>Sizes and timings shared by every run of one harness invocation.</summary>
public sealed record RunSettings
{
    /// <summary>Input records; spread over <see cref="Partitions"/> by key.</summary>
    public int Records { get; init; } = 320_000;

    public int Partitions { get; init; } = 16;

    /// <summary>Both implementations flush and commit on this interval.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A run that has not committed everything by then fails (its numbers would be void anyway).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

public static class ScenarioExtensions
{
    public static string Name(this Scenario scenario) => scenario switch
    {
        Scenario.Map => "map",
        Scenario.FilterMap => "filter-map",
        Scenario.Count => "count",
        Scenario.CountRekeyed => "count-rekeyed",
        Scenario.Join => "join",
        Scenario.ConsumeOnly => "consume-only",
        Scenario.CopyThrough => "copy-through",
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    public static Scenario Parse(string name)
    {
        foreach (var scenario in Enum.GetValues<Scenario>())
            if (scenario.Name() == name) return scenario;
        throw new ArgumentException($"Unknown scenario '{name}'; one of: {string.Join(", ", Enum.GetValues<Scenario>().Select(s => s.Name()))}.");
    }

    /// <summary>Probes measure the client alone; they have no Streams.Generated counterpart.</summary>
    public static bool IsClientBoundaryProbe(this Scenario scenario) => scenario is Scenario.ConsumeOnly or Scenario.CopyThrough;

    public static string Name(this Implementation implementation) =>
        implementation == Implementation.StreamsGenerated ? "Streams.Generated" : "hand-written";

    public static Implementation ParseImplementation(string name) => name switch
    {
        "streams-generated" => Implementation.StreamsGenerated,
        "hand-written" => Implementation.Baseline,
        _ => throw new ArgumentException($"Unknown implementation '{name}'; one of: streams-generated, hand-written."),
    };

    /// <summary>The generated topology of a scenario.</summary>
    public static TopologyDefinition Topology(this Scenario scenario) => scenario switch
    {
        Scenario.Map => MapTopology.Definition,
        Scenario.FilterMap => FilterMapTopology.Definition,
        Scenario.Count => CountTopology.Definition,
        Scenario.CountRekeyed => CountRekeyedTopology.Definition,
        Scenario.Join => JoinTopology.Definition,
        _ => throw new ArgumentException($"Scenario {scenario.Name()} is a client boundary probe: it has no topology."),
    };
}
