using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Confluent.Kafka;

namespace Streams.Generated.Kafka;

/// <summary>
/// The records of one input partition that were consumed but not processed yet: a <see cref="Pipe"/> over pooled memory
/// whose pause and resume thresholds are the partition's backpressure. The stream thread appends what the consumer
/// returns and publishes it with <see cref="Flush"/>; when the unprocessed bytes pass the pause threshold the flush
/// does not complete, and the consumer pauses the partition until processing drains the buffer under the resume
/// threshold. Records are never dropped: what arrives while paused is kept (unpublished) and published on resume.
/// </summary>
/// <remarks>
/// One frame per record, written contiguously (GetSpan with the frame's size), so a record is always one slice of one
/// segment: <c>[offset:8][timestamp:8][key length:4, -1 = null][value length:4, -1 = null][key][value]</c>. The key and
/// value handed to the task are slices of the pooled segment, valid until the read is ended. Single-threaded: the
/// stream thread writes and reads.
/// </remarks>
internal sealed class RecordBuffer : IDisposable
{
    private const int HeaderSize = 24;

    private readonly Pipe _pipe;
    private readonly Queue<Headers?>? _headers;
    private ValueTask<FlushResult> _pendingFlush;
    private ReadOnlySequence<byte> _readable;
    private SequencePosition _position;
    private bool _reading;
    private int _readRemaining; // records of _readable not taken yet (records published later need a new read)
    private ReadOnlyMemory<byte> _head;  // the next record's frame, once located (HeadTimestamp then Take read it once)
    private bool _headValid;
    private int _unflushedRecords;
    private long _unflushedBytes;
    private long _unconsumedBytes;
    private byte[]? _scratch;

