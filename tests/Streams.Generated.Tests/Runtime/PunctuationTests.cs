using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Streams.Generated.Kafka;
using Streams.Generated.Topology;

namespace Streams.Generated.Tests.Runtime;

/// <summary>When the task manager calls punctuators: stream time after records, wall-clock time from the poll loop.</summary>
public class PunctuationTests
{
    private static readonly PunctuationSchedule EveryTenMsOfStreamTime = new("Node", "OnStreamTime", TimeSpan.FromMilliseconds(10), PunctuationType.StreamTime);
    private static readonly PunctuationSchedule EverySecondOfWallClock = new("Node", "OnWallClock", TimeSpan.FromSeconds(1), PunctuationType.WallClockTime);

    private readonly List<FakeTask> _created = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly FakeProducer _producer = new();
    private readonly ListLogger _logger = new();

    private static TopicPartition Tp(string topic, int partition) => new(topic, new Partition(partition));

    private TaskManager Create(ErrorPolicy processing = ErrorPolicy.Fail, params PunctuationSchedule[] punctuations)
    {
        var collector = new RecordCollector(_producer, new DeliveryTracker());
        var errors = new RecordErrorHandler(ErrorPolicy.Fail, processing, collector, logger: _logger);
        return new TaskManager(FakeTopologies.Punctuated(_created, punctuations), "app", collector, errors,
            TaskOptions.Default with { Clock = _clock });
    }

    private FakeTask Task(int partition) => _created.Single(t => t.Context.Partition == partition);

    [Fact]
    public void Stream_time_punctuation_fires_after_the_record_that_reaches_a_multiple_of_the_interval_and_once_per_jump()
    {
        var tasks = Create(punctuations: EveryTenMsOfStreamTime);
        tasks.Assign([Tp("lines", 0)]);

        foreach (var (offset, timestamp) in new[] { (0L, 5L), (1, 9), (2, 12), (3, 13), (4, 20), (5, 47), (6, 49), (7, 50) })
            tasks.Process("lines", 0, offset, timestamp, null, null);

        // The first due time is the first multiple of 10 after the first record (10); 47 jumps over 30 and 40: once.
        Assert.Equal([(0, 12L), (0, 20), (0, 47), (0, 50)], Task(0).Punctuated);
    }

    [Fact]
    public void A_punctuation_comes_after_the_record_that_triggers_it_and_its_outputs_carry_the_stream_time()
    {
        var tasks = Create(punctuations: EveryTenMsOfStreamTime);
        tasks.Assign([Tp("lines", 0)]);
        var task = Task(0);
        task.ForwardTo = "copies";
        task.PunctuateTo = "ticks";

        tasks.Process("lines", 0, 0, 3, null, [1]);
        tasks.Process("lines", 0, 1, 15, null, [2]);

        Assert.Equal(["copies@3", "copies@15", "ticks@15"], _producer.Sent.Select(s => $"{s.Topic}@{s.Timestamp}"));
    }

    [Fact]
    public void Stream_time_never_goes_back_and_is_kept_per_task()
    {
        var tasks = Create(punctuations: EveryTenMsOfStreamTime);
        tasks.Assign([Tp("lines", 0), Tp("lines", 1)]);

        tasks.Process("lines", 0, 0, 25, null, null);
        tasks.Process("lines", 0, 1, 5, null, null);   // late: stream time stays 25
        tasks.Process("lines", 0, 2, 31, null, null);
        tasks.Process("lines", 1, 0, 33, null, null);  // another task: its own first record

        Assert.Equal([(0, 31L)], Task(0).Punctuated);
        Assert.Empty(Task(1).Punctuated);
    }

