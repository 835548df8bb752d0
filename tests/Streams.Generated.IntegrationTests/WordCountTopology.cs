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
