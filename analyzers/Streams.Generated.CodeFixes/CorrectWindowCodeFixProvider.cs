using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Streams.Generated.Analyzers;

namespace Streams.Generated.CodeFixes;

/// <summary>
/// SG0019 with one obvious correction, which the analyzer passes in a diagnostic property: a hopping window that
/// advances by more than its size becomes <c>"tumbling &lt;size&gt;"</c>, a negative grace loses its minus sign. The
/// other SG0019 cases (unparseable text, a zero size or advance, Grace or Emit.Final without a Window) need the user's
/// intent, so they get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CorrectWindowCodeFixProvider)), Shared]
public sealed class CorrectWindowCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the "Use ..." action (one key, so Fix All covers every correctable SG0019).</summary>
    public const string EquivalenceKey = "SG0019.CorrectWindow";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidWindow.Id);

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
            if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.CorrectedArgumentProperty, out var corrected)
                || corrected is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax argument
                || argument.Parent is not AttributeArgumentSyntax)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create($"Use \"{corrected}\"",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument, Literal(corrected).WithTriviaFrom(argument)))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static LiteralExpressionSyntax Literal(string text) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(text));
}
