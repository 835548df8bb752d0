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
/// Adds <c>partial</c> to a type declaration. SG0001: a node class, or a class around a topology (and <c>static</c> to a
/// topology class, dropping <c>sealed</c>/<c>abstract</c>, which a static class cannot have). SG0012: an
/// <c>[AvroRecord]</c> type, or a type around one, that is only missing <c>partial</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the SG0001 "Make partial" action (one key, so Fix All covers every SG0001).</summary>
    public const string EquivalenceKey = "SG0001.MakePartial";

    /// <summary>Equivalence key of the SG0012 "Make partial" action.</summary>
    public const string AvroEquivalenceKey = "SG0012.MakePartial";

    /// <summary>Equivalence key of the SG0016 "Make partial" action.</summary>
    public const string JsonEquivalenceKey = "SG0016.MakePartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NotPartial.Id, DiagnosticDescriptors.AvroUnsupported.Id, DiagnosticDescriptors.JsonUnsupported.Id);

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
            var isRecord = diagnostic.Id != DiagnosticDescriptors.NotPartial.Id;
            if (isRecord && !diagnostic.Properties.ContainsKey(DiagnosticDescriptors.MakePartialProperty))
            {
                continue; // SG0012/SG0016 also explain member types and names, which no mechanical fix solves
            }

            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            if (token.Parent is not TypeDeclarationSyntax declaration || declaration.Identifier != token)
            {
                continue;
            }

            var addStatic = !isRecord && diagnostic.Properties.ContainsKey(DiagnosticDescriptors.AddStaticProperty);
            var title = addStatic ? "Make static partial" : "Make partial";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => FixAsync(context.Document, declaration, addStatic, cancellationToken),
                    diagnostic.Id == DiagnosticDescriptors.AvroUnsupported.Id ? AvroEquivalenceKey
                    : diagnostic.Id == DiagnosticDescriptors.JsonUnsupported.Id ? JsonEquivalenceKey
                    : EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// <paramref name="declaration"/> with <c>partial</c> (and with <paramref name="addStatic"/>, <c>static</c> and
    /// without <c>sealed</c>/<c>abstract</c>); every fix that makes a type partial goes through here.
    /// </summary>
    internal static SyntaxNode WithPartial(SyntaxGenerator generator, SyntaxNode declaration, bool addStatic)
    {
        var modifiers = generator.GetModifiers(declaration).WithPartial(true);
        if (addStatic)
        {
            modifiers = modifiers.WithIsStatic(true).WithIsSealed(false).WithIsAbstract(false);
        }

        return generator.WithModifiers(declaration, modifiers);
    }

    private static async Task<Document> FixAsync(Document document, TypeDeclarationSyntax declaration, bool addStatic, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(declaration, (node, generator) => WithPartial(generator, node, addStatic));
        return editor.GetChangedDocument();
    }
}
