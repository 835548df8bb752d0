using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Streams.Generated.Analyzers.Tests.Infrastructure;

/// <summary>Compiles test sources the way an SDK project with the Streams.Generated package would (minus the generator).</summary>
public static class TestCompilation
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilationOptions CompilationOptions { get; } =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

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

    /// <summary>
    /// Errors the compiler reports for valid topologies because the generator is not part of these tests: the
    /// generator implements output methods (CS8795) and, without it, a partial method in a non-partial class is CS0751.
    /// </summary>
    public static readonly ImmutableHashSet<string> ExpectedCompilerErrors = ImmutableHashSet.Create("CS8795", "CS0751");

    public static CSharpCompilation Create(string source, string path = "Test0.cs") =>
        CSharpCompilation.Create(
            "TestAssembly",
            [
                CSharpSyntaxTree.ParseText(source, ParseOptions, path),
                CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "GlobalUsings.g.cs"),
            ],
            References,
            CompilationOptions);

    /// <summary>Every analyzer of the package.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = [new TopologyAnalyzer(), new RecordSerdeAnalyzer(), new ProcessorCodeAnalyzer()];

    /// <summary>Runs every analyzer of the package and returns their diagnostics, ordered by position.</summary>
    public static async Task<ImmutableArray<Diagnostic>> GetAnalyzerDiagnosticsAsync(Compilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            Analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null,
                concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();

        // An analyzer crash surfaces as AD0001; never let it pass as "no diagnostics".
        var all = await withAnalyzers.GetAllDiagnosticsAsync();
        var crash = all.FirstOrDefault(d => d.Id == "AD0001");
        if (crash is not null)
        {
            throw new InvalidOperationException("The analyzer threw: " + crash.GetMessage());
        }

        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(TopologyAttribute).Assembly.Location));
        return [.. references];
    }
}
