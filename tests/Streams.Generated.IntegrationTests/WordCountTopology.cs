using Streams.Generated.Topology;

namespace Streams.Generated.IntegrationTests;

/// <summary>Kafka Streams' WordCount, as the quickstart writes it: the topology the runtime tests run.</summary>
[Topology("wordcount")]
public static partial class WordCountTopology
{
    [Processor(From = IntegrationTopologies.WordCountInput)]
    public partial class SplitWords
    {
        public void Process(string line)
        {
            foreach (var word in line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Word(word, word);
        }

        [To(nameof(Counts))] private partial void Word(string key, string value);
    }

    [Count(From = nameof(SplitWords), Store = "counts", To = IntegrationTopologies.WordCountOutput)]
    public partial class Counts;
}

/// <summary>Reads <c>long</c> values and writes them doubled: a source with a fixed-size serde.</summary>
[Topology("numbers")]
public static partial class NumbersTopology
{
    [Processor(From = IntegrationTopologies.NumbersInput)]
    public partial class Doubler
    {
        public void Process(long value) => Doubled(value * 2);

        [To(IntegrationTopologies.NumbersOutput)] private partial void Doubled(long value);
    }
}

/// <summary>The generated topologies the runtime tests run, and their topic names.</summary>
internal static class IntegrationTopologies
{
    public const string WordCountInput = "streams-plaintext-input";
    public const string WordCountOutput = "streams-wordcount-output";
    public const string CountsRepartition = "Counts-repartition";

    public const string NumbersInput = "numbers";
    public const string NumbersOutput = "numbers-doubled";

    public const string PoisonInput = "poison-in";
    public const string PoisonOutput = "poison-out";
    public const string PoisonDeadLetters = "poison-dlq";

    public const string SlowInput = "slow-in";
    public const string SlowOutput = "slow-out";
    public const string LeftInput = "left-in";
    public const string RightInput = "right-in";
    public const string MergedOutput = "merged-out";
    public const string CopyInput = "copy-in";
    public const string CopyOutput = "copy-out";

    public static TopologyDefinition WordCount => WordCountTopology.Definition;

    public static TopologyDefinition Numbers => NumbersTopology.Definition;

    public static TopologyDefinition Poison => PoisonTopology.Definition;
}

/// <summary>Doubles <c>long</c> values and throws for multiples of 7: records for the error policies to deal with.</summary>
[Topology("poison")]
public static partial class PoisonTopology
{
    [Processor(From = IntegrationTopologies.PoisonInput)]
    public partial class Picky
    {
        public void Process(long value)
        {
            if (value % 7 == 0) throw new InvalidOperationException($"{value} is a multiple of 7");
            Doubled(value * 2);
        }

        [To(IntegrationTopologies.PoisonOutput)] private partial void Doubled(long value);
    }
}

/// <summary>A deliberately slow processor: the input arrives far faster than it is processed.</summary>
[Topology("slow")]
public static partial class SlowTopology
{
    /// <summary>Busy time per record.</summary>
    public static TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(1);

    [Processor(From = IntegrationTopologies.SlowInput)]
    public partial class Crawl
    {
        public void Process(string key, string value)
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(Delay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until) { } // spin: the stream thread is busy, as with real work
            Out(key, value[..Math.Min(value.Length, 16)]);
        }

        [To(IntegrationTopologies.SlowOutput)] private partial void Out(string key, string value);
    }
}

/// <summary>Two topics into one node: one task reads partition p of both, in timestamp order.</summary>
[Topology("merge")]
public static partial class MergeTopology
{
    [Processor(From = IntegrationTopologies.LeftInput)]
    public partial class Left
    {
        public void Process(string key, string value) => Out(key, "L" + value);

        [To(nameof(Merged))] private partial void Out(string key, string value);
    }

    [Processor(From = IntegrationTopologies.RightInput)]
    public partial class Right
    {
        public void Process(string key, string value) => Out(key, "R" + value);

        [To(nameof(Merged))] private partial void Out(string key, string value);
    }

    [Processor(From = nameof(Left))]
    public partial class Merged
    {
        public void Process(string key, string value, in RecordContext context) => Out(key, $"{context.Timestamp}:{value}");

        [To(IntegrationTopologies.MergedOutput)] private partial void Out(string key, string value);
    }
}

/// <summary>Copies every record: what the scale-out test counts.</summary>
[Topology("copy")]
public static partial class CopyTopology
{
    [Processor(From = IntegrationTopologies.CopyInput)]
    public partial class Copy
    {
        public void Process(string key, long value) => Out(key, value);

        [To(IntegrationTopologies.CopyOutput)] private partial void Out(string key, long value);
    }
}
