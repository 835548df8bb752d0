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
}
