using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Streams.Generated.Generator;

/// <summary>
/// Generates the Avro binary encoding of every <c>[AvroRecord]</c> type: its schema as a constant and the
/// <c>WriteAvro</c>/<c>ReadAvro</c> methods of <c>IAvroRecord&lt;T&gt;</c>, which <c>AvroSerde&lt;T&gt;</c> calls.
/// Parse (symbols to an equatable model, schema included) is in <c>AvroRecordGenerator.Parser.cs</c>, emit in
/// <c>AvroRecordGenerator.Emitter.cs</c>. A type it cannot encode gets no code; the analyzers explain.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class AvroRecordGenerator : IIncrementalGenerator
{
    /// <summary>The attribute that marks a record type.</summary>
    public const string AvroRecordAttributeName = "Streams.Generated.AvroRecordAttribute";

    /// <summary>Names of the pipeline steps, for incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>The model of every <c>[AvroRecord]</c> type, or null where it cannot be encoded.</summary>
        public const string AvroRecordSpecs = nameof(AvroRecordSpecs);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var records = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AvroRecordAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.AvroRecordSpecs)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!);

        context.RegisterSourceOutput(records, static (context, spec) => Emitter.Emit(context, spec));
    }
}
