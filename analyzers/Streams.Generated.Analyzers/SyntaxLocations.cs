using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Streams.Generated.Analyzers;

/// <summary>Precise locations in user code for the symbols the rules talk about.</summary>
internal static class SyntaxLocations
{
    /// <summary>The identifier of the declaration that carries <paramref name="attribute"/>, else of the first declaration.</summary>
    public static Location TypeIdentifier(INamedTypeSymbol type, AttributeData? attribute, CancellationToken cancellationToken)
    {
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax attributeSyntax
            && attributeSyntax.FirstAncestorOrSelf<BaseTypeDeclarationSyntax>() is { } declaration)
        {
            return declaration.Identifier.GetLocation();
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax typeDeclaration)
            {
                return typeDeclaration.Identifier.GetLocation();
            }
        }

        return type.Locations.Length > 0 ? type.Locations[0] : Location.None;
    }

    public static Location MethodIdentifier(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return method.Locations.Length > 0 ? method.Locations[0] : Location.None;
    }

    /// <summary>The return type of a method, else its identifier.</summary>
    public static Location ReturnType(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.ReturnType.GetLocation();
            }
        }

        return MethodIdentifier(method, cancellationToken);
    }

    /// <summary>The whole parameter (<c>string value</c>): its type is what the rules complain about.</summary>
    public static Location Parameter(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (var reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax syntax)
            {
                return syntax.GetLocation();
            }
        }

        return parameter.Locations.Length > 0 ? parameter.Locations[0] : Location.None;
    }

    /// <summary>The declared type of a property (or of the record parameter that declares it).</summary>
    public static Location PropertyType(IPropertySymbol property, CancellationToken cancellationToken)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax(cancellationToken))
            {
                case PropertyDeclarationSyntax declaration:
                    return declaration.Type.GetLocation();
                case ParameterSyntax { Type: { } type }:
                    return type.GetLocation();
            }
        }

        return property.Locations.Length > 0 ? property.Locations[0] : Location.None;
    }

    /// <summary>True if any declaration of <paramref name="type"/> has the <c>partial</c> modifier.</summary>
    public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The expression of a named attribute argument (<c>From = "x"</c>), or null.</summary>
    public static ExpressionSyntax? NamedArgument(AttributeSyntax? attribute, string name)
    {
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                return argument.Expression;
            }
        }

        return null;
    }

    /// <summary>The expression of the first constructor argument, or null.</summary>
    public static ExpressionSyntax? FirstConstructorArgument(AttributeSyntax? attribute)
    {
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals is null)
            {
                return argument.Expression;
            }
        }

        return null;
    }

    /// <summary>
    /// The expression of the constructor argument for parameter <paramref name="index"/> named <paramref name="name"/>:
    /// written by name (<c>type: ...</c>) or by position; null when absent.
    /// </summary>
    public static ExpressionSyntax? ConstructorArgument(AttributeSyntax? attribute, int index, string name)
    {
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        var position = 0;
        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals is not null)
            {
                continue;
            }

            if (argument.NameColon is { } nameColon ? nameColon.Name.Identifier.ValueText == name : position == index)
            {
                return argument.Expression;
            }

            position++;
        }

        return null;
    }

    /// <summary>True for <c>nameof(...)</c>.</summary>
    public static bool IsNameof(ExpressionSyntax? expression) =>
        expression is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } };
}
