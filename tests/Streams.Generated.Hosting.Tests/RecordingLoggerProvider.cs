using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Streams.Generated.Hosting.Tests;

/// <summary>Keeps what the host logs, and writes it to the test's output.</summary>
internal sealed class RecordingLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Add(LogLevel level, string category, string message)
    {
        Entries.Enqueue((level, category, message));
        try
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {level} {category}: {message}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished (a late log from a background thread).
        }
    }

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) provider.Add(logLevel, category, formatter(state, exception));
        }
    }
}
