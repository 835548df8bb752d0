namespace Streams.Generated.EndToEnd;

/// <summary>The topics of a run; every run has a cluster of its own, so the names are fixed.</summary>
public static class Topics
{
    public const string Input = "e2e-input";
    public const string Output = "e2e-output";

    /// <summary>The join's table (<see cref="Workload.Table"/>), partitioned like the input.</summary>
    public const string Table = "e2e-table";
}

/// <summary>(a) map: upper-case every value, keep the key.</summary>
[Topology("e2e-map")]
public static partial class MapTopology
{
    [Processor(From = Topics.Input)]
    public partial class Upper
    {
        public void Process(string value) => Mapped(Workload.Map(value));

        [To(Topics.Output)] private partial void Mapped(string value);
    }
}

/// <summary>(b) filter + map: two nodes, keep records with an even id, then upper-case them.</summary>
[Topology("e2e-filter-map")]
public static partial class FilterMapTopology
{
    [Processor(From = Topics.Input)]
    public partial class EvenIds
    {
        public void Process(string value)
        {
            if (Workload.Keep(value)) Kept(value);
        }

        [To(nameof(Upper))] private partial void Kept(string value);
    }

    [Processor(From = nameof(EvenIds))]
    public partial class Upper
    {
        public void Process(string value) => Mapped(Workload.Map(value));

        [To(Topics.Output)] private partial void Mapped(string value);
    }
}

/// <summary>(c) keyed count: records per input key (Kafka Streams' <c>groupByKey().count()</c>); no repartition.</summary>
[Topology("e2e-count")]
public static partial class CountTopology
{
    [Count(From = Topics.Input, Store = "counts", To = Topics.Output)]
    public partial class CountByKey;
}

/// <summary>
/// (c') re-keyed count: records per group taken from the value (<c>groupBy(...).count()</c>). The key changes, so the
/// records cross the repartition topic <c>{applicationId}-CountByGroup-repartition</c> before they are counted.
/// </summary>
[Topology("e2e-count-rekeyed")]
public static partial class CountRekeyedTopology
{
    [Processor(From = Topics.Input)]
    public partial class Regroup
    {
        public void Process(string value) => Regrouped(Workload.GroupOf(value), value);

        [To(nameof(CountByGroup))] private partial void Regrouped(string key, string value);
    }

    [Count(From = nameof(Regroup), Store = "group-counts", To = Topics.Output)]
    public partial class CountByGroup;
}

/// <summary>
/// (d) stream-table inner join: the table topic <see cref="Topics.Table"/> (a customer name per key, for half the keys)
/// is read into a store; each input record with a customer leaves with the name appended, under its key.
/// </summary>
[Topology("e2e-join")]
public static partial class JoinTopology
{
    [Join(From = Topics.Input, Table = Topics.Table, Store = "customers", To = Topics.Output)]
    public partial class WithCustomer
    {
        // The key is declared (and unused) so that the store is keyed by string, as the hand-written loop's dictionary.
        public static string Join(string key, string value, string customer) => Workload.Join(value, customer);
    }
}
