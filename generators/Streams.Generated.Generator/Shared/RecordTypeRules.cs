using Microsoft.CodeAnalysis;

namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source), so that what the generator can encode and what
// the analyzer reports are decided by the same rules.

/// <summary>How a member type of a generated record serde is encoded (in Avro; JSON maps the same kinds).</summary>
internal enum FieldKind
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

/// <summary>The rules of the member mapping of <c>[AvroRecord]</c> and <c>[JsonRecord]</c> types.</summary>
internal static class RecordTypeRules
{
    public const string AvroRecordAttributeName = "Streams.Generated.AvroRecordAttribute";
    public const string AvroFieldAttributeName = "Streams.Generated.AvroFieldAttribute";
    public const string JsonRecordAttributeName = "Streams.Generated.JsonRecordAttribute";
    public const string JsonPropertyNameAttributeName = "System.Text.Json.Serialization.JsonPropertyNameAttribute";
    public const string JsonIgnoreAttributeName = "System.Text.Json.Serialization.JsonIgnoreAttribute";

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
    /// <param name="recordAttributeName">The attribute that makes a type of the user's a nested record of this format.</param>
    public static FieldKind? Classify(ITypeSymbol type, string recordAttributeName, out ITypeSymbol? element, out string? problem)
    {
        element = null;
        problem = null;
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return FieldKind.Boolean;
            case SpecialType.System_Int32: return FieldKind.Int;
            case SpecialType.System_Int64: return FieldKind.Long;
            case SpecialType.System_Single: return FieldKind.Float;
            case SpecialType.System_Double: return FieldKind.Double;
            case SpecialType.System_String: return FieldKind.String;
            case SpecialType.System_Decimal: return FieldKind.Decimal;
        }

        switch (type)
        {
            case IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }:
                return FieldKind.Bytes;
            case IArrayTypeSymbol { Rank: 1 } array:
                element = array.ElementType;
                return FieldKind.Array;
            case INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType:
                problem = EnumProblem(enumType);
                return problem is null ? FieldKind.Enum : null;
            case INamedTypeSymbol named:
                switch (named.ToDisplayString(DefinitionFormat))
                {
                    case "global::System.Guid": return FieldKind.Uuid;
                    case "global::System.DateOnly": return FieldKind.Date;
                    case "global::System.DateTimeOffset": return FieldKind.TimestampMillis;
                }

                if (named.IsGenericType)
                {
                    switch (named.OriginalDefinition.ToDisplayString(DefinitionFormat))
                    {
                        case "global::System.Collections.Generic.List<T>":
                            element = named.TypeArguments[0];
                            return FieldKind.List;
                        case "global::System.Collections.Generic.Dictionary<TKey, TValue>":
                            if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                            {
                                problem = "an Avro map has string keys; use Dictionary<string, T>";
                                return null;
                            }

                            element = named.TypeArguments[1];
                            return FieldKind.Map;
                    }
                }

                if (HasAttribute(named, recordAttributeName))
                {
                    return FieldKind.Record; // its own problems are reported on it
                }

                problem = $"{FormatName(recordAttributeName)} cannot represent '{type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}'; use "
                    + SupportedTypesText.Replace("[AvroRecord]", "[" + AttributeShortName(recordAttributeName) + "]")
                    + $" (mark a type of yours [{AttributeShortName(recordAttributeName)}] to nest it)";
                return null;
            default:
                problem = $"{FormatName(recordAttributeName)} cannot represent '{type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}'; use "
                    + SupportedTypesText.Replace("[AvroRecord]", "[" + AttributeShortName(recordAttributeName) + "]");
                return null;
        }
    }

    private static string FormatName(string recordAttributeName) => recordAttributeName == JsonRecordAttributeName ? "JSON" : "Avro";

    private static string AttributeShortName(string recordAttributeName) =>
        recordAttributeName.Substring(recordAttributeName.LastIndexOf('.') + 1).Replace("Attribute", "");

    /// <summary>Why an <c>[AvroRecord]</c> or <c>[JsonRecord]</c> type's declaration cannot carry generated code, or null.</summary>
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
            return "is generic; a record serde has one fixed shape, so remove the type parameters";
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

    /// <summary>A property's JSON name: its <c>[JsonPropertyName]</c>, else its name under the type's naming policy.</summary>
    public static string JsonName(IPropertySymbol property, bool camelCase)
    {
        foreach (var attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == JsonPropertyNameAttributeName
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                return name;
            }
        }

        return camelCase ? CamelCase(property.Name) : property.Name;
    }

    /// <summary>System.Text.Json's <c>JsonNamingPolicy.CamelCase</c>: lower-cases the leading run of capitals.</summary>
    public static string CamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            var hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }
}
