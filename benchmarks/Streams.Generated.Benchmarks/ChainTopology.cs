using Streams.Generated;

namespace Streams.Generated.Benchmarks;

/// <summary>map -> filter -> count over long keys and values, in one sub-topology (no repartition).</summary>
[Topology("chain")]
public static partial class ChainTopology
{
    public const string Input = "chain-input";
    public const string Output = "chain-counts";

    [Processor(From = Input)]
    public partial class Map
    {
        public void Process(long key, long value) => Mapped(value + key);

        [To(nameof(Filter))] private partial void Mapped(long value);
    }

    [Processor(From = nameof(Map))]
    public partial class Filter
    {
        public void Process(long key, long value)
        {
            if ((value & 1) == 0) Kept(value);
        }

        [To(nameof(Count))] private partial void Kept(long value);
    }

    [Count(From = nameof(Filter), Store = "chain-store", To = Output)]
    public partial class Count;
}
