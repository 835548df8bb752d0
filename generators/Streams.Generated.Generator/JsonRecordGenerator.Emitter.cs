using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Streams.Generated.Generator.Helpers;
using static Streams.Generated.Generator.Helpers.GeneratedFile;
using Streams.Generated.Generator.Model;
using Streams.Generated.Shared;

namespace Streams.Generated.Generator;

public sealed partial class JsonRecordGenerator
{
    /// <summary>
    /// Writes the C# for one <see cref="JsonRecordSpec"/>: the pre-encoded property names and the
    /// <c>WriteJson</c>/<c>ReadJson</c> methods of <c>IJsonRecord&lt;T&gt;</c>.
    /// </summary>
    internal static class Emitter
    {
        private const string JsonNamespace = "global::Streams.Generated.Serialization.Json";
        private const string WriterType = "global::System.Text.Json.Utf8JsonWriter";

        public static void Emit(SourceProductionContext context, JsonRecordSpec spec) =>
            GeneratedFile.Add(context, spec.HintName, () => EmitSource(spec));

        public static string EmitSource(JsonRecordSpec spec)
        {
            var writer = new SourceWriter();
            GeneratedFile.OpenType(writer, spec.Namespace, spec.ContainingTypes, $"{spec.Declaration} {spec.Name} : {JsonNamespace}.IJsonRecord<{spec.FullyQualifiedName}>");
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                writer.WriteLine($"private static readonly global::System.Text.Json.JsonEncodedText {NameField(i)} = global::System.Text.Json.JsonEncodedText.Encode({Literal(spec.Properties[i].JsonName)});");
            }

            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine($"public static string JsonTypeName => {Literal(spec.FullyQualifiedName.Replace("global::", ""))};");
            writer.WriteLine();
            EmitWrite(writer, spec);
            writer.WriteLine();
            EmitRead(writer, spec);
            return GeneratedFile.CloseType(writer, spec.Namespace, spec.ContainingTypes);
        }

        private static void EmitWrite(SourceWriter writer, JsonRecordSpec spec)
        {
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine($"public static void WriteJson({WriterType} writer, {spec.FullyQualifiedName} value)");
            writer.OpenBlock();
            writer.WriteLine("writer.WriteStartObject();");
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                var property = spec.Properties[i];
                writer.OpenBlock();
                WriteValue(writer, property.Type, "value." + Identifier(property.MemberName), 0, NameField(i));
                writer.CloseBlock();
            }

