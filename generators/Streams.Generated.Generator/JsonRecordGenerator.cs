using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Streams.Generated.Generator;

/// <summary>
/// Generates the JSON encoding of every <c>[JsonRecord]</c> type: the <c>WriteJson</c>/<c>ReadJson</c> methods of
/// <c>IJsonRecord&lt;T&gt;</c>, which <c>JsonSerde&lt;T&gt;</c> calls, compatible with System.Text.Json's defaults.
/// Parse in <c>JsonRecordGenerator.Parser.cs</c>, emit in <c>JsonRecordGenerator.Emitter.cs</c>. A type it cannot
/// encode gets no code; the analyzers explain.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class JsonRecordGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>The model of every <c>[JsonRecord]</c> type, or null where it cannot be encoded.</summary>
        public const string JsonRecordSpecs = nameof(JsonRecordSpecs);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var records = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Shared.RecordTypeRules.JsonRecordAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.JsonRecordSpecs)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!);

        context.RegisterSourceOutput(records, static (context, spec) => Emitter.Emit(context, spec));
    }
}
