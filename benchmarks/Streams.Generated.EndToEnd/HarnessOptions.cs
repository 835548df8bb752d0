using System.Globalization;

namespace Streams.Generated.EndToEnd;

/// <summary>Command line options; the defaults finish in a few minutes on a 2-core machine.</summary>
public sealed record HarnessOptions
{
    public const string Help = """
        Options:
          --records N             input records per throughput run (default 320000: 20,000 per partition, ~2.4 MB each)
          --partitions N          input/output partitions (default 16)
          --rounds N              throughput rounds; each runs every scenario with both implementations (default 5; 0 skips)
          --scenarios a,b         map, filter-map, count, count-rekeyed, join, consume-only, copy-through (default all)
          --implementations a,b   streams-generated, hand-written (default both; one alone is for profiling)
          --commit-interval-ms N  flush-and-commit interval of both implementations (default 100)
          --latency-rate N        records/s of the latency runs (default 5000; 0 skips them)
          --latency-seconds N     length of each latency run (default 10), of which the first 2 s are not counted
          --print-windows         print each run's measured window in CLOCK_MONOTONIC seconds (for perf report --time)
        """;

    public RunSettings Settings { get; init; } = new();

    public int Rounds { get; init; } = 5;

    public IReadOnlyList<Scenario> Scenarios { get; init; } = Enum.GetValues<Scenario>();

    public IReadOnlyList<Implementation> Implementations { get; init; } = Enum.GetValues<Implementation>();

    public int LatencyRate { get; init; } = 5000;

    public TimeSpan LatencyDuration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LatencyWarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public bool ShowHelp { get; init; }

    public bool PrintWindows { get; init; }

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help" or "--print-windows")
            {
                options = name == "--print-windows" ? options with { PrintWindows = true } : options with { ShowHelp = true };
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
            var value = args[++i];
            options = name switch
            {
                "--records" => options with { Settings = options.Settings with { Records = Positive(name, value) } },
                "--partitions" => options with { Settings = options.Settings with { Partitions = Positive(name, value) } },
                "--rounds" => options with { Rounds = NonNegative(name, value) },
                "--scenarios" => options with { Scenarios = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ScenarioExtensions.Parse)] },
                "--implementations" => options with { Implementations = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ScenarioExtensions.ParseImplementation)] },
                "--commit-interval-ms" => options with { Settings = options.Settings with { CommitInterval = TimeSpan.FromMilliseconds(Positive(name, value)) } },
                "--latency-rate" => options with { LatencyRate = NonNegative(name, value) },
                "--latency-seconds" => options with { LatencyDuration = TimeSpan.FromSeconds(Positive(name, value)) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        if (options.LatencyDuration <= options.LatencyWarmUp)
            throw new ArgumentException($"--latency-seconds must be more than the {options.LatencyWarmUp.TotalSeconds:0} s warm-up.");
        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} takes a positive integer, not '{value}'.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} takes a non-negative integer, not '{value}'.");
}
