using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Generated.Topology;

namespace Streams.Generated.Kafka;

/// <summary>
/// Runs a generated topology against a Kafka cluster, at least once: one consumer in group
/// <see cref="StreamsOptions.ApplicationId"/>, one producer, one task per assigned (sub-topology, partition), all on a
/// dedicated thread. Start several instances (in one process or many) with the same application id to share the work.
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
    private readonly StreamThread _streamThread;
    private readonly ILogger _logger;
    private volatile StreamsState _state = StreamsState.Created;
    private volatile IReadOnlyList<string> _assignedTasks = Array.Empty<string>();

    /// <summary>Creates the application; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="topology">The generated definition, e.g. <c>WordCount.Definition</c>.</param>
    /// <param name="options">Application id, bootstrap servers and tuning.</param>
    /// <exception cref="ArgumentException">A required option is missing or invalid.</exception>
    public StreamsApp(TopologyDefinition topology, StreamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Topology = topology;
        Options = options;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Streams.Generated.Kafka.StreamsApp");
        _streamThread = new StreamThread(topology, options, _logger, this);
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
    /// joins the consumer group and starts the stream thread. Returns once the thread is polling; tasks are assigned
    /// shortly after (state <see cref="StreamsState.Rebalancing"/>, then <see cref="StreamsState.Running"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels startup (the app then stops).</param>
    /// <exception cref="StreamsException">The cluster is unreachable, an input topic is missing, or startup failed otherwise.</exception>
    /// <exception cref="InvalidOperationException">The app was already started.</exception>
    /// <exception cref="OperationCanceledException">Startup was cancelled or the app was stopped before it started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!SetState(StreamsState.Starting, onlyFrom: StreamsState.Created))
            throw new InvalidOperationException($"StartAsync can be called once, on a new app; the app is {_state}.");
        var thread = new Thread(RunStreamThread)
        {
            // Background: a stuck client call never keeps the process alive after Main returns.
            IsBackground = true,
            Name = $"{Options.ApplicationId}-StreamThread",
        };
        thread.Start();
        await using (cancellationToken.Register(static app => ((StreamsApp)app!).RequestStop(), this).ConfigureAwait(false))
        {
            await _started.Task.ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Stops gracefully: finishes the current record, waits until everything produced is acknowledged, commits the
    /// processed offsets and leaves the consumer group. Never blocks the caller, so it is safe to call from a
    /// <see cref="CancellationToken"/> callback or a Ctrl+C handler; await the result to know when it is done.
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
    }

    private void RequestStop()
    {
        if (SetState(StreamsState.Stopped, onlyFrom: StreamsState.Created))
        {
            _started.TrySetException(new OperationCanceledException("The app was stopped before it started."));
            _completion.TrySetResult();
            return;
        }
        _streamThread.RequestStop();
    }

    private void RunStreamThread()
    {
        StreamsException? failure;
        try
        {
            failure = _streamThread.Run();
        }
        catch (Exception e)
        {
            failure = new StreamsException($"The stream thread failed: {e.Message}", e); // Run catches; this is a last resort
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

    void IStreamThreadOwner.OnStarted() => _started.TrySetResult();

    void IStreamThreadOwner.SetState(StreamsState state) => SetState(state);

    void IStreamThreadOwner.SetAssignedTasks(string[] taskIds) => _assignedTasks = Array.AsReadOnly(taskIds);

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
        Log.StateChanged(_logger, old, state);
        try
        {
            StateChanged?.Invoke(this, new StreamsStateChangedEventArgs(old, state));
        }
        catch (Exception e)
        {
            Log.StateChangedHandlerFailed(_logger, e);
        }
        return true;
    }
}
