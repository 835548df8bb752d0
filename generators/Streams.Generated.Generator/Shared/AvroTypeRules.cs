using Microsoft.CodeAnalysis;

namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source), so that what the generator can encode and what
// the analyzer reports are decided by the same rules.

/// <summary>How a C# type maps to Avro.</summary>
internal enum AvroKind
{
    Boolean,
    Int,
    Long,
    Float,
    Double,
    String,
    Bytes,
    Enum,
    Decimal,
    Uuid,
    Date,
    TimestampMillis,
    TimestampMicros,
    Record,
    Array,
    List,
    Map,
}

/// <summary>The rules of the Avro mapping of <c>[AvroRecord]</c> types.</summary>
internal static class AvroTypeRules
{
    public const string AvroRecordAttributeName = "Streams.Generated.AvroRecordAttribute";
    public const string AvroFieldAttributeName = "Streams.Generated.AvroFieldAttribute";

    /// <summary>The supported member types, as diagnostics list them.</summary>
    public const string SupportedTypesText =
        "bool, int, long, float, double, string, byte[], an enum, decimal, Guid, DateOnly, DateTimeOffset, T[], List<T>, "
        + "Dictionary<string, T>, another [AvroRecord] type, or a nullable form of these";

    private static readonly SymbolDisplayFormat DefinitionFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    /// <summary>Strips <c>Nullable&lt;T&gt;</c> or a nullable reference annotation; <paramref name="nullable"/> says which.</summary>
    public static ITypeSymbol Unwrap(ITypeSymbol type, out bool nullable)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableValue)
        {
            nullable = true;
            return nullableValue.TypeArguments[0];
        }

        nullable = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated;
        return type;
    }

    /// <summary>
    /// The Avro kind of a (non-nullable) type, with the item type of an array/list or the value type of a map in
    /// <paramref name="element"/>; null with a reason in <paramref name="problem"/> when Avro cannot represent it.
    /// </summary>
    public static AvroKind? Classify(ITypeSymbol type, out ITypeSymbol? element, out string? problem)
    {
        element = null;
        problem = null;
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return AvroKind.Boolean;
            case SpecialType.System_Int32: return AvroKind.Int;
            case SpecialType.System_Int64: return AvroKind.Long;
            case SpecialType.System_Single: return AvroKind.Float;
            case SpecialType.System_Double: return AvroKind.Double;
            case SpecialType.System_String: return AvroKind.String;
            case SpecialType.System_Decimal: return AvroKind.Decimal;
        }

        switch (type)
        {
            case IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }:
                return AvroKind.Bytes;
            case IArrayTypeSymbol { Rank: 1 } array:
                element = array.ElementType;
                return AvroKind.Array;
            case INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType:
                problem = EnumProblem(enumType);
                return problem is null ? AvroKind.Enum : null;
            case INamedTypeSymbol named:
                switch (named.ToDisplayString(DefinitionFormat))
                {
                    case "global::System.Guid": return AvroKind.Uuid;
                    case "global::System.DateOnly": return AvroKind.Date;
                    case "global::System.DateTimeOffset": return AvroKind.TimestampMillis;
                }

                if (named.IsGenericType)
                {
                    switch (named.OriginalDefinition.ToDisplayString(DefinitionFormat))
                    {
                        case "global::System.Collections.Generic.List<T>":
                            element = named.TypeArguments[0];
                            return AvroKind.List;
                        case "global::System.Collections.Generic.Dictionary<TKey, TValue>":
                            if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                            {
                                problem = "an Avro map has string keys; use Dictionary<string, T>";
                                return null;
                            }

                            element = named.TypeArguments[1];
                            return AvroKind.Map;
                    }
                }

                if (HasAttribute(named, AvroRecordAttributeName))
                {
                    return AvroKind.Record; // its own problems are reported on it
                }

                problem = $"Avro cannot represent '{type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}'; use "
                    + SupportedTypesText + " (mark a type of yours [AvroRecord] to nest it)";
                return null;
            default:
                problem = $"Avro cannot represent '{type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}'; use " + SupportedTypesText;
                return null;
        }
    }

    /// <summary>Why an <c>[AvroRecord]</c> type's declaration cannot carry generated code, or null.</summary>
    public static string? ClassProblem(INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return "is not a class, struct or record";
        }

        if (type.IsStatic || type.IsAbstract)
        {
            return "is static or abstract; the generated reader creates instances of it";
        }

        if (type.Arity > 0)
        {
            return "is generic; an Avro record has one fixed schema, so remove the type parameters";
        }

        if (type.IsRefLikeType)
        {
            return "is a ref struct, which cannot be a field of another record or live in a collection";
        }

        for (ISymbol? current = type; current is INamedTypeSymbol named; current = named.ContainingType)
        {
            if (named.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
            {
                return $"is not accessible to the generated serde ('{named.Name}' is {named.DeclaredAccessibility.ToString().ToLowerInvariant()}); make it public or internal";
            }
        }

        return null;
    }

    /// <summary>Why an enum cannot be an Avro enum (symbols are its members in declaration order), or null.</summary>
    public static string? EnumProblem(INamedTypeSymbol enumType)
    {
        var members = 0;
        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { IsConst: true } field)
            {
                members++;
                if (!IsAvroName(field.Name))
                {
                    return $"enum member '{field.Name}' is not a valid Avro symbol ([A-Za-z_][A-Za-z0-9_]*)";
                }
            }
        }

        return members == 0 ? $"enum '{enumType.Name}' has no members, and an Avro enum needs at least one symbol" : null;
    }

    /// <summary>Why a decimal's precision and scale are invalid, or null.</summary>
    public static string? DecimalProblem(int precision, int scale) =>
        precision < 1 ? $"precision {precision} must be at least 1"
        : scale < 0 ? $"scale {scale} must not be negative"
        : scale > precision ? $"scale {scale} must not exceed precision {precision}"
        : scale > 28 ? $"scale {scale} exceeds 28, the most System.Decimal holds"
        : null;

    /// <summary>
    /// The public constructor the generated reader creates the type with: the one with the most parameters whose every
    /// parameter has a public property of the same name (any case) and type; a parameterless one qualifies trivially.
    /// </summary>
    public static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type)
    {
        IMethodSymbol? chosen = null;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public
                || (constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type)))
            {
                continue; // not accessible, or a record's copy constructor
            }

            var matches = true;
            foreach (var parameter in constructor.Parameters)
            {
                var property = FindProperty(type, parameter.Name);
                matches &= property is not null && parameter.RefKind == RefKind.None
                    && SymbolEqualityComparer.Default.Equals(property.Type.WithNullableAnnotation(NullableAnnotation.None),
                        parameter.Type.WithNullableAnnotation(NullableAnnotation.None));
            }

            if (matches && (chosen is null || constructor.Parameters.Length > chosen.Parameters.Length))
            {
                chosen = constructor;
            }
        }

        return chosen;
    }

    /// <summary>The public instance property named <paramref name="name"/> (any case) with a public getter.</summary>
    public static IPropertySymbol? FindProperty(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers())
        {
            if (IsReadableProperty(member, out var property) && string.Equals(property!.Name, name, System.StringComparison.OrdinalIgnoreCase))
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>A public, non-static, non-indexer property with a public getter.</summary>
    public static bool IsReadableProperty(ISymbol member, out IPropertySymbol? property)
    {
        property = member as IPropertySymbol;
        return property is { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public }
            && property.GetMethod is { DeclaredAccessibility: Accessibility.Public };
    }

    public static bool HasAttribute(ISymbol symbol, string attributeName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == attributeName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Avro names: <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsAvroName(string name)
    {
        if (name.Length == 0 || !(IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(IsLetter(c) || c == '_' || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;

        static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /// <summary>Dot-separated Avro names.</summary>
    public static bool IsAvroNamespace(string ns)
    {
        foreach (var part in ns.Split('.'))
        {
            if (!IsAvroName(part))
            {
                return false;
            }
        }

        return true;
    }
}
