using Confluent.Kafka;
using Streams.Generated.Serialization;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>A task's id: the sub-topology and the partition number it processes (Kafka Streams' <c>0_3</c>).</summary>
internal readonly record struct TaskId(int Subtopology, int Partition)
{
    public override string ToString() => $"{Subtopology}_{Partition}";
}

/// <summary>How tasks buffer and order their input; from <see cref="StreamsOptions"/>.</summary>
/// <param name="PauseBytes">Unprocessed bytes of one partition at which the consumer pauses it.</param>
/// <param name="ResumeBytes">Unprocessed bytes under which a paused partition resumes.</param>
/// <param name="KeepHeaders">Whether buffered records keep their headers (for dead letters).</param>
/// <param name="MaxTaskIdle">How long a task with an empty partition waits for it before processing the others.</param>
/// <param name="Clock">The wall clock for the idle wait and wall-clock punctuation.</param>
/// <param name="Services">Where generated tasks get their processors' constructor arguments.</param>
/// <param name="Metrics">Where the thread's tasks report, or <see langword="null"/>.</param>
/// <param name="InputFormats">Input topics whose values are framed in Confluent's wire format or written with older Avro schemas.</param>
/// <param name="IsCaughtUp">
/// Whether the consumer has delivered everything the partition held when last fetched (its position has reached the
/// high watermark): such an empty partition has nothing to wait for (Kafka Streams' KIP-695). The second argument is the
/// offset the task will process next, -1 if unknown: the consumer knows no position for a partition assigned at an
/// offset until it delivers a record from it. Null: never known.
/// </param>
internal sealed record TaskOptions(long PauseBytes, long ResumeBytes, bool KeepHeaders, TimeSpan MaxTaskIdle, TimeProvider Clock,
    IServiceProvider? Services = null, ThreadMetrics? Metrics = null, IReadOnlyDictionary<string, InputValueFormat>? InputFormats = null,
    Func<TopicPartition, long, bool>? IsCaughtUp = null)
{
    public static readonly TaskOptions Default = new(1 << 20, 1 << 19, false, TimeSpan.Zero, TimeProvider.System);
}

/// <summary>
/// Owns the tasks of one stream thread, their input buffers and the offsets they processed. A task exists for each
/// (sub-topology, partition) of which at least one source partition is assigned, and owns one
/// <see cref="RecordBuffer"/> per assigned source partition. Consumed records are buffered, then processed task by
/// task, each task taking the buffered record with the lowest timestamp across its partitions (Kafka Streams'
/// PartitionGroup), so records of a task's partitions interleave by timestamp. As Kafka Streams with eager rebalancing,
/// a revocation suspends tasks (their unprocessed buffered records are dropped: the consumer fetches them again) and
/// the following assignment resumes those assigned again (their in-memory state intact) and closes the others.
/// Not thread-safe: used by the stream thread only (rebalance callbacks run on it too, inside the consumer's poll).
/// </summary>
internal sealed class TaskManager
{
    private readonly TopologyDefinition _topology;
    private readonly string _applicationId;
    private readonly IRecordCollector _collector;
    private readonly RecordErrorHandler _errors;
    private readonly TaskOptions _options;
    private readonly Dictionary<string, TopicSources> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<TaskId, ActiveTask> _tasks = new();
    private readonly List<PartitionState> _appended = new();
    private readonly List<TopicPartition> _toPause = new();
    private readonly List<ActiveTask> _processing = new();
    private int _round; // processing rounds (ProcessBuffered calls): a partition is asked whether it is caught up once per round

    public TaskManager(TopologyDefinition topology, string applicationId, IRecordCollector collector, RecordErrorHandler? errors = null, TaskOptions? options = null)
    {
        _topology = topology;
        _applicationId = applicationId;
        _collector = collector;
        _errors = errors ?? RecordErrorHandler.FailAlways;
        _options = options ?? TaskOptions.Default;
        foreach (var subtopology in topology.Subtopologies)
        {
            for (var i = 0; i < subtopology.Sources.Count; i++)
            {
                var topic = TopologyDefinition.ResolveTopic(subtopology.Sources[i], applicationId);
                if (_topics.ContainsKey(topic))
                    throw new StreamsException($"Topic '{topic}' is read by two sub-topologies of '{topology.Name}'; a topic belongs to one.");
                _topics[topic] = new TopicSources(topic, subtopology.Id, i, subtopology.Sources[i].IsTable);
            }
        }
    }

