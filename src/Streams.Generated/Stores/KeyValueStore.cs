using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Streams.Generated.Stores;

/// <summary>
/// A task-local, in-memory key-value store. Each task owns its own instance; it is not thread-safe and is only touched
/// from the thread that runs the task. Updating an existing key allocates nothing.
/// </summary>
/// <remarks>Not yet backed by a changelog topic: a task moved to another instance starts with an empty store.</remarks>
public sealed class KeyValueStore<TKey, TValue> where TKey : notnull
{
    // Kafka keys compare by their bytes: byte[] and ReadOnlyMemory<byte> keys need a content comparer.
    private readonly Dictionary<TKey, TValue> _entries = new(
        typeof(TKey) == typeof(byte[]) ? (IEqualityComparer<TKey>)(object)ByteArrayComparer.Instance
        : typeof(TKey) == typeof(ReadOnlyMemory<byte>) ? (IEqualityComparer<TKey>)(object)ByteMemoryComparer.Instance
        : null);

    /// <summary>Creates an empty store.</summary>
    public KeyValueStore(string name) => Name = name;

    /// <summary>The store's name, as declared in the topology.</summary>
    public string Name { get; }

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Gets the value for <paramref name="key"/>, if present.</summary>
    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    /// <summary>Gets the value for <paramref name="key"/>, or <see langword="default"/>.</summary>
    public TValue? Get(TKey key) => _entries.TryGetValue(key, out var value) ? value : default;

    /// <summary>
    /// Inserts or replaces the value for <paramref name="key"/>. A <see cref="ReadOnlyMemory{T}"/> key is copied when it
    /// is inserted: it may be borrowed (the raw key of the record being processed), and the store outlives the borrow.
    /// </summary>
    public void Put(TKey key, TValue value)
    {
        if (typeof(TKey) == typeof(ReadOnlyMemory<byte>))
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, key);
            if (!Unsafe.IsNullRef(ref slot))
            {
                slot = value;
                return;
            }
            var owned = new ReadOnlyMemory<byte>(Unsafe.As<TKey, ReadOnlyMemory<byte>>(ref key).ToArray());
            _entries.Add(Unsafe.As<ReadOnlyMemory<byte>, TKey>(ref owned), value);
            return;
        }
        _entries[key] = value;
    }

    /// <summary>
    /// A reference to the value of <paramref name="key"/>, added as <see langword="default"/> if absent: read and update
    /// in one lookup (a count's increment). Valid until the store is next changed. A <see cref="ReadOnlyMemory{T}"/> key
    /// is copied when it is added, as in <see cref="Put"/>.
    /// </summary>
    public ref TValue? GetValueRefOrAddDefault(TKey key, out bool existed)
    {
        if (typeof(TKey) == typeof(ReadOnlyMemory<byte>))
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, key);
            existed = !Unsafe.IsNullRef(ref slot);
            if (existed) return ref slot!;
            var owned = new ReadOnlyMemory<byte>(Unsafe.As<TKey, ReadOnlyMemory<byte>>(ref key).ToArray());
            return ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, Unsafe.As<ReadOnlyMemory<byte>, TKey>(ref owned), out _);
        }
        return ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out existed);
    }

    /// <summary>Removes <paramref name="key"/>; returns whether it was present.</summary>
    public bool Delete(TKey key) => _entries.Remove(key);

    /// <summary>The entries in insertion order, without allocating (<c>foreach (var (key, value) in store)</c>); do not change the store meanwhile.</summary>
    public Dictionary<TKey, TValue>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    /// <summary>Removes every entry, keeping the capacity (a window store reuses the store of a closed window).</summary>
    internal void Clear() => _entries.Clear();

    /// <summary>A snapshot of all entries (allocates; for queries and tests, not the hot path).</summary>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> All() => _entries.ToList();
}

/// <summary>Compares byte arrays by content, so raw Kafka keys group as Kafka groups them.</summary>
internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}

/// <summary>Compares byte memory by content, like <see cref="ByteArrayComparer"/>.</summary>
internal sealed class ByteMemoryComparer : IEqualityComparer<ReadOnlyMemory<byte>>
{
    public static readonly ByteMemoryComparer Instance = new();

    public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

    public int GetHashCode(ReadOnlyMemory<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes.Span);
        return hash.ToHashCode();
    }
}