    [Fact]
    public void Wall_clock_punctuation_fires_every_interval_from_task_creation_and_once_after_a_pause()
    {
        var tasks = Create(punctuations: [EveryTenMsOfStreamTime, EverySecondOfWallClock]);
        var created = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        tasks.Assign([Tp("lines", 0)]);

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        tasks.PunctuateWallClock();
        Assert.Empty(Task(0).Punctuated);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        tasks.PunctuateWallClock();
        tasks.PunctuateWallClock(); // called again at the same time: nothing more is due
        _clock.Advance(TimeSpan.FromMilliseconds(3500)); // a pause over 3 intervals: once
        tasks.PunctuateWallClock();
        _clock.Advance(TimeSpan.FromMilliseconds(499)); // the grid stays on whole seconds after creation
        tasks.PunctuateWallClock();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        tasks.PunctuateWallClock();

        Assert.Equal([(1, created + 1000), (1, created + 4500), (1, created + 5000)], Task(0).Punctuated);
    }

    [Fact]
    public void Suspended_tasks_do_not_punctuate_until_their_partitions_come_back()
    {
        var tasks = Create(punctuations: EverySecondOfWallClock);
        tasks.Assign([Tp("lines", 0)]);
        tasks.Revoke([Tp("lines", 0)]);

        _clock.Advance(TimeSpan.FromSeconds(5));
        tasks.PunctuateWallClock();
        Assert.Empty(Task(0).Punctuated);

        tasks.Assign([Tp("lines", 0)]);
        tasks.PunctuateWallClock();
        Assert.Equal([(0, _clock.GetUtcNow().ToUnixTimeMilliseconds())], Task(0).Punctuated);
    }

    [Fact]
    public void Under_the_fail_policy_a_punctuator_that_throws_stops_the_thread_naming_task_processor_and_punctuator()
    {
        var tasks = Create(ErrorPolicy.Fail, EverySecondOfWallClock);
        tasks.Assign([Tp("lines", 0), Tp("lines", 3)]);
        Task(3).FailPunctuationWith = (_, _) => new ProcessorException("Node", new InvalidOperationException("no tick"));
        _clock.Advance(TimeSpan.FromSeconds(1));

        var error = Assert.Throws<StreamsException>(tasks.PunctuateWallClock);

        Assert.Equal($"Punctuator Node.OnWallClock (every 1s of wall-clock time) of task 0_3 failed at {_clock.GetUtcNow().ToUnixTimeMilliseconds()}: "
            + "InvalidOperationException: no tick Policy: Fail (StreamsOptions.ProcessingErrorPolicy).", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Theory]
    [InlineData(ErrorPolicy.LogAndContinue)]
    [InlineData(ErrorPolicy.DeadLetter)]
    public void Otherwise_a_punctuator_that_throws_is_logged_and_the_other_punctuators_and_records_go_on(ErrorPolicy policy)
    {
        var tasks = Create(policy, EveryTenMsOfStreamTime, EveryTenMsOfStreamTime with { Method = "Second" });
        tasks.Assign([Tp("lines", 0)]);
        Task(0).FailPunctuationWith = (punctuator, timestamp) => punctuator == 0 && timestamp == 10 ? new ProcessorException("Node", new FormatException("bad state")) : null;

        tasks.Process("lines", 0, 0, 1, null, null);
        tasks.Process("lines", 0, 1, 10, null, null);
        tasks.Process("lines", 0, 2, 20, null, null);

        Assert.Equal([(0, 10L), (1, 10), (0, 20), (1, 20)], Task(0).Punctuated);
        Assert.Equal(["lines[0]@3"], tasks.UncommittedOffsets().Select(TaskManagerTests.Describe));
        var logged = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal($"Punctuator Node.OnStreamTime (every 10ms of stream time) of task 0_0 failed at 10, policy {policy} "
            + "(StreamsOptions.ProcessingErrorPolicy): going on. FormatException: bad state", logged.Message);
        Assert.IsType<FormatException>(logged.Exception);
        Assert.Empty(_producer.Sent); // nothing to dead-letter: a punctuation has no input record
    }

    [Fact]
    public void A_topology_without_punctuators_never_punctuates()
    {
        var tasks = Create();
        tasks.Assign([Tp("lines", 0)]);
        tasks.Process("lines", 0, 0, 1_000_000, null, null);
        _clock.Advance(TimeSpan.FromDays(1));
        tasks.PunctuateWallClock();

        Assert.Empty(Task(0).Punctuated);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
