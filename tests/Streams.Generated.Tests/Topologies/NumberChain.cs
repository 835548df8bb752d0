namespace Streams.Generated.Tests.Topologies;

/// <summary>
/// A map -> filter -> count chain over primitive types in one sub-topology: the path the zero-allocation test and the
/// benchmark measure. Keys are kept (outputs without a key parameter), so no repartition topic.
/// </summary>
[Topology("numbers")]
public static partial class NumberChain
{
    public const string Input = "numbers";
    public const string Output = "number-counts";

    [Processor(From = Input)]
    public partial class Scale
    {
        public void Process(long key, long value) => Scaled(value * 3);

        [To(nameof(KeepEven))] private partial void Scaled(long value);
    }

    [Processor(From = nameof(Scale))]
    public partial class KeepEven
    {
        public void Process(long key, long value)
        {
            if (value % 2 == 0) Even(value);
        }

        [To(nameof(CountPerKey))] private partial void Even(long value);
    }

    [Count(From = nameof(KeepEven), Store = "per-key", To = Output)]
    public partial class CountPerKey;
}
