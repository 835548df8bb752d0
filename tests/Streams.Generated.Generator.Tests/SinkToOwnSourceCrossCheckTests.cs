using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Streams.Generated.Generator.Tests.Infrastructure;

namespace Streams.Generated.Generator.Tests;

/// <summary>
/// SG0013 cuts sub-topologies as the analyzer sees them; the generator's planner cuts them for the tasks it emits. The
/// two must agree: for each topology the topics SG0013 reports are exactly the user topics that one generated
/// sub-topology both reads and writes.
/// </summary>
public class SinkToOwnSourceCrossCheckTests
{
    public static TheoryData<string, string> Topologies => new()
    {
        { "self loop", Topology("""
            [Processor(From = "jobs")]
            public partial class Run
            {
                public void Process(string job, int attempt) { if (attempt < 3) Retry(job, attempt + 1); }
                [To("jobs")] private partial void Retry(string key, int value);
            }
            """) },
        { "downstream writes the source", Topology("""
            [Processor(From = "in")]
            public partial class Parse
            {
                public void Process(string key, string value) => Parsed(value);
                [To(nameof(Enrich))] private partial void Parsed(string value);
            }
            [Processor(From = nameof(Parse))]
            public partial class Enrich
            {
                public void Process(string key, string value) => Out(value);
                [To("in")] private partial void Out(string value);
            }
            """) },
        { "count writes what it reads", Topology("""
            [Count(From = "clicks", Store = "raw", To = "clicks")]
            public partial class CountsItself;
            """) },
        { "readers of one topic share a sub-topology", Topology("""
            [Processor(From = "a")]
            public partial class A
            {
                public void Process(string key, string value) => Out(value);
                [To("b")] private partial void Out(string value);
            }
            [Processor(From = "b")]
            public partial class B
            {
                public void Process(string key, string value) => Out(value);
                [To(nameof(Merge))] private partial void Out(string value);
            }
            [Processor(From = "a")]
            public partial class AlsoA
            {
                public void Process(string key, string value) => Out(value);
                [To(nameof(Merge))] private partial void Out(string value);
            }
            [Processor(From = nameof(B))]
            public partial class Merge { public void Process(string key, string value) { } }
            """) },
        { "loop through another sub-topology", Topology("""
            [Processor(From = "jobs")]
            public partial class Run
            {
                public void Process(string job, int attempt) { if (attempt < 3) Retry(job, attempt + 1); }
                [To("job-retries")] private partial void Retry(string key, int value);
            }
            [Processor(From = "job-retries")]
            public partial class Requeue
            {
                public void Process(string job, int attempt) => Again(job, attempt);
                [To("jobs")] private partial void Again(string key, int value);
            }
            """) },
        { "count behind a repartition topic", Topology("""
            [Processor(From = "in")]
            public partial class Rekey
            {
                public void Process(string value) => Out(value, value);
                [To(nameof(Counts))] private partial void Out(string key, string value);
            }
            [Count(From = nameof(Rekey), Store = "counts", To = "in")]
            public partial class Counts;
            """) },
    };

    private static string Topology(string nodes) => $$"""
        using Streams.Generated;

        namespace Samples;

        [Topology("loops")]
        public static partial class Loops
        {
            {{nodes}}
        }
        """;

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task The_analyzer_reports_exactly_the_topics_a_generated_subtopology_reads_and_writes(string what, string source)
    {
        using var loaded = CSharpGeneratorRunner.CompileAndLoad(source);
        var generated = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var subtopology in loaded.Definition("Samples.Loops").Subtopologies)
        {
            foreach (var sink in subtopology.Sinks)
            {
                if (!sink.IsInternal && subtopology.Sources.Contains(sink))
                {
                    generated.Add(sink.Name);
                }
            }
        }

        var diagnostics = await loaded.Result.Compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Analyzers.TopologyAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var reported = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics)
        {
            Assert.Equal("SG0013", diagnostic.Id);
            reported.Add(diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan).Trim('"'));
        }

        Assert.True(generated.SetEquals(reported),
            $"{what}: the generator's sub-topologies read and write [{string.Join(", ", generated)}], SG0013 reports [{string.Join(", ", reported)}]");
    }

    [Fact]
    public void The_catalog_has_loops_and_non_loops()
    {
        // Guards the theory above against passing on empty sets only.
        var loops = 0;
        foreach (var row in Topologies)
        {
            using var loaded = CSharpGeneratorRunner.CompileAndLoad((string)row[1]);
            foreach (var subtopology in loaded.Definition("Samples.Loops").Subtopologies)
            {
                loops += subtopology.Sinks.Count(sink => !sink.IsInternal && subtopology.Sources.Contains(sink));
            }
        }

        Assert.Equal(4, loops);
    }
}
