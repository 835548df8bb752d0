namespace Streams.Generated.Stores;

/// <summary>
/// A task-local store of values per key and time window (Kafka Streams' <c>WindowStore</c>), as a windowed count keeps
/// them. Each window (by its start) has its own <see cref="KeyValueStore{TKey, TValue}"/>, so a window that closes is
/// dropped whole, and keys compare as in a key-value store (byte arrays by content, borrowed memory copied). Windows are
/// kept until they close: their end plus the grace period, in stream time.
/// </summary>
/// <typeparam name="TKey">The record key.</typeparam>
/// <typeparam name="TValue">The value per key and window.</typeparam>
public sealed class WindowStore<TKey, TValue> where TKey : notnull
{
    // By window start, oldest first: (size + grace) / advance + 1 windows at most are open.
    private readonly SortedList<long, KeyValueStore<TKey, TValue>> _windows = new();
    private KeyValueStore<TKey, TValue>? _closed; // handed out by TryRemoveClosed; reused once the caller is done with it

    /// <summary>Creates an empty store of windows <paramref name="windowSize"/> milliseconds long.</summary>
    public WindowStore(string name, long windowSize)
    {
        Name = name;
        WindowSize = windowSize;
    }

    /// <summary>The store's name, as declared in the topology.</summary>
    public string Name { get; }

    /// <summary>The length of every window, in milliseconds.</summary>
    public long WindowSize { get; }

    /// <summary>Number of (key, window) entries.</summary>
    public int Count => _windows.Values.Sum(w => w.Count);

    /// <summary>Gets the value of <paramref name="key"/> in the window starting at <paramref name="windowStart"/>, if present.</summary>
    public bool TryGet(TKey key, long windowStart, out TValue value)
    {
        if (_windows.TryGetValue(windowStart, out var window)) return window.TryGet(key, out value);
        value = default!;
        return false;
    }

    /// <summary>
    /// The values of <paramref name="key"/> in the windows that start from <paramref name="timeFrom"/> to
    /// <paramref name="timeTo"/> (inclusive), oldest first (allocates; for queries and tests, not the hot path).
    /// </summary>
    public IReadOnlyList<KeyValuePair<Windowed<TKey>, TValue>> Fetch(TKey key, long timeFrom, long timeTo)
    {
        var found = new List<KeyValuePair<Windowed<TKey>, TValue>>();
        foreach (var (start, window) in _windows)
        {
            if (start >= timeFrom && start <= timeTo && window.TryGet(key, out var value))
                found.Add(new(new Windowed<TKey>(key, start, start + WindowSize), value));
        }
        return found;
    }

    /// <summary>Every entry, oldest window first (allocates; for queries and tests).</summary>
    public IReadOnlyList<KeyValuePair<Windowed<TKey>, TValue>> All() =>
        _windows.SelectMany(w => w.Value.All().Select(e => new KeyValuePair<Windowed<TKey>, TValue>(new(e.Key, w.Key, w.Key + WindowSize), e.Value))).ToList();

    /// <summary>
    /// A reference to the value of <paramref name="key"/> in the window starting at <paramref name="windowStart"/>, added
    /// as <see langword="default"/> if absent (one lookup per window for a count's increment). Valid until the store is
    /// next changed.
    /// </summary>
    public ref TValue? GetValueRefOrAddDefault(TKey key, long windowStart, out bool existed)
    {
        if (!_windows.TryGetValue(windowStart, out var window))
        {
            window = _closed ?? new KeyValueStore<TKey, TValue>(Name);
            _closed = null;
            window.Clear();
            _windows.Add(windowStart, window);
        }
        return ref window.GetValueRefOrAddDefault(key, out existed);
    }

    /// <summary>
    /// Removes the oldest window if it ends at or before <paramref name="closeTime"/> (stream time minus grace) and hands
    /// out its entries, which stay valid until the store is next changed; call until it returns false.
    /// </summary>
    public bool TryRemoveClosed(long closeTime, out long windowStart, out KeyValueStore<TKey, TValue> entries)
    {
        if (_windows.Count > 0 && _windows.Keys[0] + WindowSize <= closeTime)
        {
            windowStart = _windows.Keys[0];
            entries = _closed = _windows.Values[0];
            _windows.RemoveAt(0);
            return true;
        }
        windowStart = 0;
        entries = null!;
        return false;
    }
}
