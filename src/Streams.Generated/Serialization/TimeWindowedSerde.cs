using System.Buffers;
using System.Buffers.Binary;

namespace Streams.Generated.Serialization;

/// <summary>
/// The keys a windowed count writes to a topic, as Kafka's <c>TimeWindowedSerializer</c>/<c>TimeWindowedDeserializer</c>
/// (<c>WindowedSerdes.timeWindowedSerdeFrom</c>): the key's bytes, then the window start as an 8-byte big-endian long.
/// The end is not in the bytes: the reader gives the window size. For consumers of such a topic and tests.
/// </summary>
/// <typeparam name="TKey">The key inside the window.</typeparam>
/// <param name="keySerde">The serde of the key.</param>
/// <param name="windowSize">The windows' size in milliseconds (the end is the start plus the size).</param>
public sealed class TimeWindowedSerde<TKey>(ISerde<TKey> keySerde, long windowSize) : ISerde<Windowed<TKey>>
{
    /// <inheritdoc/>
    public void Serialize(Windowed<TKey> value, IBufferWriter<byte> writer)
    {
        keySerde.Serialize(value.Key, writer);
        TimeWindows.WriteStart(writer, value.Start);
    }

    /// <inheritdoc/>
    public Windowed<TKey> Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length < sizeof(long))
            throw new SerdeException($"Windowed<{typeof(TKey).Name}>", 0, data.Length, "too short for the 8-byte window start");
        var start = BinaryPrimitives.ReadInt64BigEndian(data[^sizeof(long)..]);
        return new Windowed<TKey>(keySerde.Deserialize(data[..^sizeof(long)]), start, start + windowSize);
    }
}
