using Microsoft.CodeAnalysis;

namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source), so that the types the generated code accepts in a
// node's methods and what SG0004 reports are decided by the same rules.

/// <summary>Which types a node's <c>Process</c>, <c>Join</c> and output methods may use.</summary>
internal static class NodeTypeRules
{
    /// <summary>
    /// Whether the generated code can use <paramref name="type"/> in a node's method: not a ref struct, a pointer, dynamic,
    /// or a type less accessible than internal. False with a null <paramref name="problem"/> for what the compiler or
    /// another rule reports already: an error type, a type parameter (of a generic topology, SG0010), and a private or
    /// protected type in an accessible method (CS0050, CS0051).
    /// </summary>
    public static bool IsUsable(ITypeSymbol type, out string? problem)
    {
        problem = null;
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsUsable(array.ElementType, out problem);
            case IErrorTypeSymbol or ITypeParameterSymbol:
                return false;
            case INamedTypeSymbol { IsRefLikeType: true }:
                problem = "a ref struct cannot be held by the generated code; use a class or an ordinary struct";
                return false;
            case INamedTypeSymbol named when named.TypeKind is TypeKind.Class or TypeKind.Struct or TypeKind.Interface or TypeKind.Enum or TypeKind.Delegate:
                for (var containing = named; containing is not null; containing = containing.ContainingType)
                {
                    if (containing.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                    {
                        return false;
                    }
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (!IsUsable(argument, out problem))
                    {
                        return false;
                    }
                }

                return true;
            default:
                problem = type.TypeKind == TypeKind.Dynamic
                    ? "dynamic gives the generated code no type to serialize or call with; use a concrete type"
                    : "a pointer cannot be held by the generated code; use a managed type";
                return false;
        }
    }
}
