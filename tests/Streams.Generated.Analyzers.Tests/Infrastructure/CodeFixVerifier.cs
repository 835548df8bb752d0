using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Streams.Generated.Analyzers.Tests.Infrastructure;

/// <summary>
/// Applies a code fix through an <see cref="AdhocWorkspace"/> and compares the result with the expected source:
/// one diagnostic at a time until none is left (what a user clicking each light bulb gets), or all at once through
/// the provider's Fix All.
/// </summary>
public static class CodeFixVerifier
{
    /// <summary>
    /// Checks the markers of <paramref name="markedBefore"/>, fixes every diagnostic the provider can fix, and expects
    /// <paramref name="after"/>, which must itself produce no diagnostics of those ids.
    /// </summary>
    public static async Task VerifyAsync(CodeFixProvider provider, string markedBefore, string after)
    {
        await AnalyzerVerifier.VerifyAsync(markedBefore);
        var before = MarkedSource.Parse(markedBefore).Source;

        Assert.Equal(Normalize(after), Normalize(await FixOneByOneAsync(provider, before)));
        Assert.Equal(Normalize(after), Normalize(await FixAllAsync(provider, before)));
        await AnalyzerVerifier.VerifyAsync(after);
    }

    /// <summary>
    /// Checks the markers of <paramref name="markedSource"/>, which must produce diagnostics of an id the provider fixes,
    /// and that the provider offers no action for any of them (no mechanical fix exists).
    /// </summary>
    public static async Task VerifyNoFixAsync(CodeFixProvider provider, string markedSource)
    {
        await AnalyzerVerifier.VerifyAsync(markedSource);
        using var workspace = new AdhocWorkspace();
        var document = CreateDocument(workspace, MarkedSource.Parse(markedSource).Source);
        var diagnostics = await GetFixableDiagnosticsAsync(provider, document);
        Assert.NotEmpty(diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            var actions = new List<CodeAction>();
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
            Assert.True(actions.Count == 0, $"Expected no code action for {diagnostic}, got '{string.Join("', '", actions.Select(a => a.Title))}'.");
        }
    }

    private static async Task<string> FixOneByOneAsync(CodeFixProvider provider, string source)
    {
        using var workspace = new AdhocWorkspace();
        var document = CreateDocument(workspace, source);
        for (var iteration = 0; ; iteration++)
        {
            var diagnostics = await GetFixableDiagnosticsAsync(provider, document);
            if (diagnostics.IsEmpty)
            {
                break;
            }

            Assert.True(iteration < 20, "The code fix did not converge.");
            var actions = new List<CodeAction>();
            var context = new CodeFixContext(document, diagnostics[0], (action, _) => actions.Add(action), CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
            Assert.True(actions.Count == 1, $"Expected one code action for {diagnostics[0]}, got {actions.Count}.");

            document = await ApplyAsync(actions[0], document);
        }

        return (await document.GetTextAsync()).ToString();
    }

    private static async Task<string> FixAllAsync(CodeFixProvider provider, string source)
    {
        using var workspace = new AdhocWorkspace();
        var document = CreateDocument(workspace, source);
        var diagnostics = await GetFixableDiagnosticsAsync(provider, document);
        if (diagnostics.IsEmpty)
        {
            return source;
        }

        var fixAll = provider.GetFixAllProvider();
        Assert.NotNull(fixAll);
        var equivalenceKey = await GetEquivalenceKeyAsync(provider, document, diagnostics[0]);
        var context = new FixAllContext(document, provider, FixAllScope.Document, equivalenceKey, provider.FixableDiagnosticIds,
            new FixedDiagnosticProvider(diagnostics), CancellationToken.None);
        var action = await fixAll.GetFixAsync(context);
        Assert.NotNull(action);
        document = await ApplyAsync(action, document);
        return (await document.GetTextAsync()).ToString();
    }

    private static async Task<string?> GetEquivalenceKeyAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        string? key = null;
        var context = new CodeFixContext(document, diagnostic, (action, _) => key ??= action.EquivalenceKey, CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return key;
    }

    private static async Task<Document> ApplyAsync(CodeAction action, Document document)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var apply = operations.OfType<ApplyChangesOperation>().Single();
        return apply.ChangedSolution.GetDocument(document.Id)!;
    }

    /// <summary>
    /// For a fix that edits another file: <paramref name="source"/> (Test0.cs) has the diagnostics, <paramref name="other"/>
    /// (Other.cs) the code the fix changes. Applies the fixes one at a time and through Fix All, and compares both files.
    /// </summary>
    public static async Task VerifyInOtherDocumentAsync(CodeFixProvider provider, string source, string other, string expectedSource,
        string expectedOther)
    {
        foreach (var fixAll in new[] { false, true })
        {
            using var workspace = new AdhocWorkspace();
            var document = CreateDocument(workspace, source, other);
            var diagnostics = await GetFixableDiagnosticsAsync(provider, document);
            Assert.NotEmpty(diagnostics);
            for (var iteration = 0; !diagnostics.IsEmpty; iteration++)
            {
                Assert.True(iteration < 20, "The code fix did not converge.");
                CodeAction? action;
                if (fixAll)
                {
                    var context = new FixAllContext(document, provider, FixAllScope.Document,
                        await GetEquivalenceKeyAsync(provider, document, diagnostics[0]), provider.FixableDiagnosticIds,
                        new FixedDiagnosticProvider(diagnostics), CancellationToken.None);
                    action = await provider.GetFixAllProvider()!.GetFixAsync(context);
                }
                else
                {
                    var actions = new List<CodeAction>();
                    await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (a, _) => actions.Add(a), CancellationToken.None));
                    action = Assert.Single(actions);
                }

                Assert.NotNull(action);
                var operations = await action.GetOperationsAsync(CancellationToken.None);
                document = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
                diagnostics = await GetFixableDiagnosticsAsync(provider, document);
            }

            Assert.Equal(Normalize(expectedSource), Normalize((await document.GetTextAsync()).ToString()));
            var otherDocument = document.Project.Documents.Single(d => d.Name == "Other.cs");
            Assert.Equal(Normalize(expectedOther), Normalize((await otherDocument.GetTextAsync()).ToString()));
        }
    }

    private static Document CreateDocument(AdhocWorkspace workspace, string source, string? other = null)
    {
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "TestProject", "TestAssembly", LanguageNames.CSharp,
                compilationOptions: TestCompilation.CompilationOptions, parseOptions: TestCompilation.ParseOptions,
                metadataReferences: TestCompilation.References))
            .AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.g.cs", SourceText.From(TestCompilation.ImplicitUsings));
        if (other is not null)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), "Other.cs", SourceText.From(other));
        }

        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Test0.cs", SourceText.From(source));
        return solution.GetDocument(documentId)!;
    }

    private static async Task<ImmutableArray<Diagnostic>> GetFixableDiagnosticsAsync(CodeFixProvider provider, Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = await TestCompilation.GetAnalyzerDiagnosticsAsync(compilation);
        return [.. diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id))];
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private sealed class FixedDiagnosticProvider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
