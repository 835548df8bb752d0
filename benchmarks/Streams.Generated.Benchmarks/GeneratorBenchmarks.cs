using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Streams.Generated.Generator;

namespace Streams.Generated.Benchmarks;

/// <summary>
/// Time and allocations of <see cref="TopologyGenerator"/> over a 51-node topology (<see cref="LargeTopology"/>): 50
/// processors in a chain, every tenth also branching to a topic of its own, and a count at the end.
/// <list type="bullet">
/// <item><c>Generate_FullRun</c>: a new driver over a new compilation (fresh symbols), as a command-line build runs it:
/// find the attribute, parse symbols into the model, plan sub-topologies, emit the source.</item>
/// <item><c>Generate_AfterUnrelatedEdit</c>: the driver that already ran, over the compilation with one unrelated file
/// added, as the IDE runs it after a keystroke: the parse runs again, the model compares equal, nothing is re-emitted.</item>
/// <item><c>Compile_TopologyWithGeneratedCode</c>: for scale, what the C# compiler itself spends binding and checking the
/// same user code plus the generated file (<c>GetDiagnostics</c>, no emit, no generator).</item>
/// </list>
/// Each invocation clones its compilation so that no symbol bound by an earlier invocation is reused; the clone is lazy,
/// so the binding the generator triggers is part of what is measured.
/// The job is fixed: the default one sizes its iterations from the first, still unoptimized runs of Roslyn's code (tiered
/// JIT), which gave short iterations and a wide spread; 15 warm-up and 30 measured iterations of 16 runs each settle it.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 15, iterationCount: 30, invocationCount: 16)]
public class GeneratorBenchmarks
{
    public const int Processors = 50;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private Compilation _withGeneratedCode = null!;
    private GeneratorDriver _driverAfterFirstRun = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = CSharpCompilation.Create("GeneratorBenchmark",
            [CSharpSyntaxTree.ParseText(LargeTopology.Source(Processors), ParseOptions, "LargeTopology.cs"),
             CSharpSyntaxTree.ParseText(LargeTopology.GlobalUsings, ParseOptions, "GlobalUsings.cs")],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Other; public static class Unrelated { public static int One() => 1; }", ParseOptions, "Unrelated.cs"));
        _driverAfterFirstRun = NewDriver().RunGenerators(_compilation.Clone());

        // Measure a generator that did its work: one file, and user code plus generated code compile without an error.
        NewDriver().RunGeneratorsAndUpdateCompilation(_compilation.Clone(), out var output, out var diagnostics);
        _withGeneratedCode = output;
        var generated = _driverAfterFirstRun.GetRunResult().GeneratedTrees;
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (generated.Length != 1 || !diagnostics.IsEmpty || errors.Count != 0)
        {
            throw new InvalidOperationException(
                $"The generator did not build the {Processors}-processor topology: {generated.Length} files, "
                + string.Join("\n", diagnostics.Concat(errors)));
        }
    }

    [Benchmark]
    public int Generate_FullRun() =>
        NewDriver().RunGenerators(_compilation.Clone()).GetRunResult().GeneratedTrees.Length;

    [Benchmark]
    public int Generate_AfterUnrelatedEdit() =>
        _driverAfterFirstRun.RunGenerators(_edited.Clone()).GetRunResult().GeneratedTrees.Length;

    [Benchmark]
    public int Compile_TopologyWithGeneratedCode() => _withGeneratedCode.Clone().GetDiagnostics().Length;

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new TopologyGenerator().AsSourceGenerator()], parseOptions: ParseOptions);

    /// <summary>The running framework's assemblies and the Streams.Generated runtime, as a project referencing it has.</summary>
    private static ImmutableArray<MetadataReference> References()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(TopologyAttribute).Assembly.Location));
        return [.. references];
    }
}

/// <summary>Writes the source of the benchmarked topology.</summary>
public static class LargeTopology
{
    public const string GlobalUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.Linq;
        """;

    /// <summary>
    /// <c>P00</c> reads a topic; <c>P{i}</c> passes <c>value + i</c> to <c>P{i+1}</c> keeping the key; every tenth
    /// processor also sends even values to a topic <c>branch-{i}</c>; the last one feeds a count of long keys.
    /// </summary>
    public static string Source(int processors)
    {
        var source = new StringBuilder();
        source.AppendLine("using Streams.Generated;");
        source.AppendLine();
        source.AppendLine("namespace Benchmarks;");
        source.AppendLine();
        source.AppendLine("[Topology(\"large\")]");
        source.AppendLine("public static partial class Large");
        source.AppendLine("{");
        for (var i = 0; i < processors; i++)
        {
            var from = i == 0 ? "\"large-input\"" : $"nameof({Name(i - 1)})";
            var next = i == processors - 1 ? "Totals" : Name(i + 1);
            var branch = i % 10 == 0;
            source.AppendLine(CultureInfo.InvariantCulture, $$"""
                    [Processor(From = {{from}})]
                    public partial class {{Name(i)}}
                    {
                        public void Process(long key, long value)
                        {
                            Next(value + {{i}});
                            {{(branch ? "if ((value & 1) == 0) Branch(value);" : "")}}
                        }

                        [To(nameof({{next}}))] private partial void Next(long value);
                        {{(branch ? $"[To(\"branch-{i}\")] private partial void Branch(long value);" : "")}}
                    }

                """);
        }
        source.AppendLine("""
                [Count(From = nameof(P49), Store = "totals", To = "large-totals")]
                public partial class Totals;
            }
            """.Replace("P49", Name(processors - 1), StringComparison.Ordinal));
        return source.ToString();
    }

    private static string Name(int i) => "P" + i.ToString("00", CultureInfo.InvariantCulture);
}
