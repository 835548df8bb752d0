using Streams.Generated.Kafka;
using Streams.Generated.Topology;

namespace Streams.Generated.Tests.Runtime;

public class InternalTopicPlannerTests
{
    private static SubtopologyDefinition Sub(int id, TopicReference[] sources, TopicReference[] sinks) =>
        new(id, sources, sinks, [], _ => throw new NotSupportedException());

    private static TopicReference Ext(string name) => new(name, false);
    private static TopicReference Int(string name) => new(name, true);

    [Fact]
    public void A_repartition_topic_gets_the_partition_count_of_its_writers_source()
    {
        var topology = FakeTopologies.TwoStage([]);

        var plan = InternalTopicPlanner.Plan(topology, "app", new Dictionary<string, int> { ["lines"] = 4 });

        Assert.Equal(new Dictionary<string, int> { ["app-rekey"] = 4 }, plan);
    }

    [Fact]
    public void A_repartition_topic_joined_with_a_table_gets_the_tables_partition_count()
    {
        var topology = new TopologyDefinition("t",
        [
            new SubtopologyDefinition(0, [Ext("orders")], [Int("join-repartition")], [], _ => throw new NotSupportedException()),
            new SubtopologyDefinition(1, [Int("join-repartition"), Ext("customers") with { IsTable = true }], [Ext("out")], ["customers"],
                _ => throw new NotSupportedException(), copartitionGroups: [[0, 1]]),
        ], "", "");

        var plan = InternalTopicPlanner.Plan(topology, "app", new Dictionary<string, int> { ["orders"] = 8, ["customers"] = 3 });

        Assert.Equal(3, plan["app-join-repartition"]); // not 8: the join's sides must be co-partitioned
    }

    [Fact]
    public void Joined_topics_with_different_partition_counts_are_refused_naming_both()
    {
        var topology = new TopologyDefinition("shop",
        [
            new SubtopologyDefinition(0, [Ext("payments"), Ext("customers") with { IsTable = true }], [Ext("out")], ["customers"],
                _ => throw new NotSupportedException(), copartitionGroups: [[0, 1]]),
        ], "", "");

        var error = Assert.Throws<StreamsException>(() =>
            InternalTopicPlanner.Plan(topology, "app", new Dictionary<string, int> { ["payments"] = 2, ["customers"] = 3 }));

        Assert.Equal("Topics 'payments' (2 partitions), 'customers' (3 partitions) are joined in sub-topology 0 of 'shop' but are not co-partitioned: " +
            "a join needs the same number of partitions on both sides, so that equal keys meet in one task. Give them the same partition count " +
            "(for example, copy one side into a topic with the other's count).", error.Message);
    }

    [Fact]
    public void The_largest_source_of_all_writers_wins()
    {
        var topology = new TopologyDefinition("t",
        [
            Sub(0, [Ext("a"), Ext("b")], [Int("r")]),
            Sub(1, [Ext("c")], [Int("r")]),
            Sub(2, [Int("r")], [Ext("out")]),
        ], "", "");

        var plan = InternalTopicPlanner.Plan(topology, "app", new Dictionary<string, int> { ["a"] = 3, ["b"] = 6, ["c"] = 5 });

        Assert.Equal(6, plan["app-r"]);
    }

    [Fact]
    public void Chains_of_repartition_topics_resolve_in_order()
    {
        var topology = new TopologyDefinition("t",
        [
            Sub(2, [Int("r1")], [Int("r2")]),
            Sub(0, [Ext("in")], [Int("r1")]),
            Sub(1, [Int("r2")], [Ext("out")]),
        ], "", "");

        var plan = InternalTopicPlanner.Plan(topology, "app", new Dictionary<string, int> { ["in"] = 2 });

        Assert.Equal(new Dictionary<string, int> { ["app-r1"] = 2, ["app-r2"] = 2 }, plan);
    }

    [Fact]
    public void An_internal_topic_nobody_writes_is_an_error()
    {
        var topology = new TopologyDefinition("t", [Sub(0, [Int("orphan")], [Ext("out")])], "", "");

        var error = Assert.Throws<StreamsException>(() => InternalTopicPlanner.Plan(topology, "app", new Dictionary<string, int>()));
        Assert.Contains("'app-orphan'", error.Message);
    }

    [Fact]
    public void Internal_topics_that_only_feed_each_other_are_an_error()
    {
        var topology = new TopologyDefinition("t",
        [
            Sub(0, [Int("x")], [Int("y")]),
            Sub(1, [Int("y")], [Int("x")]),
        ], "", "");

        var error = Assert.Throws<StreamsException>(() => InternalTopicPlanner.Plan(topology, "app", new Dictionary<string, int>()));
        Assert.Contains("only fed by each other", error.Message);
    }
}
