using System.Buffers;
using System.Buffers.Binary;

namespace Streams.Generated;

/// <summary>
/// The arithmetic of fixed-size time windows aligned to the Unix epoch, as Kafka Streams' <c>TimeWindows</c>: a window
/// of size <c>s</c> and advance <c>a</c> starts at every multiple of <c>a</c> and covers <c>[start, start + s)</c>.
/// Tumbling windows advance by their size. Generated windowed operators call it.
/// </summary>
public static class TimeWindows
{
    /// <summary>The start of the oldest window that contains <paramref name="timestamp"/> (a record belongs to every window from there up to its own timestamp, by <paramref name="advance"/>).</summary>
    public static long FirstStart(long timestamp, long size, long advance) => Math.Max(0, timestamp - size + advance) / advance * advance;

    /// <summary>Appends a window start as Kafka's <c>TimeWindowedSerializer</c> writes it after the key: 8 bytes, big-endian.</summary>
    public static void WriteStart(IBufferWriter<byte> buffer, long start)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(sizeof(long)), start);
        buffer.Advance(sizeof(long));
    }
}

/// <summary>A record a processor did not process, and why (a late record for a closed window, a negative timestamp).</summary>
/// <param name="Processor">The node that dropped it.</param>
/// <param name="Record">Where the record came from.</param>
/// <param name="Reason">Why, in a sentence.</param>
public readonly record struct DroppedRecord(string Processor, RecordContext Record, string Reason);
