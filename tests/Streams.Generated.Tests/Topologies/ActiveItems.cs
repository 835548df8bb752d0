using Streams.Generated.Tests.Serialization.Json;

namespace Streams.Generated.Tests.Topologies;

/// <summary>JSON records at topic boundaries: keep the active items.</summary>
[Topology("active-items")]
public static partial class ActiveItems
{
    public const string Input = "items-json";
    public const string Output = "active-items-json";

    [Processor(From = Input)]
    public partial class KeepActive
    {
        public void Process(string key, JsonFlat item)
        {
            if (item.Active) Active(item with { Name = item.Name.ToUpperInvariant() });
        }

        [To(Output)] private partial void Active(JsonFlat value);
    }
}
