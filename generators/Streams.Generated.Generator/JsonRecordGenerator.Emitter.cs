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
    /// Writes the C# for one <see cref="JsonRecordSpec"/>: the <c>WriteJson</c>/<c>ReadJson</c> methods of
    /// <c>IJsonRecord&lt;T&gt;</c>. <c>WriteJson</c> copies each property's punctuation and name as one UTF-8 literal and
    /// has <c>JsonRecordWriter</c> format the value after it.
    /// </summary>
    internal static class Emitter
    {
        private const string JsonNamespace = "global::Streams.Generated.Serialization.Json";
        private const string WriterType = JsonNamespace + ".JsonRecordWriter";

        public static void Emit(SourceProductionContext context, JsonRecordSpec spec) =>
            GeneratedFile.Add(context, spec.HintName, () => EmitSource(spec));

        public static string EmitSource(JsonRecordSpec spec)
        {
            var writer = new SourceWriter();
            GeneratedFile.OpenType(writer, spec.Namespace, spec.ContainingTypes, $"{spec.Declaration} {spec.Name} : {JsonNamespace}.IJsonRecord<{spec.FullyQualifiedName}>");
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
            writer.WriteLine($"public static void WriteJson(ref {WriterType} writer, {spec.FullyQualifiedName} value)");
            writer.OpenBlock();
            if (spec.Properties.Count == 0)
            {
                writer.WriteLine("writer.WriteLiteral(\"{}\"u8);");
            }

            for (var i = 0; i < spec.Properties.Count; i++)
            {
                // The punctuation and the name are known now: one literal copy at run time ({"id": or ,"name":).
                var property = spec.Properties[i];
                var punctuation = i == 0 ? "{" : ",";
                if (NeedsNoEscaping(property.JsonName))
                {
                    writer.WriteLine($"writer.WriteLiteral({Utf8Literal(punctuation + "\"" + property.JsonName + "\":")});");
                }
                else
                {
                    // Rare: escaped at run time, by the writer's escaping, so that there is one copy of those rules.
                    writer.WriteLine($"writer.WriteLiteral({Utf8Literal(punctuation)});");
                    writer.WriteLine($"writer.WritePropertyName({Literal(property.JsonName)});");
                }

                WriteValue(writer, property.Type, "value." + Identifier(property.MemberName), 0);
            }

            if (spec.Properties.Count > 0)
            {
                writer.WriteLine("writer.WriteLiteral(\"}\"u8);");
            }

            writer.CloseBlock();
        }

        /// <summary>Writes the value of <paramref name="expression"/> (evaluated once).</summary>
        private static void WriteValue(SourceWriter writer, JsonTypeSpec type, string expression, int depth)
        {
            if (!type.Nullable && type.IsValueType)
            {
                WriteNonNull(writer, type, expression, depth);
                return;
            }

            // System.Text.Json writes null for a null reference even where the type says non-nullable.
            var local = "v" + depth.ToString(CultureInfo.InvariantCulture);
            writer.OpenBlock();
            writer.WriteLine($"var {local} = {expression};");
            writer.WriteLine($"if ({local} is null)");
            writer.OpenBlock();
            writer.WriteLine("writer.WriteNull();");
            writer.CloseBlock();
            writer.WriteLine("else");
            writer.OpenBlock();
            WriteNonNull(writer, type, type.IsValueType ? local + ".Value" : local, depth);
            writer.CloseBlock();
            writer.CloseBlock();
        }

        private static void WriteNonNull(SourceWriter writer, JsonTypeSpec type, string value, int depth)
        {
            var suffix = depth.ToString(CultureInfo.InvariantCulture);
            switch (type.Kind)
            {
                case FieldKind.Boolean: writer.WriteLine($"writer.WriteBoolean({value});"); break;
                case FieldKind.Int:
                case FieldKind.Long:
                case FieldKind.Float:
                case FieldKind.Double:
                case FieldKind.Decimal: writer.WriteLine($"writer.WriteNumber({value});"); break;
                case FieldKind.Enum: writer.WriteLine($"writer.WriteNumber((long){value});"); break;
                case FieldKind.String:
                case FieldKind.Uuid:
                case FieldKind.Date:
                case FieldKind.TimestampMillis:
                case FieldKind.TimestampMicros: writer.WriteLine($"writer.WriteString({value});"); break;
                case FieldKind.Bytes: writer.WriteLine($"writer.WriteBase64String({value});"); break;
                case FieldKind.Record: writer.WriteLine($"{type.TypeName}.WriteJson(ref writer, {value});"); break;
                case FieldKind.Array:
                case FieldKind.List:
                    // Indexed rather than foreach: no enumerator, and the array's bounds checks go away.
                    var index = "i" + suffix;
                    writer.WriteLine("writer.WriteLiteral(\"[\"u8);");
                    writer.WriteLine($"for (var {index} = 0; {index} < {value}.{(type.Kind == FieldKind.Array ? "Length" : "Count")}; {index}++)");
                    writer.OpenBlock();
                    writer.WriteLine($"if ({index} != 0) writer.WriteLiteral(\",\"u8);");
                    WriteValue(writer, type.Element!, $"{value}[{index}]", depth + 1);
                    writer.CloseBlock();
                    writer.WriteLine("writer.WriteLiteral(\"]\"u8);");
                    break;
                case FieldKind.Map:
                    var entry = "entry" + suffix;
                    var first = "first" + suffix;
                    writer.WriteLine("writer.WriteLiteral(\"{\"u8);");
                    writer.WriteLine($"var {first} = true;");
                    writer.WriteLine($"foreach (var {entry} in {value})");
                    writer.OpenBlock();
                    writer.WriteLine($"if ({first}) {first} = false; else writer.WriteLiteral(\",\"u8);");
                    writer.WriteLine($"writer.WritePropertyName({entry}.Key);");
                    WriteValue(writer, type.Element!, entry + ".Value", depth + 1);
                    writer.CloseBlock();
                    writer.WriteLine("writer.WriteLiteral(\"}\"u8);");
                    break;
            }
        }

        /// <summary>
        /// Whether System.Text.Json writes <paramref name="name"/> as it is: printable ASCII other than the characters its
        /// default encoder escapes (<c>" &amp; ' + &lt; &gt; ` \</c>).
        /// </summary>
        private static bool NeedsNoEscaping(string name)
        {
            foreach (var c in name)
            {
                if (c < ' ' || c > '~' || "\"&'+<>`\\".IndexOf(c) >= 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static string Utf8Literal(string ascii) => Literal(ascii) + "u8";

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

        private static string FieldLocal(int index) => "p" + index.ToString(CultureInfo.InvariantCulture);

        private static string HasLocal(int index) => "has" + index.ToString(CultureInfo.InvariantCulture);
    }
}
