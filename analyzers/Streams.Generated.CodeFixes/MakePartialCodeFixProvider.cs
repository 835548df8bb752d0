using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Streams.Generated.Analyzers;

namespace Streams.Generated.CodeFixes;

/// <summary>
/// SG0001: adds <c>partial</c> to a node class (and <c>static</c> to a topology class, dropping <c>sealed</c>/<c>abstract</c>,
/// which a static class cannot have).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the "Make partial" action (one key, so Fix All covers every SG0001).</summary>
    public const string EquivalenceKey = "SG0001.MakePartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NotPartial.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            if (token.Parent is not TypeDeclarationSyntax declaration || declaration.Identifier != token)
            {
                continue;
            }

            var addStatic = diagnostic.Properties.ContainsKey(DiagnosticDescriptors.AddStaticProperty);
            var title = addStatic ? "Make static partial" : "Make partial";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => FixAsync(context.Document, declaration, addStatic, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, TypeDeclarationSyntax declaration, bool addStatic, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var modifiers = generator.GetModifiers(declaration).WithPartial(true);
        if (addStatic)
        {
            modifiers = modifiers.WithIsStatic(true).WithIsSealed(false).WithIsAbstract(false);
        }

        editor.ReplaceNode(declaration, (node, g) => g.WithModifiers(node, modifiers));
        return editor.GetChangedDocument();
    }
}
