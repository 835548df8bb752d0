using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Streams.Generated.Generator.Helpers;
using Streams.Generated.Generator.Model;
using Streams.Generated.Shared;

namespace Streams.Generated.Generator;

public sealed partial class AvroRecordGenerator
{
    /// <summary>
    /// Reads an <c>[AvroRecord]</c> type into a symbol-free <see cref="AvroRecordSpec"/>, building its schema on the way.
    /// Returns null for anything it cannot encode (the analyzers report why); never throws.
    /// </summary>
    internal sealed class Parser
    {
        // Nullable annotations of type arguments matter (List<string?>); the top-level one is stripped before display.
        private static readonly SymbolDisplayFormat TypeNameFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat DefinitionFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        private readonly INamedTypeSymbol _avroRecordAttribute;
        private readonly INamedTypeSymbol? _avroFieldAttribute;
        private readonly CancellationToken _cancellationToken;

        // Named Avro types already defined in the schema being built: later uses refer to them by full name.
        private readonly HashSet<string> _definedNames = new(System.StringComparer.Ordinal);

        private Parser(INamedTypeSymbol avroRecord, INamedTypeSymbol? avroField, CancellationToken cancellationToken)
        {
            _avroRecordAttribute = avroRecord;
            _avroFieldAttribute = avroField;
            _cancellationToken = cancellationToken;
        }

        public static AvroRecordSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            try
            {
                if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length != 1
                    || context.Attributes[0].AttributeClass is not { } attributeClass)
                {
                    return null;
                }

                var compilation = context.SemanticModel.Compilation;
                var parser = new Parser(attributeClass, compilation.GetTypeByMetadataName(RecordTypeRules.AvroFieldAttributeName), cancellationToken);
                return parser.Read(type);
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

        /// <summary>
        /// True when <paramref name="type"/> is marked <c>[AvroRecord]</c> and this generator emits its encoding, so a
        /// topology may use <c>AvroSerde&lt;T&gt;</c> for it.
        /// </summary>
        public static bool CanEncode(INamedTypeSymbol type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass is { } attributeClass && attributeClass.ToDisplayString() == AvroRecordAttributeName)
                {
                    var field = attributeClass.ContainingAssembly.GetTypeByMetadataName(RecordTypeRules.AvroFieldAttributeName);
                    return new Parser(attributeClass, field, CancellationToken.None).Read(type) is not null;
                }
            }

