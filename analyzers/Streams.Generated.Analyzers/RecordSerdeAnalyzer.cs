using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Streams.Generated.Shared;

namespace Streams.Generated.Analyzers;

/// <summary>
/// Reports why an <c>[AvroRecord]</c> (SG0012) or <c>[JsonRecord]</c> (SG0016) type gets no generated encoding: on the
/// type for its declaration, on the member for a type the format cannot represent, on the attribute argument for an
/// invalid name, precision or scale; and a type marked with both (SG0017). The rules are <see cref="RecordTypeRules"/>,
/// the same source the generators compile.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RecordSerdeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AvroUnsupported, DiagnosticDescriptors.JsonUnsupported, DiagnosticDescriptors.ConflictingFormats);

    /// <summary>What differs between the two formats' checks.</summary>
    private sealed class Format(string attributeName, DiagnosticDescriptor descriptor, bool avro)
    {
        public string AttributeName { get; } = attributeName;
        public string ShortName { get; } = "[" + attributeName.Substring(attributeName.LastIndexOf('.') + 1).Replace("Attribute", "") + "]";
        public DiagnosticDescriptor Descriptor { get; } = descriptor;
        public bool IsAvro { get; } = avro;
        public string Noun => IsAvro ? "Avro" : "JSON";
    }

    private static readonly Format Avro = new(RecordTypeRules.AvroRecordAttributeName, DiagnosticDescriptors.AvroUnsupported, avro: true);
    private static readonly Format Json = new(RecordTypeRules.JsonRecordAttributeName, DiagnosticDescriptors.JsonUnsupported, avro: false);

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
        AttributeData? avro = null, json = null;
        foreach (var attribute in type.GetAttributes())
        {
            switch (attribute.AttributeClass?.ToDisplayString())
            {
                case RecordTypeRules.AvroRecordAttributeName: avro = attribute; break;
                case RecordTypeRules.JsonRecordAttributeName: json = attribute; break;
            }
        }

        if (avro is not null && json is not null)
        {
            var location = json.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation()
                ?? SyntaxLocations.TypeIdentifier(type, json, context.CancellationToken);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ConflictingFormats, location, type.Name));
            return;
        }

        if (avro is not null)
        {
            Check(context, type, avro, Avro);
        }
        else if (json is not null)
        {
            Check(context, type, json, Json);
        }
    }

    private static void Check(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData recordAttribute, Format format)
    {
        var cancellationToken = context.CancellationToken;
        var identifier = SyntaxLocations.TypeIdentifier(type, recordAttribute, cancellationToken);
        void Report(Location location, string message) =>
            context.ReportDiagnostic(Diagnostic.Create(format.Descriptor, location, message));
        void ReportNotPartial(Location location, string message) =>
            context.ReportDiagnostic(Diagnostic.Create(format.Descriptor, location, MakePartial, message));

        if (RecordTypeRules.ClassProblem(type) is { } classProblem)
        {
            Report(identifier, $"{format.ShortName} type '{type.Name}' {classProblem}");
            return;
        }

        if (!SyntaxLocations.IsPartial(type, cancellationToken))
        {
            ReportNotPartial(identifier, $"{format.ShortName} type '{type.Name}' must be declared 'partial' so that the generator can add its {format.Noun} encoding");
        }

        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (container.Arity > 0 || !SyntaxLocations.IsPartial(container, cancellationToken))
            {
                var message = $"'{container.Name}' contains {format.ShortName} type '{type.Name}' and must be a non-generic 'partial' type, so that the generator can reopen it";
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

        if (format.IsAvro)
        {
            CheckNames(type, recordAttribute, cancellationToken, Report);
        }

        if (RecordTypeRules.ChooseConstructor(type) is not { } constructor)
        {
            Report(identifier, $"{format.ShortName} type '{type.Name}' has no public constructor the generated reader can call: add a parameterless one, "
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
            if (!RecordTypeRules.IsReadableProperty(member, out var property))
            {
                continue;
            }

            var viaConstructor = byConstructor.Contains(property!.Name);
            if (format.IsAvro && !viaConstructor && property.SetMethod is not { DeclaredAccessibility: Accessibility.Public })
            {
                continue; // not an Avro field: computed
            }

            if (!format.IsAvro && !viaConstructor && RecordTypeRules.HasAttribute(property, RecordTypeRules.JsonIgnoreAttributeName))
            {
                continue; // not written, as System.Text.Json ignores it
            }

            if (format.IsAvro)
            {
                CheckField(type, property, fieldNames, cancellationToken, Report);
            }
            else
            {
                CheckJsonProperty(type, property, recordAttribute, fieldNames, cancellationToken, Report);
            }
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
                "Name" => RecordTypeRules.IsAvroName(value),
                "Namespace" => value.Length == 0 || RecordTypeRules.IsAvroNamespace(value),
                _ => true,
            };
            if (!valid)
            {
                report(ArgumentLocation(attribute, argument.Key, type, cancellationToken),
                    $"'{value}' is not a valid Avro {argument.Key.ToLowerInvariant()} for '{type.Name}': use [A-Za-z_][A-Za-z0-9_]*{(argument.Key == "Namespace" ? " parts separated by dots" : "")}");
            }
        }

        if (attribute.NamedArguments.Length == 0 && type.ContainingNamespace is { IsGlobalNamespace: false } ns
            && !RecordTypeRules.IsAvroNamespace(ns.ToDisplayString()))
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
            if (attribute.AttributeClass?.ToDisplayString() == RecordTypeRules.AvroFieldAttributeName)
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
        if (!RecordTypeRules.IsAvroName(name))
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
            current = RecordTypeRules.Unwrap(current, out _);
            var kind = RecordTypeRules.Classify(current, RecordTypeRules.AvroRecordAttributeName, out var element, out var problem);
            if (kind is null)
            {
                report(SyntaxLocations.PropertyType(property, cancellationToken), $"{type.Name}.{property.Name}: {problem}");
                return;
            }

            if (kind == FieldKind.Decimal && RecordTypeRules.DecimalProblem(precision, scale) is { } decimalProblem)
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

    private static void CheckJsonProperty(INamedTypeSymbol type, IPropertySymbol property, AttributeData recordAttribute,
        Dictionary<string, IPropertySymbol> names, System.Threading.CancellationToken cancellationToken, System.Action<Location, string> report)
    {
        var camelCase = false;
        foreach (var argument in recordAttribute.NamedArguments)
        {
            camelCase |= argument.Key == "Naming" && argument.Value.Value is int naming && naming == 1;
        }

        var name = RecordTypeRules.JsonName(property, camelCase);
        if (names.TryGetValue(name, out var first))
        {
            report(SyntaxLocations.PropertyType(property, cancellationToken),
                $"{type.Name}.{property.Name} and {type.Name}.{first.Name} are both JSON property '{name}'; rename one with [JsonPropertyName(\"...\")]");
        }
        else
        {
            names.Add(name, property);
        }

        var current = property.Type;
        while (true)
        {
            current = RecordTypeRules.Unwrap(current, out _);
            if (RecordTypeRules.Classify(current, RecordTypeRules.JsonRecordAttributeName, out var element, out var problem) is null)
            {
                report(SyntaxLocations.PropertyType(property, cancellationToken), $"{type.Name}.{property.Name}: {problem}");
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
