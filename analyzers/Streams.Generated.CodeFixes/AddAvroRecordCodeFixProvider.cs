using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Text;
using Streams.Generated.Analyzers;

namespace Streams.Generated.CodeFixes;

/// <summary>
/// SG0005 for a class, struct or record declared in source: marks that type <c>[AvroRecord]</c> and <c>partial</c>, so
/// that the generator writes its Avro serde (adding <c>using Streams.Generated;</c> to its file when the attribute is not
/// in scope there). The type may be declared in another document than the diagnostic.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddAvroRecordCodeFixProvider)), Shared]
public sealed class AddAvroRecordCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the "Mark [AvroRecord]" action (one key, so Fix All covers every SG0005 it can fix).</summary>
    public const string EquivalenceKey = "SG0005.AddAvroRecord";

    private const string AttributeMetadataName = "Streams.Generated.AvroRecordAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NoSerde.Id);

    /// <summary>
    /// Not the batch fixer: several diagnostics name the same type, and every fix in a file without the using adds the
    /// same using, which the batch fixer's text merge drops as conflicting. This one edits each type and file once.
    /// </summary>
    public override FixAllProvider GetFixAllProvider() => MarkAllProvider.Instance;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(context.Document.Project.Solution, diagnostic) is { } target
                && diagnostic.Properties.TryGetValue(DiagnosticDescriptors.AvroCandidateProperty, out var typeName))
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Mark '{typeName}' [AvroRecord] partial",
                        cancellationToken => MarkAsync(context.Document.Project.Solution, [target], cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The document and identifier span of the type to mark; null when the diagnostic is not about such a type.</summary>
    private static (DocumentId Document, TextSpan Identifier)? Target(Solution solution, Diagnostic diagnostic)
    {
        // Not a type of the user's own (TimeSpan, an array, a generic class...): no mechanical fix.
        if (!diagnostic.Properties.ContainsKey(DiagnosticDescriptors.AvroCandidateProperty)
            || diagnostic.AdditionalLocations.Count == 0
            || diagnostic.AdditionalLocations[0] is not { SourceTree: { } tree } location
            || solution.GetDocumentId(tree) is not { } document)
        {
            return null;
        }

        return (document, location.SourceSpan);
    }

    private static async Task<Solution> MarkAsync(Solution solution, IEnumerable<(DocumentId Document, TextSpan Identifier)> targets,
        CancellationToken cancellationToken)
    {
        var byDocument = new Dictionary<DocumentId, HashSet<TextSpan>>();
        foreach (var (document, identifier) in targets)
        {
            if (!byDocument.TryGetValue(document, out var spans))
            {
                byDocument.Add(document, spans = []);
            }

            spans.Add(identifier);
        }

        foreach (var pair in byDocument)
        {
            if (solution.GetDocument(pair.Key) is not { } document)
            {
                continue;
            }

            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            var root = editor.OriginalRoot;
            var marked = false;
            foreach (var span in pair.Value)
            {
                var token = root.FindToken(span.Start);
                if (token.Parent is TypeDeclarationSyntax declaration && declaration.Identifier == token)
                {
                    editor.ReplaceNode(declaration, (node, generator) =>
                        MakePartialCodeFixProvider.WithPartial(generator, generator.AddAttributes(node, generator.Attribute("AvroRecord")), addStatic: false));
                    marked = true;
                }
            }

            if (marked && !AttributeInScope(editor.SemanticModel, root) && root is CompilationUnitSyntax compilationUnit)
            {
                editor.ReplaceNode(compilationUnit, (node, generator) =>
                    generator.AddNamespaceImports(node, generator.NamespaceImportDeclaration("Streams.Generated")));
            }

            solution = editor.GetChangedDocument().Project.Solution;
        }

        return solution;
    }

    /// <summary>True if <c>[AvroRecord]</c> binds to Streams.Generated's attribute in this file (a using, a global using, the namespace).</summary>
    private static bool AttributeInScope(SemanticModel semanticModel, SyntaxNode root)
    {
        var attributeType = semanticModel.Compilation.GetTypeByMetadataName(AttributeMetadataName);
        var position = root is CompilationUnitSyntax { Members.Count: > 0 } unit ? unit.Members[0].SpanStart : root.SpanStart;
        foreach (var symbol in semanticModel.LookupNamespacesAndTypes(position, name: "AvroRecordAttribute"))
        {
            if (SymbolEqualityComparer.Default.Equals(symbol, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class MarkAllProvider : FixAllProvider
    {
        public static readonly MarkAllProvider Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            [FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution];

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != EquivalenceKey)
            {
                return null;
            }

            var diagnostics = new List<Diagnostic>();
            switch (fixAllContext.Scope)
            {
                case FixAllScope.Document when fixAllContext.Document is { } document:
                    diagnostics.AddRange(await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false));
                    break;
                case FixAllScope.Project:
                    diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(fixAllContext.Project).ConfigureAwait(false));
                    break;
                case FixAllScope.Solution:
                    foreach (var project in fixAllContext.Solution.Projects)
                    {
                        diagnostics.AddRange(await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                    }

                    break;
            }

            var solution = fixAllContext.Solution;
            var targets = new List<(DocumentId, TextSpan)>();
            foreach (var diagnostic in diagnostics)
            {
                if (Target(solution, diagnostic) is { } target)
                {
                    targets.Add(target);
                }
            }

            return targets.Count == 0
                ? null
                : CodeAction.Create("Mark types [AvroRecord] partial", cancellationToken => MarkAsync(solution, targets, cancellationToken), EquivalenceKey);
        }
    }
}
