using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Streams.Generated.Generator;

namespace Streams.Generated.Generator.Tests.Infrastructure;

/// <summary>
/// Compiles test sources with <see cref="TopologyGenerator"/> the way an SDK project referencing Streams.Generated
/// would (nullable enabled, implicit usings, latest language version), and optionally runs the result.
/// </summary>
public static class CSharpGeneratorRunner
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilationOptions CompilationOptions { get; } =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
            // As the repository builds: a warning in generated code would break a user's build.
            generalDiagnosticOption: ReportDiagnostic.Error);

    /// <summary>The running framework's assemblies and the Streams.Generated runtime.</summary>
    public static ImmutableArray<MetadataReference> References { get; } = LoadReferences();

    /// <summary>What <c>ImplicitUsings</c> adds in an SDK project.</summary>
    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        var trees = new List<SyntaxTree>();
        for (var i = 0; i < sources.Length; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(sources[i], ParseOptions, $"Source{i}.cs"));
        }

        trees.Add(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "GlobalUsings.g.cs"));
        return CSharpCompilation.Create("GeneratorTest_" + Guid.NewGuid().ToString("N"), trees, References, CompilationOptions);
    }

    public static CSharpGeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new TopologyGenerator().AsSourceGenerator(), new AvroRecordGenerator().AsSourceGenerator(), new JsonRecordGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator over <paramref name="sources"/>.</summary>
    public static GeneratorResult Generate(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        return new GeneratorResult((CSharpCompilation)output, generatorDiagnostics, run);
    }

    /// <summary>
    /// Runs the generator and asserts that the generator reported nothing, threw nothing, and that the whole compilation
    /// (user code plus generated code) has no error (warnings count as errors, as in this repository).
    /// </summary>
    public static GeneratorResult GenerateAndAssertCompiles(params string[] sources)
    {
        var result = Generate(sources);
        result.AssertNoGeneratorFailure();
        var errors = result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0,
            "Compilation errors:\n" + string.Join("\n", errors.Select(e => e.ToString())) + "\n\nGenerated:\n" + result.AllGeneratedText());
        return result;
    }

    /// <summary>Compiles with the generator, loads the assembly into a collectible context and returns it.</summary>
    public static LoadedAssembly CompileAndLoad(params string[] sources)
    {
        var result = GenerateAndAssertCompiles(sources);
        using var stream = new MemoryStream();
        var emit = result.Compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        return new LoadedAssembly(stream, result);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(TopologyAttribute).Assembly.Location));
        return [.. references];
    }
}

/// <summary>What one generator run produced.</summary>
public sealed class GeneratorResult(CSharpCompilation compilation, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult run)
{
    /// <summary>The input compilation plus the generated files.</summary>
    public CSharpCompilation Compilation { get; } = compilation;

    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; } = generatorDiagnostics;

    public GeneratorDriverRunResult Run { get; } = run;

    /// <summary>What every generator (topology, Avro) added.</summary>
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => [.. Run.Results.SelectMany(r => r.GeneratedSources)];

    public string AllGeneratedText() => string.Join("\n", GeneratedSources.Select(s => $"// ---- {s.HintName}\n{s.SourceText}"));

    public string GeneratedText(string hintName) =>
        GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>No exception in the generator (it would surface as a CS8784/CS8785 warning) and no diagnostic from it.</summary>
    public void AssertNoGeneratorFailure()
    {
        Assert.All(Run.Results, r => Assert.Null(r.Exception));
        Assert.Empty(GeneratorDiagnostics);
    }

    /// <summary>Errors located in generated files.</summary>
    public IReadOnlyList<Diagnostic> ErrorsInGeneratedFiles() =>
        Compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree
                && GeneratedSources.Any(s => s.SyntaxTree == tree))
            .ToList();
}

/// <summary>A compiled test assembly in a collectible <see cref="AssemblyLoadContext"/>; unloaded on dispose.</summary>
public sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    public LoadedAssembly(Stream image, GeneratorResult result)
    {
        _context = new TestLoadContext();
        Assembly = _context.LoadFromStream(image);
        Result = result;
    }

    public Assembly Assembly { get; }

    public GeneratorResult Result { get; }

    /// <summary>The generated <c>Definition</c> of the topology class <paramref name="typeName"/> (tests only use reflection).</summary>
    public Topology.TopologyDefinition Definition(string typeName)
    {
        var type = Assembly.GetType(typeName, throwOnError: true)!;
        var property = type.GetProperty("Definition", BindingFlags.Public | BindingFlags.Static)!;
        return (Topology.TopologyDefinition)property.GetValue(null)!;
    }

    /// <summary>The value of a public static field of <paramref name="typeName"/> (a sample's counter).</summary>
    public T StaticField<T>(string typeName, string field) =>
        (T)Assembly.GetType(typeName, throwOnError: true)!.GetField(field, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    public void Dispose() => _context.Unload();

    // Streams.Generated itself resolves from the default context, so its types are shared with the test.
    private sealed class TestLoadContext() : AssemblyLoadContext(isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }
}