    /// <summary>Every topic some sub-topology reads, internal ones with their full names.</summary>
    public IReadOnlyCollection<string> SourceTopics => _topics.Keys;

    /// <summary>The ids of the tasks with assigned partitions (not suspended), sorted, e.g. <c>["0_1", "1_1"]</c>.</summary>
    public string[] TaskIds()
    {
        var ids = new List<TaskId>();
        foreach (var task in _tasks.Values)
            if (task.Partitions.Count > 0) ids.Add(task.Id);
        ids.Sort((a, b) => a.Subtopology != b.Subtopology ? a.Subtopology.CompareTo(b.Subtopology) : a.Partition.CompareTo(b.Partition));
        var result = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++) result[i] = ids[i].ToString();
        return result;
    }

    /// <summary>Whether some processed record's offset is not committed yet.</summary>
    public bool HasUncommittedOffsets
    {
        get
        {
            foreach (var sources in _topics.Values)
                foreach (var partition in sources.AssignedPartitions())
                    if (partition.NextOffset > partition.CommittedOffset) return true;
            return false;
        }
    }

    /// <summary>Whether a revocation suspended partitions that no assignment has resumed or dropped yet.</summary>
    public bool HasSuspendedPartitions
    {
        get
        {
            foreach (var sources in _topics.Values)
                if (sources.Suspended.Count > 0) return true;
            return false;
        }
    }

    /// <summary>Bytes buffered across all assigned partitions (consumed, not processed).</summary>
    public long BufferedBytes
    {
        get
        {
            long total = 0;
            foreach (var task in _tasks.Values)
                foreach (var partition in task.Partitions) total += partition.Buffer!.BufferedBytes;
            return total;
        }
    }

    /// <summary>Publishes buffered bytes per task and paused partitions to the metrics (once per poll loop).</summary>
    public void UpdateGauges()
    {
        if (_options.Metrics is not { } metrics) return;
        var paused = 0;
        foreach (var task in _tasks.Values)
        {
            long bytes = 0;
            foreach (var partition in task.Partitions)
            {
                bytes += partition.Buffer!.BufferedBytes;
                if (partition.Buffer.IsPaused) paused++;
            }
            task.Metrics.BufferedBytes = bytes;
        }
        metrics.PausedPartitions = paused;
    }

    /// <summary>Partitions paused because their buffer is full.</summary>
    public int PausedPartitions
    {
        get
        {
            var paused = 0;
            foreach (var task in _tasks.Values)
                foreach (var partition in task.Partitions)
                    if (partition.Buffer!.IsPaused) paused++;
            return paused;
        }
    }

    /// <summary>
    /// Applies a new assignment: partitions suspended by the last revocation and assigned again resume with their tasks
    /// (state kept) at their next unprocessed offset; new partitions get tasks; suspended partitions not assigned again
    /// are dropped and tasks left with no partition are closed. Every assigned partition starts with an empty buffer.
    /// </summary>
    /// <returns>Where the consumer starts each partition: the resume offset, or unset (the committed offset).</returns>
    public List<TopicPartitionOffset> Assign(IEnumerable<TopicPartition> partitions)
    {
        var positions = new List<TopicPartitionOffset>();
        foreach (var tp in partitions)
        {
            if (!_topics.TryGetValue(tp.Topic, out var sources))
                throw new StreamsException($"Partition {tp.Topic}[{tp.Partition.Value}] was assigned, but the topology does not read topic '{tp.Topic}'.");
            var partition = tp.Partition.Value;
            if (sources.Get(partition) is { } active)
            {
                positions.Add(new TopicPartitionOffset(tp, active.ResumeOffset));
                continue;
            }
            if (sources.Suspended.Remove(partition, out var resumed))
            {
                // Resume where processing stopped: the committed offset may be older if the revocation's commit failed.
                Attach(sources, resumed);
                positions.Add(new TopicPartitionOffset(tp, resumed.ResumeOffset));
                continue;
            }

            var id = new TaskId(sources.Subtopology, partition);
            if (!_tasks.TryGetValue(id, out var task))
            {
                var subtopology = _topology.Subtopologies[id.Subtopology];
                var taskId = id.ToString();
                var metrics = _options.Metrics?.App.ForTask(taskId) ?? new TaskMetrics(taskId);
                var collector = _options.Metrics is null ? _collector : new CountingCollector(_collector, metrics);
                var generated = subtopology.CreateTask(new TaskContext(_applicationId, id.Subtopology, id.Partition, collector, _options.Services)
                {
                    OnDropped = dropped =>
                    {
                        metrics.Dropped++;
                        _errors.HandleDropped(taskId, dropped);
                    },
                });
                _tasks[id] = task = new ActiveTask(id, generated, metrics)
                {
                    Punctuator = TaskPunctuator.Create(subtopology, _options.Clock.GetUtcNow().ToUnixTimeMilliseconds()),
                };
            }
            Attach(sources, new PartitionState(tp, task, sources.SourceIndex)
            {
                InputFormat = _options.InputFormats?.GetValueOrDefault(tp.Topic),
                IsRestoring = sources.IsTable,
            });
            // A table's topic is its changelog: the task's store starts empty, so it reads the whole partition again.
            positions.Add(new TopicPartitionOffset(tp, sources.IsTable ? Offset.Beginning : Offset.Unset));
        }

        foreach (var sources in _topics.Values) sources.Suspended.Clear();
        CloseTasksWithoutPartitions();
        return positions;
    }

    /// <summary>
    /// Suspends revoked partitions: no more records are processed for them, their buffered records are dropped (not
    /// processed, so not committed), their tasks and offsets are kept until the next <see cref="Assign"/> resumes or
    /// drops them. Call <see cref="CommitManager.Commit"/> first.
    /// </summary>
    public void Revoke(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            if (!_topics.TryGetValue(tp.Topic, out var sources) || sources.Get(tp.Partition.Value) is not { } state) continue;
            Detach(sources, state);
            sources.Suspended[tp.Partition.Value] = state;
        }
    }

    /// <summary>
    /// Drops lost partitions (another member may own them already) without committing, and closes tasks left with
    /// none. Their uncommitted progress is reprocessed by the next owner.
    /// </summary>
    public List<TaskId> Lose(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            if (!_topics.TryGetValue(tp.Topic, out var sources)) continue;
            var partition = tp.Partition.Value;
            if (sources.Get(partition) is { } state) Detach(sources, state);
            sources.Suspended.Remove(partition);
        }
        return CloseTasksWithoutPartitions();
    }

    /// <summary>Forgets every partition and closes every task.</summary>
    public List<TaskId> CloseAll()
    {
        foreach (var sources in _topics.Values)
        {
            sources.Suspended.Clear();
            foreach (var state in sources.AssignedPartitions().ToList()) Detach(sources, state);
        }
        return CloseTasksWithoutPartitions();
    }

    /// <summary>
    /// Buffers a consumed record in its partition's buffer (published to the task at the next
    /// <see cref="FlushBuffers"/>, or at once when the buffer reaches its pause threshold: then
    /// <see cref="HasPartitionsToPause"/> turns true and the consumer should pause before it returns more).
    /// Returns <see langword="false"/> for a partition not assigned here.
    /// </summary>
    public bool Buffer(string topic, int partition, long offset, long timestamp,
        ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, Headers? headers)
    {
        if (!_topics.TryGetValue(topic, out var sources) || sources.Get(partition) is not { } state) return false;
        var buffer = state.Buffer!;
        buffer.Append(offset, timestamp, key, keyIsNull, value, valueIsNull, headers);
        state.Task.Metrics.Consumed++;
        if (buffer.BufferedBytes >= _options.PauseBytes && !buffer.IsPaused)
        {
            if (buffer.Flush()) _toPause.Add(state.TopicPartition);
        }
        else if (!state.Appended)
        {
            state.Appended = true;
            _appended.Add(state);
        }
        return true;
    }

    /// <summary>Whether a buffer filled up while buffering: pause before consuming more.</summary>
    public bool HasPartitionsToPause => _toPause.Count > 0;

    /// <summary>
    /// Publishes buffered records to their tasks; adds the partitions whose buffer filled up to
    /// <paramref name="pause"/>.
    /// </summary>
    public void FlushBuffers(List<TopicPartition> pause)
    {
        foreach (var state in _appended)
        {
            state.Appended = false;
            if (state.Buffer is { } buffer && buffer.Flush()) pause.Add(state.TopicPartition);
        }
        _appended.Clear();
        pause.AddRange(_toPause);
        _toPause.Clear();
    }

    /// <summary>Whether some task has a record it may process now.</summary>
    public bool HasProcessableRecords
    {
        get
        {
            foreach (var task in _tasks.Values)
                if (task.CanProcess(_options, _round)) return true;
            return false;
        }
    }

    /// <summary>
    /// Processes up to <paramref name="maxRecords"/> buffered records, task by task (each task in timestamp order across
    /// its partitions), marking each offset processed. A record that fails goes to the error policy; if the policy
    /// absorbs it (log, dead letter), its offset counts as processed. Adds partitions whose buffer drained under the
    /// resume threshold to <paramref name="resume"/>.
    /// </summary>
    /// <returns>How many records were processed.</returns>
    /// <exception cref="RecordProcessingException">A record failed under the fail policy; its offset is not marked processed.</exception>
    public int ProcessBuffered(int maxRecords, List<TopicPartition> resume)
    {
        _processing.Clear();
        _round++;
        foreach (var task in _tasks.Values)
            if (task.CanProcess(_options, _round)) _processing.Add(task);
        var processed = 0;
        try
        {
            // A fair share per task: no task starves the others of the thread.
            var share = Math.Max(1, maxRecords / Math.Max(1, _processing.Count));
            foreach (var task in _processing)
            {
                for (var n = 0; n < share && processed < maxRecords && task.Next(_options, _round) is { } next; n++)
                {
                    ProcessHead(task, next);
                    processed++;
                }
            }
        }
        finally
        {
            foreach (var task in _processing)
                foreach (var partition in task.Partitions)
                    if (partition.Buffer!.EndRead()) resume.Add(partition.TopicPartition);
        }
        return processed;
    }

    private void ProcessHead(ActiveTask task, PartitionState partition)
    {
        var record = partition.Buffer!.Take(out var headers);
        if (record.Context.Timestamp > task.StreamTime) task.StreamTime = record.Context.Timestamp;
        var started = ProcessTiming.Start(_options.Metrics?.App);
        try
        {
            if (partition.InputFormat is { } format)
            {
                var datum = format.Read(record); // the error policy still gets the record as it came
                task.Task.Process(partition.SourceIndex, in datum);
            }
            else
            {
                task.Task.Process(partition.SourceIndex, in record);
            }
        }
        catch (Exception e) when (e is not StreamsException) // a runtime failure (e.g. production under the fail policy) stops the thread
        {
            var error = RecordProcessingException.Create(task.Id.ToString(), record.Context, e, _errors.DeserializationPolicy, _errors.ProcessingPolicy);
            _errors.Handle(error, record.Context, record.Key, record.Value, headers);
            task.Metrics.Failed++;
        }
        ProcessTiming.Stop(_options.Metrics?.App, started, record.Context.Timestamp, _options.Clock, task.Metrics);
        task.Metrics.Processed++;
        partition.NextOffset = record.Context.Offset + 1;
        if (task.Punctuator is { HasStreamTime: true } punctuator)
            Punctuate(task, punctuator, PunctuationType.StreamTime, task.StreamTime);
    }

    /// <summary>
    /// Calls the wall-clock punctuators that are due (<see cref="TaskOptions.Clock"/>) of every task with assigned
    /// partitions; the stream thread calls it once per poll loop. Suspended tasks wait for their partitions.
    /// </summary>
    /// <exception cref="StreamsException">A punctuator threw under the fail policy.</exception>
    public void PunctuateWallClock()
    {
        long? now = null;
        foreach (var task in _tasks.Values)
        {
            if (task.Partitions.Count == 0 || task.Punctuator is not { HasWallClockTime: true } punctuator) continue;
            now ??= _options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            Punctuate(task, punctuator, PunctuationType.WallClockTime, now.Value);
        }
    }

    /// <summary>Calls the task's punctuators of <paramref name="type"/> due at <paramref name="time"/>; a failure goes to the processing policy.</summary>
    private void Punctuate(ActiveTask task, TaskPunctuator punctuator, PunctuationType type, long time)
    {
        for (var due = punctuator.TakeDue(type, time); due >= 0; due = punctuator.TakeDue(type, time))
        {
            try
            {
                task.Task.Punctuate(due, time);
            }
            catch (Exception e) when (e is not StreamsException) // a runtime failure (e.g. production under the fail policy) stops the thread
            {
                _errors.HandlePunctuationFailure(task.Id.ToString(), punctuator.Schedules[due], time, e);
            }
        }
    }

    /// <summary>The offsets to commit: for each partition processed since its last commit, last processed offset + 1.</summary>
    public List<TopicPartitionOffset> UncommittedOffsets()
    {
        var offsets = new List<TopicPartitionOffset>();
        foreach (var sources in _topics.Values)
            foreach (var partition in sources.AssignedPartitions())
                if (partition.NextOffset > partition.CommittedOffset)
                    offsets.Add(new TopicPartitionOffset(partition.TopicPartition, partition.NextOffset));
        return offsets;
    }

    /// <summary>Records that <paramref name="offsets"/> were committed.</summary>
    public void MarkCommitted(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var tpo in offsets)
            if (_topics.TryGetValue(tpo.Topic, out var sources) && sources.Get(tpo.Partition.Value) is { } state && tpo.Offset.Value > state.CommittedOffset)
                state.CommittedOffset = tpo.Offset.Value;
    }

    private void Attach(TopicSources sources, PartitionState state)
    {
        state.Buffer = new RecordBuffer(state.TopicPartition, _options.PauseBytes, _options.ResumeBytes, _options.KeepHeaders);
        sources.Set(state.TopicPartition.Partition.Value, state);
        state.Task.Partitions.Add(state);
    }

    private void Detach(TopicSources sources, PartitionState state)
    {
        _toPause.Remove(state.TopicPartition);
        sources.Set(state.TopicPartition.Partition.Value, null);
        state.Task.Partitions.Remove(state);
        state.Buffer?.Dispose();
        state.Buffer = null;
        state.Appended = false;
    }

    private List<TaskId> CloseTasksWithoutPartitions()
    {
        _appended.RemoveAll(state => state.Buffer is null);
        var closed = new List<TaskId>();
        foreach (var task in _tasks.Values)
            if (task.Partitions.Count == 0 && !IsSuspended(task)) closed.Add(task.Id);
        foreach (var id in closed)
        {
            _tasks.Remove(id, out var task);
            (task!.Task as IDisposable)?.Dispose();
        }
        _options.Metrics?.SetTasks(_tasks.Values.Select(t => t.Metrics));
        return closed;
    }

    private bool IsSuspended(ActiveTask task)
    {
        foreach (var sources in _topics.Values)
            foreach (var state in sources.Suspended.Values)
                if (state.Task == task) return true;
        return false;
    }

    /// <summary>A task and the buffers of its assigned partitions (its PartitionGroup).</summary>
    private sealed class ActiveTask(TaskId id, ITopologyTask task, TaskMetrics metrics)
    {
        private long _idleSince = -1;

        public TaskId Id { get; } = id;
        public ITopologyTask Task { get; } = task;
        public TaskMetrics Metrics { get; } = metrics;
        public List<PartitionState> Partitions { get; } = new();

        /// <summary>The highest record timestamp processed so far (Kafka Streams' stream time); -1 before any.</summary>
        public long StreamTime { get; set; } = -1;

        /// <summary>When its punctuators are due; null when its sub-topology has none.</summary>
        public TaskPunctuator? Punctuator { get; init; }

        public bool CanProcess(TaskOptions options, int round) => Next(options, round, peekOnly: true) is not null;

        /// <summary>
        /// The partition whose next record has the lowest timestamp, or <see langword="null"/> when nothing is buffered
        /// or a partition is empty, not known to be caught up, and the idle wait for it has not run out.
        /// </summary>
        public PartitionState? Next(TaskOptions options, int round, bool peekOnly = false)
        {
            PartitionState? next = null;
            var nextTimestamp = long.MaxValue;
            var anyEmpty = false;
            foreach (var partition in Partitions)
            {
                var buffer = partition.Buffer!;
                if (buffer.Readable == 0)
                {
                    anyEmpty = true;
                    continue;
                }
                if (next is null || buffer.HeadTimestamp < nextTimestamp)
                {
                    next = partition;
                    nextTimestamp = buffer.HeadTimestamp;
                }
            }
            // Only with a record to process is an empty partition worth asking about (two client calls each).
            var wait = next is not null && anyEmpty ? EmptyPartitionsToWaitFor(options, round) : Wait.None;
            if (wait == Wait.Table) return null;
            if (wait == Wait.None || options.MaxTaskIdle <= TimeSpan.Zero)
            {
                // Nothing buffered, or nothing to wait for: a later wait starts afresh.
                if (!peekOnly || next is null) _idleSince = -1;
                return next;
            }
            // A partition is empty: its next record may be older than what the others hold. Wait for it, a while.
            var now = options.Clock.GetTimestamp();
            if (_idleSince < 0)
            {
                _idleSince = now;
                return null;
            }
            return options.Clock.GetElapsedTime(_idleSince, now) >= options.MaxTaskIdle ? next : null;
        }

        private enum Wait { None, Idle, Table }

        /// <summary>
        /// What the empty partitions ask of the task: a table being restored holds updates older records must be joined
        /// with, so wait for it however long (Kafka Streams restores a table before it processes); once the consumer has
        /// read it to its end it is restored, and from then on it is a partition like the others. A partition that may
        /// still hold records is waited for up to the idle time.
        /// </summary>
        private Wait EmptyPartitionsToWaitFor(TaskOptions options, int round)
        {
            var wait = Wait.None;
            foreach (var partition in Partitions)
            {
                if (partition.Buffer!.Readable != 0 || (!partition.IsRestoring && options.MaxTaskIdle <= TimeSpan.Zero))
                    continue;
                if (partition.IsCaughtUp(options, round))
                {
                    partition.IsRestoring = false;
                    continue;
                }
                if (partition.IsRestoring) return Wait.Table;
                wait = Wait.Idle;
            }
            return wait;
        }
    }

    private sealed class PartitionState(TopicPartition topicPartition, ActiveTask task, int sourceIndex)
    {
        public TopicPartition TopicPartition { get; } = topicPartition;

        public ActiveTask Task { get; } = task;

        /// <summary>Index of the partition's topic among its sub-topology's sources.</summary>
        public int SourceIndex { get; } = sourceIndex;

        /// <summary>Its values' framing and writer schemas, or <see langword="null"/> when they are the bare datum of the reader's type.</summary>
        public InputValueFormat? InputFormat { get; init; }

        /// <summary>
        /// A join's table (<see cref="TopicReference.IsTable"/>) attached to a new task, read from the beginning, until the
        /// consumer has read it to its end: its task processes nothing meanwhile. Kept when the partition is revoked and
        /// assigned again (the store is kept too).
        /// </summary>
        public bool IsRestoring { get; set; }

        /// <summary>
        /// Whether the consumer has read the partition to its end (<see cref="TaskOptions.IsCaughtUp"/>), asked once per
        /// processing round: the watermarks only change between polls, and the question costs two client calls.
        /// </summary>
        public bool IsCaughtUp(TaskOptions options, int round)
        {
            if (_caughtUpRound != round)
            {
                _caughtUp = options.IsCaughtUp?.Invoke(TopicPartition, NextOffset) == true;
                _caughtUpRound = round;
            }
            return _caughtUp;
        }

        private bool _caughtUp;
        private int _caughtUpRound = -1;

        /// <summary>Consumed, unprocessed records; null while suspended.</summary>
        public RecordBuffer? Buffer { get; set; }

        /// <summary>Whether records were appended since the last flush.</summary>
        public bool Appended { get; set; }

        /// <summary>Last processed offset + 1; -1 before the first record.</summary>
        public long NextOffset { get; set; } = -1;

        public long CommittedOffset { get; set; } = -1;

        /// <summary>Where the consumer resumes: after the last processed record, or the committed offset.</summary>
        public Offset ResumeOffset => NextOffset >= 0 ? new Offset(NextOffset) : Offset.Unset;
    }

    /// <summary>A source topic: which sub-topology reads it, and the state of each assigned partition (indexed by partition number).</summary>
    private sealed class TopicSources(string topic, int subtopology, int sourceIndex, bool isTable)
    {
        public bool IsTable { get; } = isTable;

        private PartitionState?[] _partitions = [];

        public string Topic { get; } = topic;

        public int Subtopology { get; } = subtopology;

        public int SourceIndex { get; } = sourceIndex;

        /// <summary>Partitions revoked by the last rebalance, kept until the next assignment resumes or drops them.</summary>
        public Dictionary<int, PartitionState> Suspended { get; } = new();

        public PartitionState? Get(int partition) => (uint)partition < (uint)_partitions.Length ? _partitions[partition] : null;

        public void Set(int partition, PartitionState? state)
        {
            if (partition >= _partitions.Length)
                Array.Resize(ref _partitions, Math.Max(partition + 1, _partitions.Length * 2));
            _partitions[partition] = state;
        }

        public IEnumerable<PartitionState> AssignedPartitions()
        {
            foreach (var state in _partitions)
                if (state is not null) yield return state;
        }
    }
}