    /// <param name="topicPartition">The partition whose records it holds.</param>
    /// <param name="pauseThreshold">Unprocessed bytes at which the partition pauses.</param>
    /// <param name="resumeThreshold">Unprocessed bytes under which a paused partition resumes.</param>
    /// <param name="keepHeaders">Whether records keep their headers (for dead letters).</param>
    public RecordBuffer(TopicPartition topicPartition, long pauseThreshold, long resumeThreshold, bool keepHeaders)
    {
        TopicPartition = topicPartition;
        Topic = topicPartition.Topic;
        Partition = topicPartition.Partition.Value;
        _pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: pauseThreshold,
            resumeWriterThreshold: resumeThreshold,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            useSynchronizationContext: false));
        _headers = keepHeaders ? new Queue<Headers?>() : null;
    }

    public TopicPartition TopicPartition { get; }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>Records published to the reader and not processed yet.</summary>
    public int Readable { get; private set; }

    /// <summary>Bytes held: published and not processed, plus appended and not published.</summary>
    public long BufferedBytes => _unconsumedBytes + _unflushedBytes;

    /// <summary>Whether the buffer passed its pause threshold and waits to drain under the resume threshold.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Appends a record (not visible to the reader until <see cref="Flush"/>).</summary>
    public void Append(long offset, long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, Headers? headers)
    {
        var keyLength = keyIsNull ? 0 : key.Length;
        var valueLength = valueIsNull ? 0 : value.Length;
        var size = HeaderSize + keyLength + valueLength;
        var span = _pipe.Writer.GetSpan(size);
        BinaryPrimitives.WriteInt64LittleEndian(span, offset);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], timestamp);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], keyIsNull ? -1 : keyLength);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], valueIsNull ? -1 : valueLength);
        key[..keyLength].CopyTo(span[HeaderSize..]);
        value[..valueLength].CopyTo(span[(HeaderSize + keyLength)..]);
        _pipe.Writer.Advance(size);
        _headers?.Enqueue(headers);
        _unflushedRecords++;
        _unflushedBytes += size;
    }

    /// <summary>
    /// Publishes appended records to the reader, unless the buffer is paused (they wait for the resume). Returns
    /// <see langword="true"/> when this flush paused the buffer: the caller pauses the partition.
    /// </summary>
    public bool Flush()
    {
        if (IsPaused || _unflushedRecords == 0) return false;
        var flush = _pipe.Writer.FlushAsync();
        Readable += _unflushedRecords;
        _unconsumedBytes += _unflushedBytes;
        _unflushedRecords = 0;
        _unflushedBytes = 0;
        if (flush.IsCompleted)
        {
            flush.GetAwaiter().GetResult();
            return false;
        }
        _pendingFlush = flush; // completes (inline) once the reader drains under the resume threshold
        IsPaused = true;
        return true;
    }

    /// <summary>The timestamp of the next record to process; only when <see cref="Readable"/> is positive.</summary>
    public long HeadTimestamp
    {
        get
        {
            var frame = Head();
            return BinaryPrimitives.ReadInt64LittleEndian(frame.Span[8..]);
        }
    }

    /// <summary>
    /// Takes the next record; its key and value stay valid until <see cref="EndRead"/>. Only when
    /// <see cref="Readable"/> is positive.
    /// </summary>
    public ConsumedRecord Take(out Headers? headers)
    {
        var frame = Head();
        var span = frame.Span;
        var offset = BinaryPrimitives.ReadInt64LittleEndian(span);
        var timestamp = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        var keyBytes = Math.Max(keyLength, 0);
        var valueBytes = Math.Max(valueLength, 0);
        // Not "? null :": C# would turn that null into an empty ReadOnlyMemory (through byte[]), not a null one.
        var key = keyLength < 0 ? default(ReadOnlyMemory<byte>?) : frame.Slice(HeaderSize, keyBytes);
        var value = valueLength < 0 ? default(ReadOnlyMemory<byte>?) : frame.Slice(HeaderSize + keyBytes, valueBytes);
        var size = HeaderSize + keyBytes + valueBytes;
        _position = _readable.GetPosition(size, _position);
        _unconsumedBytes -= size;
        Readable--;
        _readRemaining--;
        _headValid = false;
        headers = _headers?.Dequeue();
        return new ConsumedRecord(Topic, Partition, offset, timestamp, key, value);
    }

    /// <summary>
    /// Gives the processed records' memory back to the pipe. Returns <see langword="true"/> when that resumed a paused
    /// buffer (the caller resumes the partition); the records that waited are published then.
    /// </summary>
    public bool EndRead()
    {
        if (_reading)
        {
            _pipe.Reader.AdvanceTo(_position);
            _reading = false;
            _headValid = false;
        }
        if (!IsPaused || !_pendingFlush.IsCompleted) return false;
        _pendingFlush.GetAwaiter().GetResult();
        IsPaused = false;
        return !Flush(); // publishing what waited may pause it again at once
    }

    public void Dispose()
    {
        _pipe.Reader.Complete();
        _pipe.Writer.Complete();
    }

    /// <summary>The whole frame of the next record: one contiguous slice (copied only if it ever spans segments).</summary>
    private ReadOnlyMemory<byte> Head()
    {
        if (!_headValid)
        {
            _head = LocateHead();
            _headValid = true;
        }
        return _head;
    }

    private ReadOnlyMemory<byte> LocateHead()
    {
        if (_reading && _readRemaining == 0)
        {
            _pipe.Reader.AdvanceTo(_position);
            _reading = false;
        }
        if (!_reading)
        {
            if (!_pipe.Reader.TryRead(out var result))
                throw new InvalidOperationException($"No readable record in the buffer of {Topic}[{Partition}].");
            _readable = result.Buffer;
            _position = _readable.Start;
            _readRemaining = Readable;
            _reading = true;
        }
        // The frame starts in the segment at _position; a position at a segment's end means the next segment's start.
        var next = _position;
        ReadOnlyMemory<byte> memory;
        while (_readable.TryGet(ref next, out memory) && memory.Length == 0) _position = next;
        if (memory.Length >= HeaderSize)
        {
            var span = memory.Span;
            var size = HeaderSize + Math.Max(BinaryPrimitives.ReadInt32LittleEndian(span[16..]), 0) + Math.Max(BinaryPrimitives.ReadInt32LittleEndian(span[20..]), 0);
            if (memory.Length >= size) return memory[..size];
        }
        return CopyFrame();
    }

    private ReadOnlyMemory<byte> CopyFrame()
    {
        var rest = _readable.Slice(_position);
        Span<byte> header = stackalloc byte[HeaderSize];
        rest.Slice(0, HeaderSize).CopyTo(header);
        var size = HeaderSize + Math.Max(BinaryPrimitives.ReadInt32LittleEndian(header[16..]), 0) + Math.Max(BinaryPrimitives.ReadInt32LittleEndian(header[20..]), 0);
        if (_scratch is null || _scratch.Length < size) _scratch = new byte[Math.Max(size, 256)];
        rest.Slice(0, size).CopyTo(_scratch);
        return _scratch.AsMemory(0, size);
    }
}
