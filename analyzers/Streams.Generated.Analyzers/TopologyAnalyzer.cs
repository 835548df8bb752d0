using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Streams.Generated.Analyzers;

/// <summary>
/// Reports every topology error that is known at compile time (SG0001-SG0011, SG0018-SG0020), and a sink that feeds its own
/// sub-topology (SG0013, a warning). The source generator skips a topology it cannot build and stays silent; this
/// analyzer says why.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TopologyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.Topology;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.Create(start.Compilation);
            if (known is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, known), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (known.Find(type, known.Topology) is { } topologyAttribute)
        {
            // The whole topology (its nodes and their connections) is checked in one pass from the topology class.
            new TopologyAnalysis(context, known, type, topologyAttribute).Run();
            return;
        }

        var insideTopology = type.ContainingType is { } container && known.Find(container, known.Topology) is not null;
        var nodeAttribute = known.FindNodeAttribute(type, out var kind, out _);
        if (nodeAttribute is not null && !insideTopology)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NodeOutsideTopology,
                SyntaxLocations.TypeIdentifier(type, nodeAttribute, context.CancellationToken), type.Name, kind.ToString()));
        }

        // Outputs and punctuators of a node are checked by the topology pass, or are moot while SG0007 stands; in any
        // other class a [To] or a [Punctuate] is misplaced.
        if (nodeAttribute is not null)
        {
            return;
        }

        TopologyAnalysis.ReportMisplacedPunctuators(context, known, type,
            "which is not a [Processor] class of a topology, so no task calls it; move it into a processor");

        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method && known.Find(method, known.To) is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidOutput,
                    SyntaxLocations.MethodIdentifier(method, context.CancellationToken), method.Name,
                    $"'{type.Name}' is not a [Processor] class of a topology"));
            }
        }
    }
}
