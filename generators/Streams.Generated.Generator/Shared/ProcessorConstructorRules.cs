using Microsoft.CodeAnalysis;

namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source), so that the constructor the generated task calls
// and what SG0010 reports are decided by the same rules.

/// <summary>
/// Which constructor the generated task calls to create a <c>[Processor]</c> instance: the class's one public or internal
/// constructor, each of whose parameters the task resolves from the service provider by its type.
/// </summary>
internal static class ProcessorConstructorRules
{
    /// <summary>
    /// The constructor to call, or null with the problem (the rest of an SG0010 message after "Node class 'X' ") and the
    /// parameter it concerns, if any; null without a problem when a parameter's type does not bind (the compiler reports that).
    /// </summary>
    public static IMethodSymbol? Choose(INamedTypeSymbol type, out string? problem, out IParameterSymbol? parameter)
    {
        problem = null;
        parameter = null;
        IMethodSymbol? chosen = null;
        var count = 0;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
            {
                chosen = constructor;
                count++;
            }
        }

        if (count != 1)
        {
            problem = count == 0
                ? $"has no public or internal constructor; the generated task creates one instance per task with 'new {type.Name}(...)', so make one public or internal"
                : $"has {count} public or internal constructors; the generated task calls the only one (resolving its parameters from the service provider), so keep one and make the others private";
            return null;
        }

        foreach (var candidate in chosen!.Parameters)
        {
            if (candidate.Type is IErrorTypeSymbol)
            {
                return null; // the compiler reports it
            }

            var reason = candidate.RefKind != RefKind.None
                ? $"is passed by '{RefKindText(candidate.RefKind)}'; the generated task passes services by value, so remove the modifier"
                : candidate.Type is IDynamicTypeSymbol || !candidate.Type.IsReferenceType
                    ? $"has type '{candidate.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'; the generated task resolves constructor parameters from the service provider by type, so use a class or an interface"
                    : null;
            if (reason is not null)
            {
                problem = $"constructor parameter '{candidate.Name}' {reason}";
                parameter = candidate;
                return null;
            }
        }

        return chosen;
    }

    private static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref",
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => "ref readonly",
    };
}
