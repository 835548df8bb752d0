using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Streams.Generated.Shared;

namespace Streams.Generated.Analyzers;

/// <summary>SG0018: the <c>[Punctuate]</c> methods of a topology's nodes, with the rules the generator compiles.</summary>
internal sealed partial class TopologyAnalysis
{
    private void CheckPunctuators(NodeModel node)
    {
        foreach (var member in node.Symbol.GetMembers())
        {
            if (member is IMethodSymbol method && known.FindPunctuate(method) is { } attribute)
            {
                CheckPunctuator(method, attribute, isOutput: known.Find(method, known.To) is not null);
            }
        }
    }

    private void CheckPunctuator(IMethodSymbol method, AttributeData attribute, bool isOutput)
    {
        var identifier = SyntaxLocations.MethodIdentifier(method, CancellationToken);
        if (PunctuationRules.CheckMethod(method, isOutput) is { } problem)
        {
            Report(DiagnosticDescriptors.InvalidPunctuator, identifier, method.Name, problem);
        }

        // Missing or non-constant arguments are compiler errors already.
        if (attribute.ConstructorArguments.Length != 2)
        {
            return;
        }

        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken) as AttributeSyntax;
        var interval = attribute.ConstructorArguments[0];
        if (interval.Kind != TypedConstantKind.Error && PunctuationRules.ParseInterval(interval.Value as string, out _) is { } intervalProblem)
        {
            var location = SyntaxLocations.ConstructorArgument(syntax, 0, "interval")?.GetLocation() ?? identifier;
            Report(DiagnosticDescriptors.InvalidPunctuator, location, method.Name, intervalProblem);
        }

        var type = attribute.ConstructorArguments[1];
        if (type.Kind != TypedConstantKind.Error && !PunctuationRules.IsDefinedType(type.Value, out _))
        {
            var location = SyntaxLocations.ConstructorArgument(syntax, 1, "type")?.GetLocation() ?? identifier;
            Report(DiagnosticDescriptors.InvalidPunctuator, location, method.Name,
                $"has type (PunctuationType){type.Value}, which is neither PunctuationType.StreamTime nor PunctuationType.WallClockTime; choose one");
        }
    }

    /// <summary>SG0018 on every <c>[Punctuate]</c> method of <paramref name="type"/>, a class no task calls punctuators of.</summary>
    /// <param name="why">What follows "Punctuator 'M' is in 'T', ", saying why and what to do.</param>
    public static void ReportMisplacedPunctuators(SymbolAnalysisContext context, KnownSymbols known, INamedTypeSymbol type, string why)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method && known.FindPunctuate(method) is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidPunctuator,
                    SyntaxLocations.MethodIdentifier(method, context.CancellationToken), method.Name, $"is in '{type.Name}', {why}"));
            }
        }
    }
}
