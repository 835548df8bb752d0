namespace Streams.Generated.Topology;

/// <summary>
/// When the punctuators of one task are due (Kafka Streams' PunctuationQueue), for both drivers: the Kafka runtime and
/// the test driver ask it after each record (stream time) and on their clock (wall-clock time), then call
/// <see cref="ITopologyTask.Punctuate"/> themselves, each with its own error handling.
/// </summary>
/// <remarks>
/// A schedule fires when its time reaches its due time; the next due time is the next step of its grid after that
/// time, so a jump over several intervals fires once (Kafka Streams skips missed punctuations too). Stream-time grids
/// are multiples of the interval, so punctuations fall on the same stream times whatever record a task starts from
/// (after a restart or a rebalance); the first is the first multiple after the task's first record. Wall-clock grids
/// start when the task is created.
/// </remarks>
internal sealed class TaskPunctuator
{
    private readonly IReadOnlyList<PunctuationSchedule> _schedules;
    private readonly long[] _due;
    private bool _streamTimeStarted;
    private long _nextStreamTimeDue = long.MaxValue; // the earliest stream-time due time: one comparison per record

    private TaskPunctuator(IReadOnlyList<PunctuationSchedule> schedules, long wallClockNow)
    {
        _schedules = schedules;
        _due = new long[schedules.Count];
        for (var i = 0; i < schedules.Count; i++)
        {
            if (schedules[i].Type == PunctuationType.WallClockTime)
            {
                _due[i] = NextAfter(wallClockNow, schedules[i].IntervalMilliseconds, wallClockNow);
                HasWallClockTime = true;
            }
            else
            {
                HasStreamTime = true;
            }
        }
    }

    /// <summary>The task's punctuators, or <see langword="null"/> when its sub-topology has none.</summary>
    /// <param name="subtopology">The task's sub-topology.</param>
    /// <param name="wallClockNow">The wall-clock time at which the task is created, in Unix milliseconds.</param>
    public static TaskPunctuator? Create(SubtopologyDefinition subtopology, long wallClockNow) =>
        subtopology.Punctuations.Count == 0 ? null : new TaskPunctuator(subtopology.Punctuations, wallClockNow);

    public bool HasStreamTime { get; }

    public bool HasWallClockTime { get; }

    public IReadOnlyList<PunctuationSchedule> Schedules => _schedules;

    /// <summary>
    /// The index of a punctuator of <paramref name="type"/> that is due at <paramref name="time"/>, after moving its due
    /// time past <paramref name="time"/> (so it is taken once even if it throws); -1 when none is due. Call until -1.
    /// </summary>
    public int TakeDue(PunctuationType type, long time)
    {
        if (type == PunctuationType.StreamTime)
        {
            if (!_streamTimeStarted)
            {
                StartStreamTime(time);
                return -1;
            }

            if (time < _nextStreamTimeDue) return -1;
        }

        for (var i = 0; i < _due.Length; i++)
        {
            if (_schedules[i].Type != type || _due[i] > time) continue;
            _due[i] = NextAfter(_due[i], _schedules[i].IntervalMilliseconds, time);
            if (type == PunctuationType.StreamTime) _nextStreamTimeDue = EarliestStreamTimeDue();
            return i;
        }

        return -1;
    }

    private void StartStreamTime(long time)
    {
        _streamTimeStarted = true;
        for (var i = 0; i < _due.Length; i++)
            if (_schedules[i].Type == PunctuationType.StreamTime)
                _due[i] = NextAfter(0, _schedules[i].IntervalMilliseconds, Math.Max(0, time));
        _nextStreamTimeDue = EarliestStreamTimeDue();
    }

    private long EarliestStreamTimeDue()
    {
        var earliest = long.MaxValue;
        for (var i = 0; i < _due.Length; i++)
            if (_schedules[i].Type == PunctuationType.StreamTime && _due[i] < earliest) earliest = _due[i];
        return earliest;
    }

    /// <summary>
    /// The first step of the grid <c>due + k * interval</c> after <paramref name="time"/> (<c>time &gt;= due</c>); an
    /// interval of years saturates at <see cref="long.MaxValue"/> (never) instead of overflowing.
    /// </summary>
    private static long NextAfter(long due, long interval, long time)
    {
        var next = due + (((Int128)time - due) / interval + 1) * interval;
        return next > long.MaxValue ? long.MaxValue : (long)next;
    }
}
