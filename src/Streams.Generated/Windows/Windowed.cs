namespace Streams.Generated;

/// <summary>
/// The key of a windowed result: the record key and the time window it was computed for, as Kafka Streams'
/// <c>Windowed&lt;K&gt;</c>. <see cref="Start"/> is inclusive, <see cref="End"/> exclusive, both Unix milliseconds.
/// Written to a topic as Kafka's <c>TimeWindowedSerializer</c> writes it: the key's bytes, then the start as an 8-byte
/// big-endian long.
/// </summary>
/// <typeparam name="TKey">The record key.</typeparam>
/// <param name="Key">The record key.</param>
/// <param name="Start">The window's first millisecond.</param>
/// <param name="End">The millisecond after the window's last.</param>
public readonly record struct Windowed<TKey>(TKey Key, long Start, long End)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Key}@[{Start}, {End})";
}
