using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0008Tests
{
    [Fact]
    public async Task InvalidAndDuplicateStores()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Count(From = "a", Store = "counts", To = "out-a")]
                public partial class A;

                [Count(From = "b", Store = {|SG0008:"counts"|}, To = "out-b")]
                public partial class B;

                [Count(From = "c", Store = {|SG0008:"my store"|}, To = "out-c")]
                public partial class C;

                [Count(From = "d", Store = {|SG0008:""|}, To = "out-d")]
                public partial class D;

                [Count(From = "e", To = "out-e")]
                public partial class NoStoreIsTheGeneratorsChoice;
            }

            [Topology("u")]
            public static partial class U
            {
                [Count(From = "a", Store = "counts", To = "out-a")]
                public partial class SameStoreNameInAnotherTopology;
            }
            """);

        Assert.Equal(
            "Store name 'counts' is already used by node 'A' of topology 'T'; give each store its own name",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task JoinStores()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Count(From = "a", Store = "customers", To = "out-a")]
                public partial class A;

                [Join(From = "orders", Table = "customers", Store = {|SG0008:"customers"|}, To = "out")]
                public partial class SameAsACount
                {
                    public string Join(string order, string customer) => order + customer;
                }

                [Count(From = "b", Store = "A2")]
                public partial class NamedLikeTheJoin;

                [Join(From = "orders", Table = "customers", To = "out")]
                public partial class {|SG0008:A2|}
                {
                    public string Join(string order, string customer) => order + customer;
                }

                [Join(From = "orders", Table = "customers", To = "out-2")]
                public partial class NoStoreIsNamedAfterTheNode
                {
                    public string Join(string order, string customer) => order + customer;
                }
            }
            """);

        Assert.Equal("Store name 'customers' is already used by node 'A' of topology 'T'; give each store its own name", diagnostics[0].GetMessage());
        Assert.Equal("Store name 'A2' (the name of 'A2', as no Store is set) is already used by node 'NamedLikeTheJoin' of topology 'T'; give each store its own name",
            diagnostics[1].GetMessage());
    }
}
