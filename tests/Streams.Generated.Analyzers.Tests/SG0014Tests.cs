using Microsoft.CodeAnalysis;
using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

public class SG0014Tests
{
    [Fact]
    public async Task BlockingInAJoin()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Join(From = "orders", Table = "customers", Store = "customers", To = "out")]
                public partial class Enrich
                {
                    public string Join(string order, string customer)
                    {
                        {|SG0014:Thread.Sleep(10)|};
                        return order + customer;
                    }
                }
            }
            """);

        Assert.StartsWith("'Thread.Sleep' blocks the stream thread in processor 'Enrich'; ", diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task SleepAndSyncOverAsyncInProcess()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class Enrich
                {
                    private readonly HttpClient _http = new();

                    public void Process(string key, string value)
                    {
                        {|SG0014:Thread.Sleep(10)|};
                        var task = _http.GetStringAsync(value);
                        {|SG0014:task.Wait()|};
                        {|SG0014:task.Wait(TimeSpan.FromSeconds(1))|};
                        var body = {|SG0014:task.Result|};
                        var again = {|SG0014:_http.GetStringAsync(value).GetAwaiter().GetResult()|};
                        var configured = {|SG0014:_http.GetStringAsync(value).ConfigureAwait(false).GetAwaiter().GetResult()|};
                        {|SG0014:Task.WaitAll(task)|};
                        {|SG0014:Task.WaitAny(task)|};
                        {|SG0014:Task.Delay(1).GetAwaiter().GetResult()|};
                        var fromValueTask = {|SG0014:new ValueTask<int>(Task.FromResult(1)).Result|};
                        Out(body + again + configured + fromValueTask);
                    }

                    [To("out")] private partial void Out(string value);
                }
            }
            """);

        Assert.Equal(10, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal(
            "'Thread.Sleep' blocks the stream thread in processor 'Enrich'; do not pause the stream thread: to delay or retry a record, "
            + "write it to a retry topic and handle it there",
            diagnostics[0].GetMessage());
        Assert.Equal(
            "'Task<T>.Result' blocks the stream thread in processor 'Enrich'; this is sync-over-async: call a synchronous API instead, or do "
            + "the asynchronous work outside the record path (load data before the app starts, or bring it in through a topic)",
            diagnostics[3].GetMessage());
        Assert.StartsWith("'GetAwaiter().GetResult()' blocks", diagnostics[4].GetMessage());
    }

    [Fact]
    public async Task WaitingForOtherThreadsInMethodsProcessCalls()
    {
        var diagnostics = await AnalyzerVerifier.VerifyAsync("""
            using System.Collections.Concurrent;
            using Streams.Generated;

            [Topology("t")]
            public static partial class T
            {
                [Processor(From = "in")]
                public partial class Lookup
                {
                    private readonly SemaphoreSlim _gate = new(1);
                    private readonly ManualResetEventSlim _ready = new();
                    private readonly ManualResetEvent _event = new(false);
                    private readonly CountdownEvent _countdown = new(1);
                    private readonly BlockingCollection<string> _queue = new();
                    private readonly object _lock = new();

                    public void Process(string key, string value) => Out(Find(value));

                    private string Find(string value)
                    {
                        {|SG0014:_gate.Wait()|};
                        {|SG0014:_ready.Wait()|};
                        {|SG0014:_event.WaitOne()|};
                        {|SG0014:WaitHandle.WaitAll(new WaitHandle[] { _event })|};
                        {|SG0014:_countdown.Wait()|};
                        lock (_lock) { {|SG0014:Monitor.Wait(_lock, 10)|}; }
                        return {|SG0014:_queue.Take()|};
                    }

                    private string Current => {|SG0014:Task.FromResult("x").Result|};

                    private void Join(Thread worker) => {|SG0014:worker.Join()|};

                    [To("out")] private partial void Out(string value);
                }
            }
            """);

        Assert.Equal(
            "'SemaphoreSlim.Wait' blocks the stream thread in processor 'Lookup'; do not wait for other threads in a processor: its state "
            + "belongs to one task on one thread and needs no synchronization; hand data to other threads without waiting for them",
            diagnostics[0].GetMessage());
        Assert.StartsWith("'WaitHandle.WaitOne' blocks", diagnostics[2].GetMessage());
    }

    [Fact]
    public Task BlockingInsideALambdaOfProcessIsReported() => AnalyzerVerifier.VerifyAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class Delay
            {
                public void Process(string key, string value)
                {
                    void Pause() => {|SG0014:Thread.Sleep(1)|};
                    Action pause = static () => {|SG0014:Thread.Sleep(1)|};
                    Pause();
                    pause();
                    Out(value);
                }

                [To("out")] private partial void Out(string value);
            }
        }
        """);

    [Fact]
    public Task NotReportedOutsideTheRecordPath() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class Enrich
            {
                private readonly string _table;

                // Runs once per task, when the task is created, not per record.
                public Enrich() => _table = File.ReadAllTextAsync("table.txt").Result;

                public void Process(string key, string value)
                {
                    // Non-blocking probes are fine: a zero timeout returns at once.
                    var done = Task.CompletedTask.IsCompleted && new SemaphoreSlim(1).Wait(0) && new ManualResetEvent(true).WaitOne(0);
                    Out(_table + value + done);
                }

                [To("out")] private partial void Out(string value);

                // Not a node: nested helper types are not scanned.
                private static class Helper
                {
                    public static void Sleep() => Thread.Sleep(1);
                }
            }
        }

        // Not a processor of a topology.
        public class Worker
        {
            public void Run() => Thread.Sleep(1);
        }
        """);

    [Fact]
    public Task SuppressedWithPragma() => AnalyzerVerifier.VerifyNoDiagnosticsAsync("""
        using Streams.Generated;

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class Throttle
            {
                public void Process(string key, string value)
                {
        #pragma warning disable SG0014 // A deliberate throttle for a rate-limited sink.
                    Thread.Sleep(1);
        #pragma warning restore SG0014
                    Out(value);
                }

                [To("out")] private partial void Out(string value);
            }
        }
        """);
}