            writer.WriteLine("writer.WriteEndObject();");
            writer.CloseBlock();
        }

        /// <summary>
        /// Writes <paramref name="expression"/>, as the value of property <paramref name="name"/> when given: a scalar in
        /// one call with its pre-encoded name (<c>WriteNumber(name, v)</c>), as System.Text.Json's generated code does.
        /// </summary>
        private static void WriteValue(SourceWriter writer, JsonTypeSpec type, string expression, int depth, string? name = null)
        {
            var local = "v" + depth.ToString(CultureInfo.InvariantCulture);
            writer.WriteLine($"var {local} = {expression};");
            if (type.Nullable || !type.IsValueType)
            {
                // System.Text.Json writes null for a null reference even where the type says non-nullable.
                writer.WriteLine($"if ({local} is null)");
                writer.OpenBlock();
                writer.WriteLine(name is null ? "writer.WriteNullValue();" : $"writer.WriteNull({name});");
                writer.CloseBlock();
                writer.WriteLine("else");
                writer.OpenBlock();
                WriteNonNull(writer, type, type.Nullable && type.IsValueType ? local + ".Value" : local, depth, name);
                writer.CloseBlock();
                return;
            }

            WriteNonNull(writer, type, local, depth, name);
        }

        private static void WriteNonNull(SourceWriter writer, JsonTypeSpec type, string value, int depth, string? name)
        {
            // Scalars with a name: one call. Everything else: the name, then the value.
            var prefix = name is null ? "" : name + ", ";
            var suffix = name is null ? "Value" : "";
            switch (type.Kind)
            {
                case FieldKind.Boolean: writer.WriteLine($"writer.WriteBoolean{suffix}({prefix}{value});"); return;
                case FieldKind.Int:
                case FieldKind.Long:
                case FieldKind.Float:
                case FieldKind.Double:
                case FieldKind.Decimal: writer.WriteLine($"writer.WriteNumber{suffix}({prefix}{value});"); return;
                case FieldKind.Enum: writer.WriteLine($"writer.WriteNumber{suffix}({prefix}(long){value});"); return;
                case FieldKind.String:
                case FieldKind.Uuid:
                case FieldKind.TimestampMillis:
                case FieldKind.TimestampMicros: writer.WriteLine($"writer.WriteString{suffix}({prefix}{value});"); return;
                case FieldKind.Bytes: writer.WriteLine($"writer.WriteBase64String{suffix}({prefix}{value});"); return;
            }

            if (name is not null)
            {
                writer.WriteLine($"writer.WritePropertyName({name});");
            }

            switch (type.Kind)
            {
                case FieldKind.Date: writer.WriteLine($"{JsonNamespace}.JsonValues.WriteDateOnly(writer, {value});"); break;
                case FieldKind.Record: writer.WriteLine($"{type.TypeName}.WriteJson(writer, {value});"); break;
                case FieldKind.Array:
                case FieldKind.List:
                    var item = "item" + depth.ToString(CultureInfo.InvariantCulture);
                    writer.WriteLine("writer.WriteStartArray();");
                    writer.WriteLine($"foreach (var {item} in {value})");
                    writer.OpenBlock();
                    WriteValue(writer, type.Element!, item, depth + 1);
                    writer.CloseBlock();
                    writer.WriteLine("writer.WriteEndArray();");
                    break;
                case FieldKind.Map:
                    var entry = "entry" + depth.ToString(CultureInfo.InvariantCulture);
                    writer.WriteLine("writer.WriteStartObject();");
                    writer.WriteLine($"foreach (var {entry} in {value})");
                    writer.OpenBlock();
                    writer.WriteLine($"writer.WritePropertyName({entry}.Key);");
                    WriteValue(writer, type.Element!, entry + ".Value", depth + 1);
                    writer.CloseBlock();
                    writer.WriteLine("writer.WriteEndObject();");
                    break;
            }
        }

        private static void EmitRead(SourceWriter writer, JsonRecordSpec spec)
        {
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine($"public static {spec.FullyQualifiedName} ReadJson(ref {JsonNamespace}.JsonRecordReader reader)");
            writer.OpenBlock();
            writer.WriteLine("reader.ExpectStartObject();");
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                var type = spec.Properties[i].Type;
                if (spec.Properties[i].WriteOnly)
                {
                    continue;
                }

                writer.WriteLine($"{DeclaredType(type)} {FieldLocal(i)} = default!;");
                if (NeedsPresence(spec.Properties[i]))
                {
                    writer.WriteLine($"var {HasLocal(i)} = false;");
                }
            }

            writer.WriteLine("while (reader.NextProperty())");
            writer.OpenBlock();
            var first = true;
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                var property = spec.Properties[i];
                if (property.WriteOnly)
                {
                    continue;
                }

                writer.WriteLine($"{(first ? "if" : "else if")} (reader.NameIs({Literal(property.JsonName)}u8))");
                first = false;
                writer.OpenBlock();
                writer.WriteLine($"reader.Field = {Literal(spec.Name + "." + property.JsonName)};");
                writer.WriteLine("reader.Next();");
                ReadValue(writer, property.Type, FieldLocal(i), 0);
                if (NeedsPresence(property))
                {
                    writer.WriteLine($"{HasLocal(i)} = true;");
                }
                writer.CloseBlock();
            }

            if (!first)
            {
                writer.WriteLine("else");
                writer.OpenBlock();
                writer.WriteLine("reader.SkipValue();");
                writer.CloseBlock();
            }
            else
            {
                writer.WriteLine("reader.SkipValue();");
            }

            writer.CloseBlock();
            writer.WriteLine("reader.Field = null;");
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                if (spec.Properties[i].IsRequired)
                {
                    writer.WriteLine($"if (!{HasLocal(i)}) reader.ThrowMissing({Literal(spec.Properties[i].JsonName)});");
                }
            }

            var arguments = new StringBuilder();
            foreach (var argument in spec.ConstructorArguments)
            {
                arguments.Append(arguments.Length == 0 ? "" : ", ").Append(FieldLocal(IndexOf(spec, argument)));
            }

            // A property missing from the JSON keeps the default its type gives it, as System.Text.Json leaves it:
            // read from a second instance, which is only created when something is missing.
            var initialized = false;
            foreach (var property in spec.Properties)
            {
                initialized |= !property.ViaConstructor && !property.WriteOnly && !property.IsRequired;
            }

            if (initialized)
            {
                writer.WriteLine($"{spec.FullyQualifiedName}? defaults = null;");
            }

            // The second instance sets the required members too (the compiler insists; they were all present).
            var requiredMembers = new StringBuilder();
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                if (spec.Properties[i].IsRequired && !spec.Properties[i].ViaConstructor)
                {
                    requiredMembers.Append(requiredMembers.Length == 0 ? " { " : ", ")
                        .Append(Identifier(spec.Properties[i].MemberName)).Append(" = ").Append(FieldLocal(i));
                }
            }

            var defaultsInstance = $"new {spec.FullyQualifiedName}({arguments})" + (requiredMembers.Length == 0 ? "" : requiredMembers + " }");
            writer.WriteLine($"return new {spec.FullyQualifiedName}({arguments})");
            writer.OpenBlock();
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                var property = spec.Properties[i];
                if (!property.ViaConstructor && !property.WriteOnly)
                {
                    var member = Identifier(property.MemberName);
                    writer.WriteLine(property.IsRequired
                        ? $"{member} = {FieldLocal(i)},"
                        : $"{member} = {HasLocal(i)} ? {FieldLocal(i)} : (defaults ??= {defaultsInstance}).{member},");
                }
            }

            writer.CloseBlock(";");
            writer.CloseBlock();
        }

        /// <summary>Reads the current token into the (declared) variable <paramref name="target"/>.</summary>
        private static void ReadValue(SourceWriter writer, JsonTypeSpec type, string target, int depth)
        {
            if (type.Nullable || !type.IsValueType)
            {
                writer.WriteLine("if (reader.IsNull)");
                writer.OpenBlock();
                writer.WriteLine($"{target} = null!;"); // System.Text.Json's default: null even into a non-nullable reference
                writer.CloseBlock();
                writer.WriteLine("else");
                writer.OpenBlock();
                ReadNonNull(writer, type, target, depth);
                writer.CloseBlock();
                return;
            }

            ReadNonNull(writer, type, target, depth);
        }

        private static void ReadNonNull(SourceWriter writer, JsonTypeSpec type, string target, int depth)
        {
            var suffix = depth.ToString(CultureInfo.InvariantCulture);
            switch (type.Kind)
            {
                case FieldKind.Boolean: writer.WriteLine($"{target} = reader.GetBoolean();"); break;
                case FieldKind.Int: writer.WriteLine($"{target} = reader.GetInt32();"); break;
                case FieldKind.Long: writer.WriteLine($"{target} = reader.GetInt64();"); break;
                case FieldKind.Float: writer.WriteLine($"{target} = reader.GetSingle();"); break;
                case FieldKind.Double: writer.WriteLine($"{target} = reader.GetDouble();"); break;
                case FieldKind.Decimal: writer.WriteLine($"{target} = reader.GetDecimal();"); break;
                case FieldKind.Enum: writer.WriteLine($"{target} = ({type.TypeName})reader.GetInt64();"); break;
                case FieldKind.String: writer.WriteLine($"{target} = reader.GetString();"); break;
                case FieldKind.Bytes: writer.WriteLine($"{target} = reader.GetBytes();"); break;
                case FieldKind.Uuid: writer.WriteLine($"{target} = reader.GetGuid();"); break;
                case FieldKind.Date: writer.WriteLine($"{target} = reader.GetDateOnly();"); break;
                case FieldKind.TimestampMillis:
                case FieldKind.TimestampMicros: writer.WriteLine($"{target} = reader.GetDateTimeOffset();"); break;
                case FieldKind.Record: writer.WriteLine($"{target} = {type.TypeName}.ReadJson(ref reader);"); break;
                case FieldKind.Array:
                case FieldKind.List:
                    var items = "items" + suffix;
                    var item = "item" + suffix;
                    writer.WriteLine("reader.ExpectStartArray();");
                    writer.WriteLine(type.Kind == FieldKind.Array
                        ? $"var {items} = new {JsonNamespace}.JsonArrayBuilder<{DeclaredType(type.Element!)}>();"
                        : $"var {items} = new {type.TypeName}();");
                    writer.WriteLine("while (reader.NextItem())");
                    writer.OpenBlock();
                    writer.WriteLine($"{DeclaredType(type.Element!)} {item};");
                    ReadValue(writer, type.Element!, item, depth + 1);
                    writer.WriteLine($"{items}.Add({item});");
                    writer.CloseBlock();
                    writer.WriteLine(type.Kind == FieldKind.Array ? $"{target} = {items}.ToArray();" : $"{target} = {items};");
                    break;
                case FieldKind.Map:
                    var map = "map" + suffix;
                    var key = "key" + suffix;
                    var value = "value" + suffix;
                    writer.WriteLine("reader.ExpectStartObject();");
                    writer.WriteLine($"var {map} = new {type.TypeName}();");
                    writer.WriteLine("while (reader.NextProperty())");
                    writer.OpenBlock();
                    writer.WriteLine($"var {key} = reader.PropertyName();");
                    writer.WriteLine("reader.Next();");
                    writer.WriteLine($"{DeclaredType(type.Element!)} {value};");
                    ReadValue(writer, type.Element!, value, depth + 1);
                    writer.WriteLine($"{map}[{key}] = {value};");
                    writer.CloseBlock();
                    writer.WriteLine($"{target} = {map};");
                    break;
            }
        }

        /// <summary>Whether reading tracks that the property was present: for a default to keep, or a required check.</summary>
        private static bool NeedsPresence(JsonPropertySpec property) => (!property.ViaConstructor && !property.WriteOnly) || property.IsRequired;

        private static string DeclaredType(JsonTypeSpec type) => type.TypeName + (type.Nullable ? "?" : "");

        private static int IndexOf(JsonRecordSpec spec, string member)
        {
            for (var i = 0; i < spec.Properties.Count; i++)
            {
                if (spec.Properties[i].MemberName == member)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string NameField(int index) => "__jsonName" + index.ToString(CultureInfo.InvariantCulture);

        private static string FieldLocal(int index) => "p" + index.ToString(CultureInfo.InvariantCulture);

        private static string HasLocal(int index) => "has" + index.ToString(CultureInfo.InvariantCulture);
    }
}
