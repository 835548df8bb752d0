namespace Streams.Generated.Kafka;

/// <summary>The lifecycle state of a <see cref="StreamsApp"/>.</summary>
public enum StreamsState
{
    /// <summary>Constructed; <see cref="StreamsApp.StartAsync"/> not called yet.</summary>
    Created,

    /// <summary>Checking the cluster, creating internal topics, connecting.</summary>
    Starting,

    /// <summary>Member of the consumer group, waiting for (or handing over) partitions; tasks are being moved.</summary>
    Rebalancing,

    /// <summary>Owns its tasks and processes records.</summary>
    Running,

    /// <summary>A stop was requested: finishing the current record, flushing, committing, leaving the group.</summary>
    Stopping,

    /// <summary>Stopped after a stop request. Terminal.</summary>
    Stopped,

    /// <summary>Stopped because of an error (see <see cref="StreamsApp.Completion"/>). Terminal.</summary>
    Error,
}

/// <summary>A state transition of a <see cref="StreamsApp"/>.</summary>
public sealed class StreamsStateChangedEventArgs(StreamsState oldState, StreamsState newState) : EventArgs
{
    /// <summary>The state before the transition.</summary>
    public StreamsState OldState { get; } = oldState;

    /// <summary>The state after the transition.</summary>
    public StreamsState NewState { get; } = newState;
}
