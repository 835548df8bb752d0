using Confluent.Kafka;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>A task's id: the sub-topology and the partition number it processes (Kafka Streams' <c>0_3</c>).</summary>
internal readonly record struct TaskId(int Subtopology, int Partition)
{
    public override string ToString() => $"{Subtopology}_{Partition}";
}

/// <summary>
/// Owns the tasks of one stream thread and the offsets they processed. A task exists for each (sub-topology,
/// partition) of which at least one source partition is assigned. As Kafka Streams with eager rebalancing, a
/// revocation suspends tasks and the following assignment resumes those assigned again (their in-memory state intact)
/// and closes the others. Not thread-safe: used by the stream thread only
/// (rebalance callbacks run on it too, inside the consumer's poll).
/// </summary>
internal sealed class TaskManager
{
    private readonly TopologyDefinition _topology;
    private readonly string _applicationId;
    private readonly IRecordCollector _collector;
    private readonly IServiceProvider? _services;
    private readonly Dictionary<string, TopicSources> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<TaskId, ActiveTask> _tasks = new();

    public TaskManager(TopologyDefinition topology, string applicationId, IRecordCollector collector, IServiceProvider? services = null)
    {
        _topology = topology;
        _applicationId = applicationId;
        _collector = collector;
        _services = services;
        foreach (var subtopology in topology.Subtopologies)
        {
            for (var i = 0; i < subtopology.Sources.Count; i++)
            {
                var topic = TopologyDefinition.ResolveTopic(subtopology.Sources[i], applicationId);
                if (!_topics.TryGetValue(topic, out var sources))
                    _topics[topic] = sources = new TopicSources(topic);
                sources.Bindings.Add(new SourceBinding(subtopology.Id, i));
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
            if (task.AssignedPartitions > 0) ids.Add(task.Id);
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

    /// <summary>
    /// Applies a new assignment: partitions suspended by the last revocation and assigned again resume with their tasks
    /// (state kept) at their next unprocessed offset; new partitions get tasks; suspended partitions not assigned again
    /// are dropped and tasks left with no partition are closed.
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
                positions.Add(new TopicPartitionOffset(tp, active.NextOffset >= 0 ? new Offset(active.NextOffset) : Offset.Unset));
                continue;
            }
            if (sources.Suspended.Remove(partition, out var resumed))
            {
                foreach (var task in resumed.Tasks) task.AssignedPartitions++;
                sources.Set(partition, resumed);
                // Resume where processing stopped: the committed offset may be older if the revocation's commit failed.
                positions.Add(new TopicPartitionOffset(tp, resumed.NextOffset >= 0 ? new Offset(resumed.NextOffset) : Offset.Unset));
                continue;
            }

            var tasks = new ActiveTask[sources.Bindings.Count];
            for (var i = 0; i < tasks.Length; i++)
            {
                var id = new TaskId(sources.Bindings[i].Subtopology, partition);
                if (!_tasks.TryGetValue(id, out var task))
                {
                    var subtopology = _topology.Subtopologies[id.Subtopology];
                    var generated = subtopology.CreateTask(new TaskContext(_applicationId, id.Subtopology, id.Partition, _collector, _services));
                    _tasks[id] = task = new ActiveTask(id, generated);
                }
                task.AssignedPartitions++;
                tasks[i] = task;
            }
            sources.Set(partition, new PartitionState(tp, tasks));
            positions.Add(new TopicPartitionOffset(tp, Offset.Unset));
        }

        foreach (var sources in _topics.Values) sources.Suspended.Clear();
        CloseTasksWithoutPartitions();
        return positions;
    }

    /// <summary>
    /// Suspends revoked partitions: no more records are processed for them, their tasks and offsets are kept until
    /// the next <see cref="Assign"/> resumes or drops them. Call <see cref="CommitManager.Commit"/> first.
    /// </summary>
    public void Revoke(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            if (!_topics.TryGetValue(tp.Topic, out var sources) || sources.Get(tp.Partition.Value) is not { } state) continue;
            sources.Set(tp.Partition.Value, null);
            sources.Suspended[tp.Partition.Value] = state;
            foreach (var task in state.Tasks) task.AssignedPartitions--;
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
            if (sources.Get(partition) is { } state)
            {
                sources.Set(partition, null);
                foreach (var task in state.Tasks) task.AssignedPartitions--;
            }
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
            foreach (var state in sources.AssignedPartitions().ToList())
            {
                sources.Set(state.TopicPartition.Partition.Value, null);
                foreach (var task in state.Tasks) task.AssignedPartitions--;
            }
        }
        return CloseTasksWithoutPartitions();
    }

    private List<TaskId> CloseTasksWithoutPartitions()
    {
        var closed = new List<TaskId>();
        foreach (var task in _tasks.Values)
            if (task.AssignedPartitions == 0) closed.Add(task.Id);
        foreach (var id in closed)
        {
            _tasks.Remove(id, out var task);
            (task!.Task as IDisposable)?.Dispose();
        }
        return closed;
    }

    /// <summary>
    /// Runs one consumed record through the task(s) reading its partition, then marks its offset processed.
    /// Returns <see langword="false"/> for a record of a partition not assigned here (not processed, not marked).
    /// </summary>
    /// <exception cref="RecordProcessingException">The task failed; the offset is not marked processed.</exception>
    public bool Process(string topic, int partition, long offset, long timestamp, byte[]? key, byte[]? value)
    {
        if (!_topics.TryGetValue(topic, out var sources) || sources.Get(partition) is not { } state)
            return false;
        var record = new ConsumedRecord(topic, partition, offset, timestamp, key, value);
        var tasks = state.Tasks;
        for (var i = 0; i < tasks.Length; i++)
        {
            try
            {
                tasks[i].Task.Process(sources.Bindings[i].SourceIndex, in record);
            }
            catch (Exception e)
            {
                throw RecordProcessingException.Create(tasks[i].Id.ToString(), record.Context, e);
            }
        }
        state.NextOffset = offset + 1;
        return true;
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

    private readonly record struct SourceBinding(int Subtopology, int SourceIndex);

    private sealed class ActiveTask(TaskId id, ITopologyTask task)
    {
        public TaskId Id { get; } = id;
        public ITopologyTask Task { get; } = task;
        public int AssignedPartitions { get; set; }
    }

    private sealed class PartitionState(TopicPartition topicPartition, ActiveTask[] tasks)
    {
        public TopicPartition TopicPartition { get; } = topicPartition;

        /// <summary>The task of each binding of the topic, in binding order.</summary>
        public ActiveTask[] Tasks { get; } = tasks;

        /// <summary>Last processed offset + 1; -1 before the first record.</summary>
        public long NextOffset { get; set; } = -1;

        public long CommittedOffset { get; set; } = -1;
    }

    /// <summary>A source topic: who reads it, and the state of each assigned partition (indexed by partition number).</summary>
    private sealed class TopicSources(string topic)
    {
        private PartitionState?[] _partitions = [];

        public string Topic { get; } = topic;

        public List<SourceBinding> Bindings { get; } = new();

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
