using System.Collections.Generic;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Streams.Generated.Generator.Helpers;

/// <summary>How to reopen a user's <c>partial</c> type (and the types around it) in a generated file.</summary>
internal static class TypeDeclarations
{
    /// <summary>The keywords that reopen <paramref name="type"/> (<c>partial record struct</c>, ...), or null if it cannot be.</summary>
    public static string? Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "partial record struct",
        { IsRecord: true } => "partial record",
        { TypeKind: TypeKind.Class, IsStatic: true } => "static partial class",
        { TypeKind: TypeKind.Class } => "partial class",
        { TypeKind: TypeKind.Struct, IsRefLikeType: false, IsReadOnly: false } => "partial struct",
        { TypeKind: TypeKind.Interface } => "partial interface",
        _ => null,
    };

    /// <summary>True when one of the type's declarations says <c>partial</c>.</summary>
    public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration)
            {
                foreach (var modifier in declaration.Modifiers)
                {
                    if (modifier.IsKind(SyntaxKind.PartialKeyword))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The declarations of the types around <paramref name="type"/>, outermost first (<c>partial class Outer</c>); null
    /// when one of them is generic or not partial, so the generated code could not reopen it.
    /// </summary>
    public static ImmutableEquatableArray<string>? ContainingDeclarations(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var declarations = new List<string>();
        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (container.Arity > 0 || !IsPartial(container, cancellationToken) || Keyword(container) is not { } keyword)
            {
                return null;
            }

            declarations.Insert(0, keyword + " " + container.Name);
        }

        return declarations.ToImmutableEquatableArray();
    }

    /// <summary>A unique file name: namespace, containing types and the type's name, then <paramref name="suffix"/>.</summary>
    public static string HintName(INamedTypeSymbol type, string? ns, string suffix)
    {
        var name = new StringBuilder();
        if (ns is not null)
        {
            name.Append(ns).Append('.');
        }

        var containers = new List<string>();
        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            containers.Insert(0, container.Name);
        }

        foreach (var container in containers)
        {
            name.Append(container).Append('.');
        }

        return name.Append(type.Name).Append(suffix).ToString();
    }
}
