using Microsoft.CodeAnalysis;

namespace Streams.Generated.Analyzers;

/// <summary>The runtime types the rules look for, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation, INamedTypeSymbol topology, INamedTypeSymbol processor, INamedTypeSymbol to,
        INamedTypeSymbol count, INamedTypeSymbol? recordContext)
    {
        Punctuate = compilation.GetTypeByMetadataName(Shared.PunctuationRules.AttributeName);
        Windowed = compilation.GetTypeByMetadataName("Streams.Generated.Windowed`1");
        Join = compilation.GetTypeByMetadataName("Streams.Generated.JoinAttribute");
        Topology = topology;
        Processor = processor;
        To = to;
        Count = count;
        RecordContext = recordContext;
        Int64 = compilation.GetSpecialType(SpecialType.System_Int64);
        // The key type of a Process(value) node reading a topic: the raw key bytes, possibly null (ReadOnlyMemory<byte>?).
        var bytes = compilation.GetSpecialType(SpecialType.System_Byte);
        RawKey = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1") is { } memory
            ? compilation.GetSpecialType(SpecialType.System_Nullable_T).Construct(memory.Construct(bytes))
            : compilation.CreateArrayTypeSymbol(bytes).WithNullableAnnotation(NullableAnnotation.Annotated); // a framework without it: no analysis depends on it
    }

    public INamedTypeSymbol Topology { get; }
    public INamedTypeSymbol Processor { get; }
    public INamedTypeSymbol To { get; }
    public INamedTypeSymbol Count { get; }

    /// <summary>Null with a runtime older than joins.</summary>
    public INamedTypeSymbol? Join { get; }
    public INamedTypeSymbol? RecordContext { get; }

    /// <summary>Null with a runtime older than punctuation.</summary>
    public INamedTypeSymbol? Punctuate { get; }

    /// <summary>The key type of a windowed count's results; null with a runtime older than windows.</summary>
    public INamedTypeSymbol? Windowed { get; }
    public ITypeSymbol Int64 { get; }
    public ITypeSymbol RawKey { get; }

    /// <summary>Null when the compilation does not reference Streams.Generated: then there is nothing to analyze.</summary>
    public static KnownSymbols? Create(Compilation compilation)
    {
        var topology = compilation.GetTypeByMetadataName("Streams.Generated.TopologyAttribute");
        var processor = compilation.GetTypeByMetadataName("Streams.Generated.ProcessorAttribute");
        var to = compilation.GetTypeByMetadataName("Streams.Generated.ToAttribute");
        var count = compilation.GetTypeByMetadataName("Streams.Generated.CountAttribute");
        if (topology is null || processor is null || to is null || count is null)
        {
            return null;
        }

        return new KnownSymbols(compilation, topology, processor, to, count,
            compilation.GetTypeByMetadataName("Streams.Generated.RecordContext"));
    }

    public AttributeData? Find(ISymbol symbol, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The [Punctuate] attribute of a method, if any.</summary>
    public AttributeData? FindPunctuate(IMethodSymbol method) => Punctuate is null ? null : Find(method, Punctuate);

    /// <summary>The [Processor], [Count] or [Join] attribute of a class, if any (the first of them when it has several).</summary>
    public AttributeData? FindNodeAttribute(INamedTypeSymbol type) => FindNodeAttribute(type, out _, out _);

    /// <summary>
    /// The [Processor], [Count] or [Join] attribute of a class, if any, and which; with several (an error: SG0010), the first
    /// in that order, and how many there are.
    /// </summary>
    public AttributeData? FindNodeAttribute(INamedTypeSymbol type, out NodeKind kind, out int count)
    {
        AttributeData? first = null;
        kind = default;
        count = 0;
        foreach (var (attributeType, candidate) in new[] { (Processor, NodeKind.Processor), (Count, NodeKind.Count), (Join, NodeKind.Join) })
        {
            if (attributeType is not null && Find(type, attributeType) is { } attribute)
            {
                count++;
                if (first is null)
                {
                    first = attribute;
                    kind = candidate;
                }
            }
        }

        return first;
    }
}
