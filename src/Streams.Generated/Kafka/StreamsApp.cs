using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Streams.Generated.Serialization;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>
/// Runs a generated topology against a Kafka cluster, at least once: <see cref="StreamsOptions.StreamThreads"/> stream
/// threads, each with its own consumer in group <see cref="StreamsOptions.ApplicationId"/>, its own producer and the
/// tasks (one per assigned sub-topology and partition) the group gives it. Start several instances (in one process or
/// many) with the same application id to share the work.
/// </summary>
/// <example>
/// <code>
/// await using var app = new StreamsApp(WordCount.Definition, new StreamsOptions
/// {
///     ApplicationId = "wordcount",
///     BootstrapServers = "localhost:9092",
/// });
/// await app.StartAsync(cancellationToken);
/// cancellationToken.Register(() => _ = app.StopAsync());
/// await app.Completion; // throws if the app failed
/// </code>
/// </example>
public sealed class StreamsApp : IAsyncDisposable, IStreamThreadOwner
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StreamThread[] _threads;
    private readonly StreamsState[] _threadStates;
    private readonly string[][] _threadTasks;
    private readonly StreamsException?[] _threadFailures;
    private readonly StreamsMetrics _metrics;
    private readonly ILogger _logger;
    private volatile StreamsState _state = StreamsState.Created;
    private volatile IReadOnlyList<string> _assignedTasks = Array.Empty<string>();
    private int _threadsStarted;
    private int _threadsEnded;
    private bool _stopRequested;

    /// <summary>Creates the application; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="topology">The generated definition, e.g. <c>WordCount.Definition</c>.</param>
    /// <param name="options">Application id, bootstrap servers and tuning.</param>
    /// <exception cref="ArgumentException">A required option is missing or invalid, or a writer schema cannot be resolved.</exception>
    public StreamsApp(TopologyDefinition topology, StreamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Topology = topology;
        Options = options;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Streams.Generated.Kafka.StreamsApp");
        _metrics = new StreamsMetrics(options.ApplicationId);
        var inputFormats = InputValueFormat.Plan(InputValueFormat.InputTopics(topology), options.ConfluentWireFormat, options.AvroWriterSchemas, nameof(StreamsOptions));
        _threads = new StreamThread[options.StreamThreads];
        for (var i = 0; i < _threads.Length; i++) _threads[i] = new StreamThread(i, topology, options, inputFormats, _logger, this, _metrics);
        _threadStates = new StreamsState[_threads.Length];
        _threadTasks = new string[_threads.Length][];
        Array.Fill(_threadTasks, []);
        _threadFailures = new StreamsException?[_threads.Length];
    }

    /// <summary>The topology this application runs.</summary>
    public TopologyDefinition Topology { get; }

    /// <summary>The options it was created with. Changing them after construction has no effect on a started app.</summary>
    public StreamsOptions Options { get; }

    /// <summary>The current state.</summary>
    public StreamsState State => _state;

    /// <summary>
    /// Raised on every state transition, on the stream thread: handlers must return quickly and must not wait for
    /// this app (calling <see cref="StopAsync"/> without awaiting it is fine).
    /// </summary>
    public event EventHandler<StreamsStateChangedEventArgs>? StateChanged;

    /// <summary>The ids (<c>subtopology_partition</c>, e.g. <c>0_3</c>) of the tasks this instance owns now; a snapshot.</summary>
    public IReadOnlyList<string> AssignedTasks => _assignedTasks;

    /// <summary>
    /// Completes when the application has stopped: successfully after <see cref="StopAsync"/>, faulted with a
    /// <see cref="StreamsException"/> (e.g. <see cref="RecordProcessingException"/>) when it failed.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Checks the cluster (bounded by <see cref="StreamsOptions.StartupTimeout"/>), creates missing internal topics,
    /// then starts the stream threads, which join the consumer group. Returns once every thread is polling; tasks are
    /// assigned shortly after (state <see cref="StreamsState.Rebalancing"/>, then <see cref="StreamsState.Running"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels startup (the app then stops).</param>
    /// <exception cref="StreamsException">The cluster is unreachable, an input topic is missing, or startup failed otherwise.</exception>
    /// <exception cref="InvalidOperationException">The app was already started.</exception>
    /// <exception cref="OperationCanceledException">Startup was cancelled or the app was stopped before it started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!SetState(StreamsState.Starting, onlyFrom: StreamsState.Created))
            throw new InvalidOperationException($"StartAsync can be called once, on a new app; the app is {_state}.");
        StartThread(_threads[0]); // it checks the cluster and creates topics; the others start once it is polling
        await using (cancellationToken.Register(static app => ((StreamsApp)app!).RequestStop(), this).ConfigureAwait(false))
        {
            await _started.Task.ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Stops gracefully: every thread finishes its current record, waits until everything produced is acknowledged,
    /// commits the processed offsets and leaves the consumer group. Never blocks the caller, so it is safe to call from
    /// a <see cref="CancellationToken"/> callback or a Ctrl+C handler; await the result to know when it is done.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait, not the stop.</param>
    /// <returns>Completes with <see cref="Completion"/>.</returns>
    /// <exception cref="StreamsException">The app had failed (the error that stopped it).</exception>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        RequestStop();
        return cancellationToken.CanBeCanceled ? Completion.WaitAsync(cancellationToken) : Completion;
    }

    /// <summary>Stops the app (see <see cref="StopAsync"/>) and waits for it; an error that stopped it is not rethrown here.</summary>
    public async ValueTask DisposeAsync()
    {
        RequestStop();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (StreamsException)
        {
            // Logged when it happened, and observable through Completion or StopAsync.
        }
        _metrics.Dispose();
    }

    private void RequestStop()
    {
        if (SetState(StreamsState.Stopped, onlyFrom: StreamsState.Created))
        {
            _started.TrySetException(new OperationCanceledException("The app was stopped before it started."));
            _completion.TrySetResult();
            return;
        }
        lock (_gate) _stopRequested = true;
        foreach (var thread in _threads) thread.RequestStop();
    }

    /// <summary>Ends the app like a crash, for tests: see <see cref="StreamThread.Kill"/>. Completes <see cref="Completion"/>.</summary>
    internal Task KillAsync()
    {
        lock (_gate) _stopRequested = true;
        foreach (var thread in _threads) thread.Kill();
        return Completion;
    }

    private void StartThread(StreamThread streamThread)
    {
        var thread = new Thread(() => RunStreamThread(streamThread))
        {
            // Background: a stuck client call never keeps the process alive after Main returns.
            IsBackground = true,
            Name = $"{Options.ApplicationId}-StreamThread-{streamThread.Index + 1}",
        };
        thread.Start();
    }

    private void RunStreamThread(StreamThread thread)
    {
        StreamsException? failure;
        try
        {
            failure = thread.Run();
        }
        catch (Exception e)
        {
            failure = new StreamsException($"The stream thread failed: {e.Message}", e); // Run catches; this is a last resort
        }
        bool last;
        lock (_gate)
        {
            _threadFailures[thread.Index] = failure;
            _threadStates[thread.Index] = failure is null ? StreamsState.Stopped : StreamsState.Error;
            last = ++_threadsEnded == _threads.Length || (thread.Index == 0 && _threadsStarted == 0);
        }
        if (failure is not null) RequestStop(); // one thread failing stops the app (Kafka Streams' SHUTDOWN_CLIENT)
        if (!last) return;
        lock (_gate)
        {
            // Thread 0 ended before the others started (failed or stopped at startup): they never run.
            _threadsEnded = _threads.Length;
            failure = Array.Find(_threadFailures, f => f is not null);
        }
        if (failure is null)
        {
            SetState(StreamsState.Stopped);
            Log.Stopped(_logger, Options.ApplicationId);
            _started.TrySetException(new OperationCanceledException("The app was stopped before it started."));
            _completion.TrySetResult();
        }
        else
        {
            SetState(StreamsState.Error);
            _started.TrySetException(failure);
            _completion.TrySetException(failure);
        }
    }

    void IStreamThreadOwner.OnStarted(StreamThread thread)
    {
        bool all;
        lock (_gate)
        {
            all = ++_threadsStarted == _threads.Length;
            // Even after a stop request: they return at once, and the app completes when every thread has ended.
            if (thread.Index == 0)
                for (var i = 1; i < _threads.Length; i++) StartThread(_threads[i]);
        }
        if (all) _started.TrySetResult();
    }

    void IStreamThreadOwner.SetState(StreamThread thread, StreamsState state)
    {
        StreamsState old, combined;
        lock (_gate)
        {
            // Combined and published under one lock: two threads changing state at once cannot leave a stale state.
            _threadStates[thread.Index] = state;
            combined = Combine();
            old = _state;
            if (old == combined || old is StreamsState.Stopped or StreamsState.Error) return;
            _state = combined;
        }
        RaiseStateChanged(old, combined);
    }

    void IStreamThreadOwner.SetAssignedTasks(StreamThread thread, string[] taskIds)
    {
        lock (_gate)
        {
            _threadTasks[thread.Index] = taskIds;
            var all = _threadTasks.SelectMany(t => t).ToArray();
            Array.Sort(all, CompareTaskIds);
            _assignedTasks = Array.AsReadOnly(all);
        }
    }

    /// <summary>
    /// The app's state from its threads' (under the lock): stopping once a stop was requested, else error if a thread
    /// failed, running only when every thread runs, else starting or rebalancing.
    /// </summary>
    private StreamsState Combine()
    {
        // A failed thread stops the others: the app is in error only once all have ended (see RunStreamThread).
        if (_stopRequested || Array.IndexOf(_threadStates, StreamsState.Error) >= 0) return StreamsState.Stopping;
        if (_threadsStarted < _threads.Length) return StreamsState.Starting;
        if (Array.TrueForAll(_threadStates, s => s == StreamsState.Running)) return StreamsState.Running;
        return Array.IndexOf(_threadStates, StreamsState.Stopping) >= 0 ? StreamsState.Stopping : StreamsState.Rebalancing;
    }

    private static int CompareTaskIds(string a, string b)
    {
        var (sa, pa) = Split(a);
        var (sb, pb) = Split(b);
        return sa != sb ? sa.CompareTo(sb) : pa.CompareTo(pb);

        static (int, int) Split(string id)
        {
            var underscore = id.IndexOf('_');
            return (int.Parse(id.AsSpan(0, underscore), System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(id.AsSpan(underscore + 1), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Moves to <paramref name="state"/> unless the current state is terminal, equal, or not <paramref name="onlyFrom"/>;
    /// raises <see cref="StateChanged"/> outside the lock.
    /// </summary>
    private bool SetState(StreamsState state, StreamsState? onlyFrom = null)
    {
        StreamsState old;
        lock (_gate)
        {
            old = _state;
            if (onlyFrom is { } required && old != required) return false;
            if (old == state || old is StreamsState.Stopped or StreamsState.Error) return false;
            _state = state;
        }
        RaiseStateChanged(old, state);
        return true;
    }

    private void RaiseStateChanged(StreamsState old, StreamsState state)
    {
        Log.StateChanged(_logger, old, state);
        try
        {
            StateChanged?.Invoke(this, new StreamsStateChangedEventArgs(old, state));
        }
        catch (Exception e)
        {
            Log.StateChangedHandlerFailed(_logger, e);
        }
    }
}
