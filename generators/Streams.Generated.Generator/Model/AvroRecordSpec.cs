using Streams.Generated.Generator.Helpers;
using Streams.Generated.Shared;

namespace Streams.Generated.Generator.Model;

// The symbol-free model of one [AvroRecord] type: what the emitter needs to write its schema constant and its
// WriteAvro/ReadAvro methods. Records with structural equality, so an unchanged type is Cached in the pipeline.

/// <summary>One <c>[AvroRecord]</c> type.</summary>
/// <param name="HintName">Name of the generated file.</param>
/// <param name="Namespace">C# namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the types around it, outermost first (<c>partial class Outer</c>).</param>
/// <param name="Declaration">How to reopen the type (<c>partial record</c>, <c>partial struct</c>, ...).</param>
/// <param name="Name">The type's C# name.</param>
/// <param name="FullyQualifiedName"><c>global::N.Order</c>.</param>
/// <param name="AvroFullName">The record's Avro full name.</param>
/// <param name="Schema">The Avro schema as JSON.</param>
/// <param name="Fields">The fields in schema order.</param>
/// <param name="ConstructorArguments">Names of the fields passed to the constructor, in parameter order.</param>
internal sealed record AvroRecordSpec(
    string HintName,
    string? Namespace,
    ImmutableEquatableArray<string> ContainingTypes,
    string Declaration,
    string Name,
    string FullyQualifiedName,
    string AvroFullName,
    string Schema,
    ImmutableEquatableArray<AvroFieldSpec> Fields,
    ImmutableEquatableArray<string> ConstructorArguments);

/// <summary>One field: a property of the type.</summary>
/// <param name="MemberName">The C# property.</param>
/// <param name="AvroName">The name in the schema.</param>
/// <param name="Type">Its Avro mapping.</param>
/// <param name="ViaConstructor">Set through the constructor rather than an initializer.</param>
/// <param name="DefaultValue">The C# expression of the field's schema default (its constructor parameter's constant default), or null.</param>
internal sealed record AvroFieldSpec(string MemberName, string AvroName, AvroTypeSpec Type, bool ViaConstructor, string? DefaultValue);

/// <summary>A C# type and its Avro encoding.</summary>
/// <param name="Kind">The encoding.</param>
/// <param name="TypeName">Fully qualified C# type, without a top-level nullable annotation.</param>
/// <param name="Nullable">A union with null (<c>["null", T]</c>).</param>
/// <param name="IsValueType">Nullable value types read through <c>.Value</c>.</param>
/// <param name="Element">The item type of an array or list, the value type of a map.</param>
/// <param name="EnumMembers">Fully qualified enum members, in symbol order.</param>
/// <param name="Scale">Scale of a decimal.</param>
/// <param name="Precision">Precision of a decimal (digits).</param>
internal sealed record AvroTypeSpec(
    FieldKind Kind,
    string TypeName,
    bool Nullable,
    bool IsValueType,
    AvroTypeSpec? Element,
    ImmutableEquatableArray<string> EnumMembers,
    int Scale,
    int Precision);
