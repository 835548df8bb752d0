using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Streams.Generated.Shared;

namespace Streams.Generated.Analyzers;

/// <summary>
/// Which key/value types have a serde at a topic boundary. The one place to extend when generated serdes (Avro, JSON)
/// for user types arrive.
/// </summary>
internal static class SerdeSupport
{
    /// <summary>The supported types as they appear in diagnostic messages.</summary>
    public const string SupportedTypesText = "string, bool, short, int, long, float, double, Guid, byte[], ReadOnlyMemory<byte>, or an [AvroRecord] or [JsonRecord] type";

    /// <summary>
    /// True for the types of <c>Serdes.String/Boolean/Int16/Int32/Int64/Single/Double/Guid/ByteArray/ByteMemory</c>, with or without a nullable annotation
    /// (<c>string?</c>, <c>int?</c>, <c>byte[]?</c>), and for <c>[AvroRecord]</c> types (<c>AvroSerde&lt;T&gt;</c>; what
    /// such a type cannot encode is reported on the type itself).
    /// </summary>
    public static bool IsSupported(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Boolean:
            case SpecialType.System_Int16:
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
                return true;
            default:
                return type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }
                    || type.ToDisplayString() is "System.Guid" or "System.ReadOnlyMemory<byte>"
                    || IsAvroRecord(type) || Shared.RecordTypeRules.HasAttribute(type, Shared.RecordTypeRules.JsonRecordAttributeName);
        }
    }

    /// <summary>True for a type marked <c>[AvroRecord]</c>.</summary>
    public static bool IsAvroRecord(ITypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == "Streams.Generated.AvroRecordAttribute")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The declaration of a class, struct or record (or the nullable form of one) declared in source that marking
    /// <c>[AvroRecord]</c> would give a serde: not generic, abstract, static or inaccessible. Null for anything else
    /// (framework types, arrays, collections, enums, interfaces).
    /// </summary>
    public static (string Name, Location Identifier)? AvroCandidate(ITypeSymbol type, CancellationToken cancellationToken)
    {
        if (RecordTypeRules.Unwrap(type, out _) is not INamedTypeSymbol named
            || named.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || IsAvroRecord(named)
            || RecordTypeRules.ClassProblem(named) is not null)
        {
            return null;
        }

        foreach (var reference in named.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration)
            {
                return (named.Name, declaration.Identifier.GetLocation());
            }
        }

        return null;
    }
}
