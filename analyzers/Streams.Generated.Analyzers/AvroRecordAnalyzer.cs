using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Streams.Generated.Shared;

namespace Streams.Generated.Analyzers;

/// <summary>
/// Reports why an <c>[AvroRecord]</c> type gets no generated encoding (SG0012): on the type for its declaration, on
/// the member for a field type Avro cannot represent, on the attribute argument for an invalid name, precision or scale.
/// The rules are <see cref="AvroTypeRules"/>, the same source the generator compiles.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AvroRecordAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.AvroUnsupported);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static readonly ImmutableDictionary<string, string?> MakePartial =
        ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.MakePartialProperty, "true");

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? recordAttribute = null;
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == AvroTypeRules.AvroRecordAttributeName)
            {
                recordAttribute = attribute;
            }
        }

        if (recordAttribute is null)
        {
            return;
        }

        var cancellationToken = context.CancellationToken;
        var identifier = SyntaxLocations.TypeIdentifier(type, recordAttribute, cancellationToken);
        void Report(Location location, string message) =>
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AvroUnsupported, location, message));
        void ReportNotPartial(Location location, string message) =>
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AvroUnsupported, location, MakePartial, message));

        if (AvroTypeRules.ClassProblem(type) is { } classProblem)
        {
            Report(identifier, $"[AvroRecord] type '{type.Name}' {classProblem}");
            return;
        }

        if (!SyntaxLocations.IsPartial(type, cancellationToken))
        {
            ReportNotPartial(identifier, $"[AvroRecord] type '{type.Name}' must be declared 'partial' so that the generator can add its Avro encoding");
        }

        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (container.Arity > 0 || !SyntaxLocations.IsPartial(container, cancellationToken))
            {
                var message = $"'{container.Name}' contains [AvroRecord] type '{type.Name}' and must be a non-generic 'partial' type, so that the generator can reopen it";
                var location = SyntaxLocations.TypeIdentifier(container, null, cancellationToken);
                if (container.Arity == 0)
                {
                    ReportNotPartial(location, message);
                }
                else
                {
                    Report(location, message);
                }
            }
        }

        CheckNames(type, recordAttribute, cancellationToken, Report);
        if (AvroTypeRules.ChooseConstructor(type) is not { } constructor)
        {
            Report(identifier, $"[AvroRecord] type '{type.Name}' has no public constructor the generated reader can call: add a parameterless one, "
                + "or one whose parameters all have the names and types of public properties");
            return;
        }

        var byConstructor = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in constructor.Parameters)
        {
            byConstructor.Add(parameter.Name);
        }

        var fieldNames = new Dictionary<string, IPropertySymbol>(System.StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            if (!AvroTypeRules.IsReadableProperty(member, out var property)
                || (!byConstructor.Contains(property!.Name) && property.SetMethod is not { DeclaredAccessibility: Accessibility.Public }))
            {
                continue; // not a field: the generator skips computed properties
            }

            CheckField(type, property, fieldNames, cancellationToken, Report);
        }
    }

    private static void CheckNames(INamedTypeSymbol type, AttributeData attribute, System.Threading.CancellationToken cancellationToken,
        System.Action<Location, string> report)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Value.Value is not string value)
            {
                continue;
            }

            var valid = argument.Key switch
            {
                "Name" => AvroTypeRules.IsAvroName(value),
                "Namespace" => value.Length == 0 || AvroTypeRules.IsAvroNamespace(value),
                _ => true,
            };
            if (!valid)
            {
                report(ArgumentLocation(attribute, argument.Key, type, cancellationToken),
                    $"'{value}' is not a valid Avro {argument.Key.ToLowerInvariant()} for '{type.Name}': use [A-Za-z_][A-Za-z0-9_]*{(argument.Key == "Namespace" ? " parts separated by dots" : "")}");
            }
        }

        if (attribute.NamedArguments.Length == 0 && type.ContainingNamespace is { IsGlobalNamespace: false } ns
            && !AvroTypeRules.IsAvroNamespace(ns.ToDisplayString()))
        {
            report(SyntaxLocations.TypeIdentifier(type, attribute, cancellationToken),
                $"The namespace '{ns.ToDisplayString()}' of '{type.Name}' is not a valid Avro namespace; set [AvroRecord(Namespace = \"...\")]");
        }
    }

    private static void CheckField(INamedTypeSymbol type, IPropertySymbol property, Dictionary<string, IPropertySymbol> fieldNames,
        System.Threading.CancellationToken cancellationToken, System.Action<Location, string> report)
    {
        AttributeData? fieldAttribute = null;
        foreach (var attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == AvroTypeRules.AvroFieldAttributeName)
            {
                fieldAttribute = attribute;
            }
        }

        var name = property.Name;
        var precision = 28;
        var scale = 8;
        if (fieldAttribute is not null)
        {
            foreach (var argument in fieldAttribute.NamedArguments)
            {
                switch (argument.Key, argument.Value.Value)
                {
                    case ("Name", string value): name = value; break;
                    case ("Precision", int value): precision = value; break;
                    case ("Scale", int value): scale = value; break;
                }
            }
        }

        var nameLocation = fieldAttribute is null
            ? SyntaxLocations.PropertyType(property, cancellationToken)
            : ArgumentLocation(fieldAttribute, "Name", type, cancellationToken);
        if (!AvroTypeRules.IsAvroName(name))
        {
            report(nameLocation,
                $"'{name}' is not a valid Avro field name for {type.Name}.{property.Name}: use [A-Za-z_][A-Za-z0-9_]*, or set [AvroField(Name = \"...\")]");
        }
        else if (fieldNames.TryGetValue(name, out var first))
        {
            report(nameLocation,
                $"{type.Name}.{property.Name} and {type.Name}.{first.Name} are both Avro field '{name}'; give one another [AvroField(Name = \"...\")]");
        }
        else
        {
            fieldNames.Add(name, property);
        }

        var current = property.Type;
        while (true)
        {
            current = AvroTypeRules.Unwrap(current, out _);
            var kind = AvroTypeRules.Classify(current, out var element, out var problem);
            if (kind is null)
            {
                report(SyntaxLocations.PropertyType(property, cancellationToken), $"{type.Name}.{property.Name}: {problem}");
                return;
            }

            if (kind == AvroKind.Decimal && AvroTypeRules.DecimalProblem(precision, scale) is { } decimalProblem)
            {
                report(fieldAttribute is null ? SyntaxLocations.PropertyType(property, cancellationToken) : ArgumentLocation(fieldAttribute, "", type, cancellationToken),
                    $"{type.Name}.{property.Name}: decimal {decimalProblem}");
                return;
            }

            if (element is null)
            {
                return;
            }

            current = element;
        }
    }

    private static Location ArgumentLocation(AttributeData attribute, string name, INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        return SyntaxLocations.NamedArgument(syntax, name)?.GetLocation()
            ?? syntax?.GetLocation()
            ?? SyntaxLocations.TypeIdentifier(type, attribute, cancellationToken);
    }
}
