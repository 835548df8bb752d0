using System.ComponentModel;
using Streams.Generated.Kafka;

namespace Streams.Generated;

/// <summary>
/// A node of a topology failed while processing a record: its processor's <c>Process</c> (or code it called, such as an
/// output's serializer) threw. Names the node; the original exception is the <see cref="Exception.InnerException"/>.
/// Thrown by generated code, so the runtime's processing-error policy and the test driver can say where it happened.
/// </summary>
public sealed class ProcessorException : Exception
{
    /// <summary>Creates the exception for <paramref name="processorName"/>.</summary>
    public ProcessorException(string processorName, Exception innerException)
        : base($"Processor '{processorName}' failed: {innerException.GetType().Name}: {innerException.Message}", innerException)
    {
        ProcessorName = processorName;
    }

    /// <summary>The node that threw: the processor class name (or the operator's, e.g. a <c>[Count]</c>).</summary>
    public string ProcessorName { get; }

    /// <summary>
    /// Whether generated code should wrap <paramref name="exception"/>: not when a downstream node already did, nor when
    /// the runtime failed underneath (a <see cref="StreamsException"/>, e.g. production failing under the fail policy).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool ShouldWrap(Exception exception) => exception is not (ProcessorException or StreamsException);
}
