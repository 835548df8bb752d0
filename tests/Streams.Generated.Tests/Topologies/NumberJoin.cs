namespace Streams.Generated.Tests.Topologies;

/// <summary>Numbers joined with a table of factors by their long key: the allocation test's subject.</summary>
[Topology("number-join")]
public static partial class NumberJoin
{
    public const string Numbers = "numbers";
    public const string Factors = "factors";
    public const string Products = "products";

    [Join(From = Numbers, Table = Factors, Store = "factors", To = Products)]
    public partial class Multiply
    {
        public long Join(long key, long number, long factor) => number * factor;
    }
}
