using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Streams.Generated.IntegrationTests;

/// <summary>
/// Publishes the quickstart with Native AOT and runs the binary: the generated code and the runtime must be
/// trimming- and AOT-clean (invariant 1), and the native binary must do what <c>dotnet run</c> does.
/// </summary>
[Collection(SdkProcessesCollection.Name)]
public partial class QuickstartAotTests
{
    [Fact]
    public void Quickstart_publishes_with_native_aot_without_warnings_from_our_assemblies_and_runs()
    {
        var root = RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), "streams-generated-aot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var publish = Run("dotnet",
                $"publish \"{Path.Combine(root, "samples", "Quickstart")}\" -c Release -o \"{output}\" --disable-build-servers",
                TimeSpan.FromMinutes(10));
            Assert.True(publish.ExitCode == 0, "dotnet publish failed:\n" + publish.Output);

            // Confluent.Kafka's own warnings are collapsed into one warning naming it; anything else is ours.
            var ours = TrimOrAotWarning().Matches(publish.Output).Select(m => m.Value)
                .Where(w => !w.Contains("Confluent.Kafka", StringComparison.Ordinal)).Distinct().ToList();
            Assert.True(ours.Count == 0, "Trim/AOT warnings from our assemblies:\n" + string.Join("\n", ours));

            var run = Run(Path.Combine(output, "Quickstart"), "", TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, "The native quickstart failed:\n" + run.Output);
            Assert.Matches(@"kafka\s+3", run.Output);
            Assert.Contains("Sub-topology: 1", run.Output);

            // An unreachable cluster fails within seconds, with one clear line, never a hang.
            var clock = Stopwatch.StartNew();
            var unreachable = Run(Path.Combine(output, "Quickstart"), "--bootstrap-servers 127.0.0.1:1", TimeSpan.FromMinutes(1));
            Assert.Equal(1, unreachable.ExitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
            Assert.Contains("Cannot reach the Kafka cluster at 127.0.0.1:1", unreachable.Output);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [GeneratedRegex(@"warning IL\d{4}:[^\r\n]*")]
    private static partial Regex TrimOrAotWarning();

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Streams.Generated.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Streams.Generated.sln not found above " + AppContext.BaseDirectory);
    }

    internal static (int ExitCode, string Output) Run(string fileName, string arguments, TimeSpan timeout)
    {
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo(fileName, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"Timed out after {timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}
