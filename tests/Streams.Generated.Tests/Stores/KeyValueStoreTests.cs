using Streams.Generated.Stores;

namespace Streams.Generated.Tests.Stores;

public class KeyValueStoreTests
{
    [Fact]
    public void Put_get_and_delete()
    {
        var store = new KeyValueStore<string, long>("s");
        store.Put("a", 1);
        store.Put("a", 2);
        Assert.Equal(2, store.Get("a"));
        Assert.True(store.TryGet("a", out var value));
        Assert.Equal(2, value);
        Assert.False(store.TryGet("b", out _));
        Assert.True(store.Delete("a"));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Byte_array_keys_compare_by_content_as_kafka_keys_do()
    {
        var store = new KeyValueStore<byte[], long>("raw");
        store.Put([1, 2, 3], 1);
        store.Put([1, 2, 3], 2);
        store.Put([1, 2], 7);

        Assert.Equal(2, store.Count);
        Assert.Equal(2, store.Get([1, 2, 3]));
        Assert.Equal(7, store.Get([1, 2]));
    }

    [Fact]
    public void Memory_keys_compare_by_content_and_are_copied_when_inserted()
    {
        var store = new KeyValueStore<ReadOnlyMemory<byte>, long>("raw");
        byte[] buffer = [1, 2, 3];

        store.Put(buffer, 1);
        buffer[0] = 9; // the borrowed buffer is reused for the next record
        store.Put(new byte[] { 1, 2, 3 }, 2);

        Assert.Equal(2, store.Get(new byte[] { 1, 2, 3 }));
        Assert.False(store.TryGet(buffer, out _));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void A_value_reference_updates_in_place_and_adds_missing_keys_copying_memory_keys()
    {
        var counts = new KeyValueStore<string, long>("counts");
        ++counts.GetValueRefOrAddDefault("a", out var existed);
        Assert.False(existed);
        ++counts.GetValueRefOrAddDefault("a", out existed);
        Assert.True(existed);
        Assert.Equal(2, counts.Get("a"));

        var raw = new KeyValueStore<ReadOnlyMemory<byte>, long>("raw");
        byte[] buffer = [7, 7];
        raw.GetValueRefOrAddDefault(buffer, out _) = 5;
        buffer[0] = 1; // the borrowed bytes change; the stored key must not
        Assert.Equal(5, raw.Get(new byte[] { 7, 7 }));
        Assert.Equal(0, raw.Get(new byte[] { 1, 7 }));
    }
}
