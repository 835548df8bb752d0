using System;

namespace Streams.Generated.Generator.Model;

/// <summary>Which serde reads and writes a type at a topic boundary: one of Kafka's primitives, or a generated one.</summary>
internal enum SerdeKind
{
    /// <summary>The type has no serde: it may only travel between nodes of one sub-topology.</summary>
    None,
    String,
    Int32,
    Int64,
    Double,
    ByteArray,
    Boolean,
    Int16,
    Single,
    Guid,
    ByteMemory,

    /// <summary>An <c>[AvroRecord]</c> type: <c>AvroSerde&lt;T&gt;</c>, the generated Avro binary encoding.</summary>
    Avro,

    /// <summary>A <c>[JsonRecord]</c> type: <c>JsonSerde&lt;T&gt;</c>, the generated JSON encoding.</summary>
    Json,

    /// <summary>
    /// <c>Windowed&lt;K&gt;</c> with a serializable <c>K</c>: written as Kafka's <c>TimeWindowedSerializer</c> writes it (the
    /// key, then the window start). Not readable from a topic: the window size is not in the bytes.
    /// </summary>
    Windowed,
}

/// <summary>Whether a value of the type may be null, as the generated code has to treat it.</summary>
internal enum TypeNullability
{
    /// <summary>A non-nullable value type (<c>int</c>).</summary>
    NotNullValue,

    /// <summary><c>Nullable&lt;T&gt;</c> (<c>int?</c>).</summary>
    NullableValue,

    /// <summary>A reference type declared non-nullable (<c>string</c>).</summary>
    NotNullReference,

    /// <summary>A reference type declared nullable (<c>string?</c>).</summary>
    NullableReference,

    /// <summary>A reference type declared where nullable annotations are disabled.</summary>
    ObliviousReference,
}

/// <summary>
/// A type, referred to by name only (never an <c>ITypeSymbol</c>), with what the emitter needs to know about it.
/// </summary>
/// <param name="FullName">Fully qualified C# name with nullable annotations, e.g. <c>string?</c>, <c>global::N.Order</c>.</param>
/// <param name="NonNullableName">The same type without a top-level nullable annotation (<c>int?</c> becomes <c>int</c>).</param>
/// <param name="Identity">The name that decides whether two types are the same type (nullable reference annotations removed).</param>
/// <param name="Nullability">How null is treated.</param>
/// <param name="Serde">The serde at a topic boundary, if any.</param>
/// <param name="WindowedKey">For <c>Windowed&lt;K&gt;</c>: <c>K</c>, whose serde writes the key part.</param>
internal sealed record TypeRef(string FullName, string NonNullableName, string Identity, TypeNullability Nullability, SerdeKind Serde,
    TypeRef? WindowedKey = null)
{
    /// <summary><c>Windowed&lt;key&gt;</c>: the key a windowed count emits (<paramref name="key"/> without nullability).</summary>
    public static TypeRef Windowed(TypeRef key)
    {
        const string Name = "global::Streams.Generated.Windowed";
        return new TypeRef($"{Name}<{key.NonNullableName}>", $"{Name}<{key.NonNullableName}>", $"{Name}<{key.Identity}>", TypeNullability.NotNullValue,
            key.Serde is SerdeKind.None or SerdeKind.Windowed ? SerdeKind.None : SerdeKind.Windowed, key);
    }

    /// <summary>
    /// The raw key of a record read by a <c>Process(value)</c> node: the bytes themselves, possibly null, borrowed from the
    /// runtime's record buffer for the duration of the call (no copy).
    /// </summary>
    public static TypeRef RawKey { get; } = new("global::System.ReadOnlyMemory<byte>?", "global::System.ReadOnlyMemory<byte>",
        "global::System.ReadOnlyMemory<byte>?", TypeNullability.NullableValue, SerdeKind.ByteMemory);

    /// <summary>The value a count emits.</summary>
    public static TypeRef Int64 { get; } = new("long", "long", "long", TypeNullability.NotNullValue, SerdeKind.Int64);

    public bool IsReferenceType => Nullability is TypeNullability.NotNullReference or TypeNullability.NullableReference or TypeNullability.ObliviousReference;

    /// <summary>Whether the declared type accepts null (a null record key or value reaches it as null).</summary>
    public bool AcceptsNull => Nullability is TypeNullability.NullableReference or TypeNullability.NullableValue;

    /// <summary>Whether a value of the type can be null at run time (so a sink checks for null).</summary>
    public bool CanBeNull => Nullability != TypeNullability.NotNullValue;

    /// <summary>The type name used in serde error messages (<c>string</c>, <c>long</c>, ...).</summary>
    public string SerdeTypeName => Serde switch
    {
        SerdeKind.String => "string",
        SerdeKind.Int32 => "int",
        SerdeKind.Int64 => "long",
        SerdeKind.Double => "double",
        SerdeKind.ByteArray => "byte[]",
        SerdeKind.Boolean => "bool",
        SerdeKind.Int16 => "short",
        SerdeKind.Single => "float",
        SerdeKind.Guid => "Guid",
        SerdeKind.ByteMemory => "ReadOnlyMemory<byte>",
        _ => NonNullableName,
    };

    /// <summary>This type without nullability: what a store keyed by it is declared with.</summary>
    public TypeRef WithoutNullability() => Nullability switch
    {
        TypeNullability.NullableValue => new TypeRef(NonNullableName, NonNullableName, NonNullableName, TypeNullability.NotNullValue, Serde),
        TypeNullability.NullableReference or TypeNullability.ObliviousReference =>
            new TypeRef(NonNullableName, NonNullableName, Identity, TypeNullability.NotNullReference, Serde),
        _ => this,
    };

    /// <summary>
    /// Whether a value of type <paramref name="sent"/> can be passed where <paramref name="expected"/> is declared: the
    /// same type, and no nullable reference into a non-nullable parameter (the direct call would pass a possible null).
    /// </summary>
    public static bool IsAssignable(TypeRef sent, TypeRef expected) =>
        string.Equals(sent.Identity, expected.Identity, StringComparison.Ordinal)
        && !(sent.Nullability == TypeNullability.NullableReference && expected.Nullability == TypeNullability.NotNullReference);
}
