using Streams.Generated.Generator.Helpers;
using Streams.Generated.Shared;

namespace Streams.Generated.Generator.Model;

// The symbol-free model of one [JsonRecord] type. Records with structural equality, so an unchanged type is Cached.

/// <summary>One <c>[JsonRecord]</c> type.</summary>
internal sealed record JsonRecordSpec(
    string HintName,
    string? Namespace,
    ImmutableEquatableArray<string> ContainingTypes,
    string Declaration,
    string Name,
    string FullyQualifiedName,
    ImmutableEquatableArray<JsonPropertySpec> Properties,
    ImmutableEquatableArray<string> ConstructorArguments);

/// <summary>One property.</summary>
/// <param name="MemberName">The C# property.</param>
/// <param name="JsonName">Its name in JSON (after <c>[JsonPropertyName]</c> or the naming policy).</param>
/// <param name="Type">How its value is written and read.</param>
/// <param name="ViaConstructor">Set through the constructor rather than an initializer.</param>
/// <param name="IsRequired">A C# <c>required</c> member: reading fails when it is missing.</param>
/// <param name="WriteOnly">A computed property: written, and skipped when reading.</param>
internal sealed record JsonPropertySpec(string MemberName, string JsonName, JsonTypeSpec Type, bool ViaConstructor, bool IsRequired, bool WriteOnly);

/// <summary>A C# type and its JSON form.</summary>
/// <param name="Kind">The value's kind (the same kinds as Avro).</param>
/// <param name="TypeName">Fully qualified C# type, without a top-level nullable annotation.</param>
/// <param name="Nullable">Declared nullable (<c>int?</c>, <c>string?</c>).</param>
/// <param name="IsValueType">A value type (a nullable one reads through <c>.Value</c>).</param>
/// <param name="Element">The item type of an array or list, the value type of a map.</param>
internal sealed record JsonTypeSpec(FieldKind Kind, string TypeName, bool Nullable, bool IsValueType, JsonTypeSpec? Element);
