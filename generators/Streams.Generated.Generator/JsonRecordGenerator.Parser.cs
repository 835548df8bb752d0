using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Streams.Generated.Generator.Helpers;
using Streams.Generated.Generator.Model;
using Streams.Generated.Shared;

namespace Streams.Generated.Generator;

public sealed partial class JsonRecordGenerator
{
    /// <summary>
    /// Reads a <c>[JsonRecord]</c> type into a symbol-free <see cref="JsonRecordSpec"/>. Returns null for anything it
    /// cannot encode (the analyzers report why); never throws.
    /// </summary>
    internal sealed class Parser
    {

        // Nullable annotations of type arguments matter (List<string?>); the top-level one is stripped before display.
        private static readonly SymbolDisplayFormat TypeNameFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private readonly CancellationToken _cancellationToken;

        // Records being checked as members of the one being read: a recursive type is encodable if the rest is.
        private readonly HashSet<INamedTypeSymbol> _checking = new(SymbolEqualityComparer.Default);

        private Parser(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

        public static JsonRecordSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            try
            {
                return context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length == 1
                    ? new Parser(cancellationToken).Read(type, context.Attributes[0])
                    : null;
            }
            catch (System.OperationCanceledException)
            {
                throw;
            }
#pragma warning disable CA1031 // The generator must never throw: an unexpected input yields no output, the analyzer explains.
            catch (System.Exception)
#pragma warning restore CA1031
            {
                return null;
            }
        }

        /// <summary>True when <paramref name="type"/> is marked <c>[JsonRecord]</c> and this generator emits its encoding.</summary>
        public static bool CanEncode(INamedTypeSymbol type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == RecordTypeRules.JsonRecordAttributeName)
                {
                    return new Parser(CancellationToken.None).Read(type, attribute) is not null;
                }
            }

            return false;
        }

        private JsonRecordSpec? Read(INamedTypeSymbol type, AttributeData attribute)
        {
            if (TypeDeclarations.Keyword(type) is not { } declaration
                || TypeDeclarations.ContainingDeclarations(type, _cancellationToken) is not { } containing
                || ReadProperties(type, attribute, out var constructorArguments) is not { } properties)
            {
                return null;
            }

            var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            return new JsonRecordSpec(TypeDeclarations.HintName(type, ns, ".Json.g.cs"), ns, containing, declaration, type.Name,
                type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), properties, constructorArguments);
        }

        private ImmutableEquatableArray<JsonPropertySpec>? ReadProperties(INamedTypeSymbol type, AttributeData attribute,
            out ImmutableEquatableArray<string> constructorArguments)
        {
            constructorArguments = ImmutableEquatableArray<string>.Empty;
            if (RecordTypeRules.ClassProblem(type) is not null || !TypeDeclarations.IsPartial(type, _cancellationToken)
                || RecordTypeRules.HasAttribute(type, RecordTypeRules.AvroRecordAttributeName) // two formats: SG0017
                || RecordTypeRules.ChooseConstructor(type) is not { } constructor)
            {
                return null;
            }

            _checking.Add(type);
            var camelCase = NamedInt(attribute, "Naming") == 1;
            var byConstructor = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            var arguments = new List<string>();
            foreach (var parameter in constructor.Parameters)
            {
                byConstructor.Add(parameter.Name);
                arguments.Add(RecordTypeRules.FindProperty(type, parameter.Name)!.Name);
            }

            var properties = new List<JsonPropertySpec>();
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var member in type.GetMembers())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!RecordTypeRules.IsReadableProperty(member, out var property))
                {
                    continue;
                }

                var viaConstructor = byConstructor.Contains(property!.Name);
                if (!viaConstructor && RecordTypeRules.HasAttribute(property, RecordTypeRules.JsonIgnoreAttributeName))
                {
                    continue; // ignored, as System.Text.Json ignores it
                }

                // System.Text.Json writes a computed property too, and skips it when reading.
                var writeOnly = !viaConstructor && property.SetMethod is not { DeclaredAccessibility: Accessibility.Public };

                var jsonName = RecordTypeRules.JsonName(property, camelCase);
                if (!names.Add(jsonName) || MapType(property.Type) is not { } propertyType)
                {
                    return null;
                }

                properties.Add(new JsonPropertySpec(property.Name, jsonName, propertyType, viaConstructor, property.IsRequired, writeOnly));
            }

            constructorArguments = arguments.ToImmutableEquatableArray();
            return properties.ToImmutableEquatableArray();
        }

        private JsonTypeSpec? MapType(ITypeSymbol type)
        {
            type = RecordTypeRules.Unwrap(type, out var nullable);
            if (RecordTypeRules.Classify(type, RecordTypeRules.JsonRecordAttributeName, out var element, out _) is not { } kind)
            {
                return null;
            }

            JsonTypeSpec? elementSpec = null;
            if (element is not null && (elementSpec = MapType(element)) is null)
            {
                return null;
            }

            if (kind == FieldKind.Record && !IsEncodableMember((INamedTypeSymbol)type))
            {
                return null;
            }

            var name = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeNameFormat);
            return new JsonTypeSpec(kind, name, nullable, type.IsValueType, elementSpec);
        }

        /// <summary>A nested record is usable if its own generator run will emit its encoding.</summary>
        private bool IsEncodableMember(INamedTypeSymbol type)
        {
            if (_checking.Contains(type))
            {
                return true;
            }

            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == RecordTypeRules.JsonRecordAttributeName)
                {
                    return TypeDeclarations.Keyword(type) is not null
                        && TypeDeclarations.ContainingDeclarations(type, _cancellationToken) is not null
                        && ReadProperties(type, attribute, out _) is not null;
                }
            }

            return false;
        }

        private static int? NamedInt(AttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Value is int value)
                {
                    return value;
                }
            }

            return null;
        }
    }
}
