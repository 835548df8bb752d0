using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Streams.Generated.Generator;

/// <summary>
/// Generates the statically dispatched code of every <c>[Topology]</c> class: its <c>Definition</c>, one task class per
/// sub-topology, and the bodies of the nodes' output methods. Parse (symbols to an equatable model) is in
/// <c>TopologyGenerator.Parser.cs</c> and <c>TopologyGenerator.Planner.cs</c>, emit (model to text) in
/// <c>TopologyGenerator.Emitter.cs</c>. A topology the generator cannot build gets no code and no diagnostic from here:
/// the analyzers in <c>Streams.Generated.Analyzers</c> explain what is wrong.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class TopologyGenerator : IIncrementalGenerator
{
    /// <summary>The attribute that marks a topology class.</summary>
    public const string TopologyAttributeName = "Streams.Generated.TopologyAttribute";

    /// <summary>The version written into <c>[GeneratedCode]</c>.</summary>
    public static readonly string GeneratorVersion =
        typeof(TopologyGenerator).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    /// <summary>Names of the pipeline steps, for incrementality tests (<c>GeneratorDriverRunResult.TrackedSteps</c>).</summary>
    public static class TrackingNames
    {
        /// <summary>The model of every <c>[Topology]</c> class, or null where it cannot be built.</summary>
        public const string TopologySpecs = nameof(TopologySpecs);

        /// <summary>The models that can be built: one generated file each.</summary>
        public const string ValidTopologySpecs = nameof(ValidTopologySpecs);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var topologies = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TopologyAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.TopologySpecs)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ValidTopologySpecs);

        context.RegisterSourceOutput(topologies, static (context, spec) => Emitter.Emit(context, spec));
    }
}
