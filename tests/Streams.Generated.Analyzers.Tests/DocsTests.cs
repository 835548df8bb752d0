using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Streams.Generated.Analyzers.Tests.Infrastructure;

namespace Streams.Generated.Analyzers.Tests;

/// <summary>
/// Every descriptor has its release-tracking line and its docs page, and each page's examples behave as the page says:
/// the invalid one reports the page's id (and no other), the valid one reports nothing.
/// </summary>
public class DocsTests
{
    public static TheoryData<string> Ids { get; } = [.. DiagnosticDescriptors.All.Select(d => d.Id)];

    [Fact]
    public void IdsAreUniqueAndInOrder()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        // Every id is reported by exactly one analyzer of the package.
        Assert.Equal(ids, TestCompilation.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DescriptorHasHelpLinkAndReleaseEntry(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        Assert.Equal($"https://github.com/streams-generated/streams-generated/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.True(descriptor.IsEnabledByDefault);

        var releases = File.ReadAllText(Path.Combine(RepositoryRoot, "analyzers", "Streams.Generated.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {DiagnosticDescriptors.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}", releases, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DocsPageAndCatalogStateTheSeverity(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        var page = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "diagnostics", id + ".md"));
        Assert.Contains($"\nSeverity: {descriptor.DefaultSeverity} · Category: {DiagnosticDescriptors.Category}",
            page.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);

        var catalog = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "diagnostics", "README.md"));
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title} |", catalog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task DocsPageExamplesBehaveAsDocumented(string id)
    {
        var descriptor = DiagnosticDescriptors.All.Single(d => d.Id == id);
        var path = Path.Combine(RepositoryRoot, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(path), $"Missing docs page {path}.");
        var page = File.ReadAllText(path);
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);

        var invalid = await AnalyzeAsync(Example(page, "Invalid"), id);
        Assert.NotEmpty(invalid);
        Assert.All(invalid, d => Assert.Equal(id, d.Id));

        var valid = await AnalyzeAsync(Example(page, "Valid"), id);
        Assert.Empty(valid);
    }

    private static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(string source, string id)
    {
        var compilation = TestCompilation.Create(source);
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !TestCompilation.ExpectedCompilerErrors.Contains(d.Id))
            .ToList();
        Assert.True(errors.Count == 0, $"An example of {id} does not compile:\n" + string.Join("\n", errors));
        return await TestCompilation.GetAnalyzerDiagnosticsAsync(compilation);
    }

    /// <summary>The first csharp code block after the heading <c>## {heading}</c>.</summary>
    private static string Example(string page, string heading)
    {
        var match = Regex.Match(page, $@"^## {heading}\s*\n+```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"No '## {heading}' section with a csharp block.");
        return match.Groups["code"].Value;
    }

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Streams.Generated.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Streams.Generated.sln not found above " + AppContext.BaseDirectory);
    }
}
