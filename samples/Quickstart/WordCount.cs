using Streams.Generated;

namespace Quickstart;

/// <summary>Kafka Streams' WordCount: split lines into words, count each word, write every updated count.</summary>
[Topology("wordcount")]
public static partial class WordCount
{
    public const string Input = "streams-plaintext-input";
    public const string Output = "streams-wordcount-output";

    [Processor(From = Input)]
    public partial class SplitWords
    {
        public void Process(string line)
        {
            foreach (var word in line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Word(word, word);
        }

        // The key changes to the word, so the generator routes this through a repartition topic before counting.
        [To(nameof(Counts))] private partial void Word(string key, string value);
    }

    [Count(From = nameof(SplitWords), Store = "counts", To = Output)]
    public partial class Counts;
}