            return false;
        }

        private AvroRecordSpec? Read(INamedTypeSymbol type)
        {
            if (RecordTypeRules.ClassProblem(type) is not null || !TypeDeclarations.IsPartial(type, _cancellationToken)
                || RecordTypeRules.HasAttribute(type, RecordTypeRules.JsonRecordAttributeName) // two formats: SG0017
                || TypeDeclarations.Keyword(type) is not { } declaration
                || TypeDeclarations.ContainingDeclarations(type, _cancellationToken) is not { } containing)
            {
                return null;
            }

            var schema = new StringBuilder();
            var fields = ReadRecord(type, schema, out var constructorArguments);
            if (fields is null)
            {
                return null;
            }

            var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            var hintName = TypeDeclarations.HintName(type, ns, ".Avro.g.cs");
            return new AvroRecordSpec(hintName, ns, containing, declaration, type.Name, type.ToDisplayString(DefinitionFormat),
                FullName(type), schema.ToString(), fields, constructorArguments);
        }

        /// <summary>Writes the record's schema into <paramref name="schema"/> and returns its fields.</summary>
        private ImmutableEquatableArray<AvroFieldSpec>? ReadRecord(INamedTypeSymbol type, StringBuilder schema,
            out ImmutableEquatableArray<string> constructorArguments)
        {
            constructorArguments = ImmutableEquatableArray<string>.Empty;
            if (!RecordTypeRules.IsAvroName(RecordName(type)) || (Namespace(type) is { } declaredNamespace && !RecordTypeRules.IsAvroNamespace(declaredNamespace)))
            {
                return null;
            }

            _definedNames.Add(FullName(type));

            var properties = new List<IPropertySymbol>();
            foreach (var member in type.GetMembers())
            {
                if (RecordTypeRules.IsReadableProperty(member, out var property))
                {
                    properties.Add(property!);
                }
            }

            var constructor = RecordTypeRules.ChooseConstructor(type);
            if (constructor is null)
            {
                return null;
            }

            var byConstructor = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            var arguments = new List<string>();
            foreach (var parameter in constructor.Parameters)
            {
                byConstructor.Add(parameter.Name);
            }

            schema.Append("{\"type\":\"record\",\"name\":").Append(Quote(RecordName(type)));
            if (Namespace(type) is { } ns)
            {
                schema.Append(",\"namespace\":").Append(Quote(ns));
            }

            schema.Append(",\"fields\":[");
            var fields = new List<AvroFieldSpec>();
            var avroNames = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var property in properties)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var viaConstructor = byConstructor.Contains(property.Name);
                var settable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                if (!viaConstructor && !settable)
                {
                    continue; // computed: nothing to restore it into
                }

                var fieldAttribute = FindFieldAttribute(property);
                var avroName = NamedString(fieldAttribute, "Name") ?? property.Name;
                if (!RecordTypeRules.IsAvroName(avroName) || !avroNames.Add(avroName))
                {
                    return null;
                }

                if (fields.Count > 0)
                {
                    schema.Append(',');
                }

                schema.Append("{\"name\":").Append(Quote(avroName)).Append(",\"type\":");
                var fieldType = MapType(property.Type, fieldAttribute, schema);
                if (fieldType is null)
                {
                    return null;
                }

                string? defaultValue = null;
                if (fieldType.Nullable)
                {
                    schema.Append(",\"default\":null");
                }
                else if (viaConstructor && ConstantDefault(constructor, property.Name, fieldType) is { } constant)
                {
                    schema.Append(",\"default\":").Append(constant.Json);
                    defaultValue = constant.CSharp;
                }

                schema.Append('}');
                fields.Add(new AvroFieldSpec(property.Name, avroName, fieldType, viaConstructor, defaultValue));
            }

            schema.Append("]}");
            foreach (var parameter in constructor.Parameters)
            {
                arguments.Add(RecordTypeRules.FindProperty(type, parameter.Name)!.Name);
            }

            constructorArguments = arguments.ToImmutableEquatableArray();
            return fields.ToImmutableEquatableArray();
        }

        /// <summary>
        /// The constant default of the constructor parameter that sets a field, as Avro JSON and as C#, for the
        /// primitive types whose default Avro can state; null otherwise.
        /// </summary>
        private static (string Json, string CSharp)? ConstantDefault(IMethodSymbol constructor, string property, AvroTypeSpec type)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (!string.Equals(parameter.Name, property, System.StringComparison.OrdinalIgnoreCase) || !parameter.HasExplicitDefaultValue)
                {
                    continue;
                }

                var value = parameter.ExplicitDefaultValue;
                switch (type.Kind)
                {
                    case FieldKind.Boolean when value is bool b:
                        return (b ? "true" : "false", b ? "true" : "false");
                    case FieldKind.Int or FieldKind.Long when value is int or long:
                        var integer = System.Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                        return (integer, $"({type.TypeName})({integer})");
                    case FieldKind.Float or FieldKind.Double when value is float or double:
                        var real = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                        if (double.IsNaN(real) || double.IsInfinity(real))
                        {
                            return null;
                        }

                        var text = real.ToString("R", CultureInfo.InvariantCulture);
                        return (text, $"({type.TypeName})({text}d)");
                    case FieldKind.String when value is string s:
                        return (JsonString(s), SymbolDisplay.FormatLiteral(s, quote: true));
                }
            }

            return null;
        }

        private static string JsonString(string value)
        {
            var json = new StringBuilder("\"");
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': json.Append("\\\""); break;
                    case '\\': json.Append("\\\\"); break;
                    default:
                        if (c < 0x20)
                        {
                            json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            json.Append(c);
                        }

                        break;
                }
            }

            return json.Append('"').ToString();
        }

        /// <summary>Maps a member type to Avro and appends its schema; null when Avro cannot represent it here.</summary>
        private AvroTypeSpec? MapType(ITypeSymbol type, AttributeData? fieldAttribute, StringBuilder schema)
        {
            type = RecordTypeRules.Unwrap(type, out var nullable);
            if (nullable)
            {
                schema.Append("[\"null\",");
            }

            var spec = MapNonNullable(type, fieldAttribute, schema, nullable);
            if (nullable)
            {
                schema.Append(']');
            }

            return spec;
        }

        private AvroTypeSpec? MapNonNullable(ITypeSymbol type, AttributeData? fieldAttribute, StringBuilder schema, bool nullable)
        {
            if (RecordTypeRules.Classify(type, RecordTypeRules.AvroRecordAttributeName, out var element, out _) is not { } kind)
            {
                return null;
            }

            var name = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeNameFormat);
            var scale = 0;
            var precision = 0;
            var enumMembers = ImmutableEquatableArray<string>.Empty;
            AvroTypeSpec? elementSpec = null;
            switch (kind)
            {
                case FieldKind.Boolean: schema.Append("\"boolean\""); break;
                case FieldKind.Int: schema.Append("\"int\""); break;
                case FieldKind.Long: schema.Append("\"long\""); break;
                case FieldKind.Float: schema.Append("\"float\""); break;
                case FieldKind.Double: schema.Append("\"double\""); break;
                case FieldKind.String: schema.Append("\"string\""); break;
                case FieldKind.Bytes: schema.Append("\"bytes\""); break;
                case FieldKind.Uuid: schema.Append("{\"type\":\"string\",\"logicalType\":\"uuid\"}"); break;
                case FieldKind.Date: schema.Append("{\"type\":\"int\",\"logicalType\":\"date\"}"); break;
                case FieldKind.TimestampMillis:
                    if (NamedBool(fieldAttribute, "Micros"))
                    {
                        kind = FieldKind.TimestampMicros;
                        schema.Append("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}");
                    }
                    else
                    {
                        schema.Append("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}");
                    }

                    break;
                case FieldKind.Decimal:
                    precision = NamedInt(fieldAttribute, "Precision") ?? 28;
                    scale = NamedInt(fieldAttribute, "Scale") ?? 8;
                    if (RecordTypeRules.DecimalProblem(precision, scale) is not null)
                    {
                        return null;
                    }

                    schema.Append("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":")
                        .Append(precision.ToString(CultureInfo.InvariantCulture))
                        .Append(",\"scale\":").Append(scale.ToString(CultureInfo.InvariantCulture)).Append('}');
                    break;
                case FieldKind.Enum:
                    enumMembers = Enum((INamedTypeSymbol)type, name, schema);
                    break;
                case FieldKind.Record:
                    var named = (INamedTypeSymbol)type;
                    var fullName = FullName(named);
                    if (_definedNames.Contains(fullName))
                    {
                        schema.Append(Quote(fullName));
                    }
                    else if (RecordTypeRules.ClassProblem(named) is not null || ReadRecord(named, schema, out _) is null)
                    {
                        return null;
                    }

                    break;
                case FieldKind.Array:
                case FieldKind.List:
                case FieldKind.Map:
                    schema.Append(kind == FieldKind.Map ? "{\"type\":\"map\",\"values\":" : "{\"type\":\"array\",\"items\":");
                    elementSpec = MapType(element!, fieldAttribute, schema);
                    if (elementSpec is null)
                    {
                        return null;
                    }

                    schema.Append('}');
                    break;
            }

            return new AvroTypeSpec(kind, name, nullable, type.IsValueType, elementSpec, enumMembers, scale, precision);
        }

        /// <summary>Appends an enum's schema (or its name, once defined); returns its members in symbol order.</summary>
        private ImmutableEquatableArray<string> Enum(INamedTypeSymbol enumType, string name, StringBuilder schema)
        {
            var members = new List<string>();
            var symbols = new StringBuilder();
            foreach (var member in enumType.GetMembers())
            {
                if (member is IFieldSymbol { IsConst: true } field)
                {
                    symbols.Append(members.Count == 0 ? "" : ",").Append(Quote(field.Name));
                    members.Add(name + "." + field.Name);
                }
            }

            var fullName = FullName(enumType);
            if (!_definedNames.Add(fullName))
            {
                schema.Append(Quote(fullName));
            }
            else
            {
                schema.Append("{\"type\":\"enum\",\"name\":").Append(Quote(enumType.Name));
                if (Namespace(enumType) is { } ns)
                {
                    schema.Append(",\"namespace\":").Append(Quote(ns));
                }

                schema.Append(",\"symbols\":[").Append(symbols).Append("]}");
            }

            return members.ToImmutableEquatableArray();
        }

        private AttributeData? FindFieldAttribute(IPropertySymbol property)
        {
            foreach (var attribute in property.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _avroFieldAttribute))
                {
                    return attribute;
                }
            }

            return null;
        }

        private string FullName(INamedTypeSymbol type)
        {
            var ns = Namespace(type);
            return ns is null ? RecordName(type) : ns + "." + RecordName(type);
        }

        private string RecordName(INamedTypeSymbol type) =>
            type.TypeKind != TypeKind.Enum && RecordAttribute(type) is { } attribute && NamedString(attribute, "Name") is { } name ? name : type.Name;

        private string? Namespace(INamedTypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Enum && RecordAttribute(type) is { } attribute && NamedString(attribute, "Namespace") is { } ns)
            {
                return ns.Length == 0 ? null : ns;
            }

            return type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
        }

        private AttributeData? RecordAttribute(INamedTypeSymbol type)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _avroRecordAttribute))
                {
                    return attribute;
                }
            }

            return null;
        }

        private static string? NamedString(AttributeData? attribute, string name)
        {
            if (attribute is null)
            {
                return null;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Kind != TypedConstantKind.Error)
                {
                    return argument.Value.Value as string;
                }
            }

            return null;
        }

        private static int? NamedInt(AttributeData? attribute, string name)
        {
            if (attribute is null)
            {
                return null;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Value is int value)
                {
                    return value;
                }
            }

            return null;
        }

        private static bool NamedBool(AttributeData? attribute, string name)
        {
            if (attribute is null)
            {
                return false;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name && argument.Value.Value is bool value)
                {
                    return value;
                }
            }

            return false;
        }

        // Avro names and namespaces need no escaping beyond the quotes.
        private static string Quote(string value) => "\"" + value + "\"";
    }
}
