using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Streams.Generated.Generator.Helpers;
using static Streams.Generated.Generator.Helpers.GeneratedFile;
using Streams.Generated.Generator.Model;
using Streams.Generated.Shared;

namespace Streams.Generated.Generator;

public sealed partial class AvroRecordGenerator
{
    /// <summary>
    /// Writes the C# for one <see cref="AvroRecordSpec"/>: the schema constant and the <c>WriteAvro</c>/<c>ReadAvro</c>
    /// methods of <c>IAvroRecord&lt;T&gt;</c>, one straight-line call per field.
    /// </summary>
    internal static class Emitter
    {
        private const string AvroNamespace = "global::Streams.Generated.Serialization.Avro";

        public static void Emit(SourceProductionContext context, AvroRecordSpec spec) =>
            GeneratedFile.Add(context, spec.HintName, () => EmitSource(spec));

        public static string EmitSource(AvroRecordSpec spec)
        {
            var writer = new SourceWriter();
            GeneratedFile.OpenType(writer, spec.Namespace, spec.ContainingTypes, $"{spec.Declaration} {spec.Name} : {AvroNamespace}.IAvroRecord<{spec.FullyQualifiedName}>");
            writer.WriteLine($"/// <summary>The Avro schema of <see cref=\"{spec.Name}\"/>.</summary>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine($"public const string AvroSchemaJson = {Literal(spec.Schema)};");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine($"public static string AvroSchema => AvroSchemaJson;");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine($"public static string AvroFullName => {Literal(spec.AvroFullName)};");
            writer.WriteLine();
            EmitWrite(writer, spec);
            writer.WriteLine();
            EmitRead(writer, spec);
            writer.WriteLine();
            EmitReadResolved(writer, spec);
            return GeneratedFile.CloseType(writer, spec.Namespace, spec.ContainingTypes);
        }

        private static void EmitWrite(SourceWriter writer, AvroRecordSpec spec)
        {
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine($"public static void WriteAvro(ref {AvroNamespace}.AvroWriter writer, {spec.FullyQualifiedName} value)");
            writer.OpenBlock();
            foreach (var field in spec.Fields)
            {
                writer.OpenBlock(); // each field's locals in their own scope
                WriteValue(writer, spec, field.AvroName, field.Type, "value." + Identifier(field.MemberName), depth: 0);
                writer.CloseBlock();
            }

            writer.CloseBlock();
        }

        /// <summary>Writes the statements that encode <paramref name="expression"/> of <paramref name="type"/>.</summary>
        private static void WriteValue(SourceWriter writer, AvroRecordSpec spec, string field, AvroTypeSpec type, string expression, int depth)
        {
            var local = "v" + depth.ToString(CultureInfo.InvariantCulture);
            writer.WriteLine($"var {local} = {expression};");
            if (type.Nullable)
            {
                writer.WriteLine($"if ({local} is null)");
                writer.OpenBlock();
                writer.WriteLine("writer.WriteUnionIndex(0);");
                writer.CloseBlock();
                writer.WriteLine("else");
                writer.OpenBlock();
                writer.WriteLine("writer.WriteUnionIndex(1);");
                WriteNonNull(writer, spec, field, type, type.IsValueType ? local + ".Value" : local, depth);
                writer.CloseBlock();
                return;
            }

            if (!type.IsValueType)
            {
                writer.WriteLine($"if ({local} is null) {AvroNamespace}.AvroWriter.ThrowNull({Literal(spec.AvroFullName)}, {FieldName(spec, field)});");
            }

            WriteNonNull(writer, spec, field, type, local, depth);
        }

        private static void WriteNonNull(SourceWriter writer, AvroRecordSpec spec, string field, AvroTypeSpec type, string value, int depth)
        {
            switch (type.Kind)
            {
                case FieldKind.Boolean: writer.WriteLine($"writer.WriteBoolean({value});"); break;
                case FieldKind.Int: writer.WriteLine($"writer.WriteInt({value});"); break;
                case FieldKind.Long: writer.WriteLine($"writer.WriteLong({value});"); break;
                case FieldKind.Float: writer.WriteLine($"writer.WriteFloat({value});"); break;
                case FieldKind.Double: writer.WriteLine($"writer.WriteDouble({value});"); break;
                case FieldKind.String: writer.WriteLine($"writer.WriteString({value});"); break;
                case FieldKind.Bytes: writer.WriteLine($"writer.WriteBytes({value});"); break;
                case FieldKind.Decimal: writer.WriteLine($"writer.WriteDecimal({value}, {type.Precision.ToString(CultureInfo.InvariantCulture)}, {type.Scale.ToString(CultureInfo.InvariantCulture)});"); break;
                case FieldKind.Uuid: writer.WriteLine($"writer.WriteUuid({value});"); break;
                case FieldKind.Date: writer.WriteLine($"writer.WriteDate({value});"); break;
                case FieldKind.TimestampMillis: writer.WriteLine($"writer.WriteTimestampMillis({value});"); break;
                case FieldKind.TimestampMicros: writer.WriteLine($"writer.WriteTimestampMicros({value});"); break;
                case FieldKind.Record: writer.WriteLine($"{type.TypeName}.WriteAvro(ref writer, {value});"); break;
                case FieldKind.Enum:
                    writer.WriteLine($"writer.WriteEnum({value} switch");
                    writer.OpenBlock();
                    for (var i = 0; i < type.EnumMembers.Count; i++)
                    {
                        writer.WriteLine($"{type.EnumMembers[i]} => {i.ToString(CultureInfo.InvariantCulture)},");
                    }

                    writer.WriteLine($"_ => throw new global::System.InvalidOperationException(\"Cannot serialize {Escape(spec.AvroFullName)}: field {Escape(field)} holds \" + {value} + \", which is not a declared member of {Escape(type.TypeName)}.\"),");
                    writer.CloseBlock(");");
                    break;
                case FieldKind.Array:
                case FieldKind.List:
                case FieldKind.Map:
                    var count = type.Kind == FieldKind.Array ? ".Length" : ".Count";
                    var item = "item" + depth.ToString(CultureInfo.InvariantCulture);
                    writer.WriteLine($"if ({value}{count} > 0)");
                    writer.OpenBlock();
                    writer.WriteLine($"writer.WriteBlockCount({value}{count});");
                    writer.WriteLine($"foreach (var {item} in {value})");
                    writer.OpenBlock();
                    if (type.Kind == FieldKind.Map)
                    {
                        writer.WriteLine($"writer.WriteString({item}.Key);");
                        WriteValue(writer, spec, field, type.Element!, item + ".Value", depth + 1);
                    }
                    else
                    {
                        WriteValue(writer, spec, field, type.Element!, item, depth + 1);
                    }

                    writer.CloseBlock();
                    writer.CloseBlock();
                    writer.WriteLine("writer.WriteCollectionEnd();");
                    break;
            }
        }

        private static void EmitRead(SourceWriter writer, AvroRecordSpec spec)
        {
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine($"public static {spec.FullyQualifiedName} ReadAvro(ref {AvroNamespace}.AvroReader reader)");
            writer.OpenBlock();
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                ReadValue(writer, spec.Fields[i].Type, FieldLocal(i), FieldName(spec, spec.Fields[i].AvroName), depth: 0);
            }

            var arguments = new StringBuilder();
            foreach (var argument in spec.ConstructorArguments)
            {
                arguments.Append(arguments.Length == 0 ? "" : ", ").Append(FieldLocal(IndexOf(spec, argument)));
            }

            EmitConstruction(writer, spec, arguments.ToString());
            writer.CloseBlock();
        }

        /// <summary>
        /// Reads a value written with another schema version: every field starts at its default, then each step of the
        /// resolution reads a writer field into its reader field (resolving a nested record again) or skips it.
        /// </summary>
        private static void EmitReadResolved(SourceWriter writer, AvroRecordSpec spec)
        {
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine(GeneratedCodeAttribute);
            writer.WriteLine($"public static {spec.FullyQualifiedName} ReadAvroResolved(ref {AvroNamespace}.AvroReader reader, {AvroNamespace}.AvroResolution resolution)");
            writer.OpenBlock();
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                var field = spec.Fields[i];
                var type = field.Type.TypeName + (field.Type.Nullable ? "?" : "");
                writer.WriteLine($"{type} {FieldLocal(i)} = {(field.Type.Nullable ? "null" : field.DefaultValue ?? "default!")};");
            }

            writer.WriteLine("foreach (var step in resolution.Steps)");
            writer.OpenBlock();
            writer.WriteLine("switch (step.ReaderField)");
            writer.OpenBlock();
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                var field = spec.Fields[i];
                writer.WriteLine($"case {i.ToString(CultureInfo.InvariantCulture)}:");
                writer.OpenBlock();
                ReadValue(writer, field.Type, "read", FieldName(spec, field.AvroName), depth: 0, step: "step");
                writer.WriteLine($"{FieldLocal(i)} = read;");
                writer.WriteLine("break;");
                writer.CloseBlock();
            }

            writer.WriteLine("default:");
            writer.WriteLine("    step.Skip(ref reader); // a field this version no longer has");
            writer.WriteLine("    break;");
            writer.CloseBlock();
            writer.CloseBlock();

            var arguments = new StringBuilder();
            foreach (var argument in spec.ConstructorArguments)
            {
                arguments.Append(arguments.Length == 0 ? "" : ", ").Append(FieldLocal(IndexOf(spec, argument)));
            }

            EmitConstruction(writer, spec, arguments.ToString());
            writer.CloseBlock();
        }

        /// <summary>
        /// Declares <paramref name="target"/> and reads a value of <paramref name="type"/> into it. Every read is passed
        /// <paramref name="name"/> (the field's name as a literal) to name the field if it fails; a nested record names
        /// its own fields. With a resolution <paramref name="step"/> (the name of an <c>AvroResolutionStep</c> local),
        /// the field's leaf is read as the step says: a record through its nested resolution, an enum through the
        /// symbol map, a float or double promoted.
        /// </summary>
        private static void ReadValue(SourceWriter writer, AvroTypeSpec type, string target, string name, int depth, string? step = null)
        {
            if (type.Nullable)
            {
                writer.WriteLine($"{type.TypeName}? {target} = null;");
                writer.WriteLine(step is not null && depth == 0
                    ? $"if ({step}.WriterNotNull || reader.ReadUnionIndex(2, {name}) == 1)"
                    : $"if (reader.ReadUnionIndex(2, {name}) == 1)");
                writer.OpenBlock();
                var inner = target + "Value";
                ReadNonNull(writer, type, inner, name, depth, step);
                writer.WriteLine($"{target} = {inner};");
                writer.CloseBlock();
                return;
            }

            ReadNonNull(writer, type, target, name, depth, step);
        }

        private static void ReadNonNull(SourceWriter writer, AvroTypeSpec type, string target, string name, int depth, string? step)
        {
            switch (type.Kind)
            {
                case FieldKind.Boolean: writer.WriteLine($"var {target} = reader.ReadBoolean({name});"); break;
                case FieldKind.Int: writer.WriteLine($"var {target} = reader.ReadInt({name});"); break;
                case FieldKind.Long: writer.WriteLine($"var {target} = reader.ReadLong({name});"); break;
                case FieldKind.Float: writer.WriteLine($"var {target} = {(step is null ? "reader" : step)}.ReadFloat({(step is null ? "" : "ref reader, ")}{name});"); break;
                case FieldKind.Double: writer.WriteLine($"var {target} = {(step is null ? "reader" : step)}.ReadDouble({(step is null ? "" : "ref reader, ")}{name});"); break;
                case FieldKind.String: writer.WriteLine($"var {target} = reader.ReadString({name});"); break;
                case FieldKind.Bytes: writer.WriteLine($"var {target} = reader.ReadBytes({name});"); break;
                case FieldKind.Decimal: writer.WriteLine($"var {target} = reader.ReadDecimal({type.Scale.ToString(CultureInfo.InvariantCulture)}, {name});"); break;
                case FieldKind.Uuid: writer.WriteLine($"var {target} = reader.ReadUuid({name});"); break;
                case FieldKind.Date: writer.WriteLine($"var {target} = reader.ReadDate({name});"); break;
                case FieldKind.TimestampMillis: writer.WriteLine($"var {target} = reader.ReadTimestampMillis({name});"); break;
                case FieldKind.TimestampMicros: writer.WriteLine($"var {target} = reader.ReadTimestampMicros({name});"); break;
                case FieldKind.Record:
                    writer.WriteLine(step is null
                        ? $"var {target} = {type.TypeName}.ReadAvro(ref reader);"
                        : $"var {target} = {step}.Nested is null ? {type.TypeName}.ReadAvro(ref reader) : {type.TypeName}.ReadAvroResolved(ref reader, {step}.Nested);");
                    break;
                case FieldKind.Enum:
                    var symbols = type.EnumMembers.Count.ToString(CultureInfo.InvariantCulture);
                    writer.WriteLine($"var {target} = {(step is null ? $"reader.ReadEnum({symbols}, {name})" : $"{step}.ReadEnum(ref reader, {symbols}, {name})")} switch");
                    writer.OpenBlock();
                    for (var i = 0; i < type.EnumMembers.Count; i++)
                    {
                        writer.WriteLine($"{i.ToString(CultureInfo.InvariantCulture)} => {type.EnumMembers[i]},");
                    }

                    writer.WriteLine($"_ => default({type.TypeName}),"); // unreachable: ReadEnum checked the index
                    writer.CloseBlock(";");
                    break;
                case FieldKind.Array:
                case FieldKind.List:
                case FieldKind.Map:
                    ReadCollection(writer, type, target, name, depth, step);
                    break;
            }
        }

        private static void ReadCollection(SourceWriter writer, AvroTypeSpec type, string target, string name, int depth, string? step)
        {
            var suffix = depth.ToString(CultureInfo.InvariantCulture);
            var element = type.Element!;
            var elementType = element.TypeName + (element.Nullable ? "?" : "");
            var block = "block" + suffix;
            var item = "item" + suffix;
            var index = "i" + suffix;
            writer.WriteLine(type.Kind == FieldKind.Array
                ? $"var {target} = global::System.Array.Empty<{elementType}>();"
                : $"var {target} = new {type.TypeName}();");
            var size = type.Kind == FieldKind.Array ? target + ".Length" : target + ".Count";
            writer.WriteLine($"for (var {block} = reader.ReadBlockCount({name}); {block} != 0; {block} = reader.ReadBlockCount({size}, {name}))");
            writer.OpenBlock();
            var bound = block;
            if (type.Kind == FieldKind.Array)
            {
                // Items are stored through a span: an array of a non-sealed class checks each store's type, a span once.
                var items = "items" + suffix;
                writer.WriteLine($"global::System.Array.Resize(ref {target}, {target}.Length + {block});");
                writer.WriteLine($"var {items} = new global::System.Span<{elementType}>({target}, {target}.Length - {block}, {block});");
                bound = items + ".Length";
            }
            else
            {
                writer.WriteLine($"{target}.EnsureCapacity({target}.Count + {block});");
            }

            writer.WriteLine($"for (var {index} = 0; {index} < {bound}; {index}++)");
            writer.OpenBlock();
            if (type.Kind == FieldKind.Map)
            {
                writer.WriteLine($"var key{suffix} = reader.ReadString({name});");
            }

            ReadValue(writer, element, item, name, depth + 1, step);
            writer.WriteLine(type.Kind switch
            {
                FieldKind.Array => $"items{suffix}[{index}] = {item};",
                FieldKind.List => $"{target}.Add({item});",
                _ => $"{target}[key{suffix}] = {item};",
            });
            writer.CloseBlock();
            writer.CloseBlock();
        }

        /// <summary><c>return new T(arguments) { Member = fN, ... };</c>, the initializer only for members set outside the constructor.</summary>
        private static void EmitConstruction(SourceWriter writer, AvroRecordSpec spec, string arguments)
        {
            var initialized = false;
            foreach (var field in spec.Fields)
            {
                initialized |= !field.ViaConstructor;
            }

            if (!initialized)
            {
                writer.WriteLine($"return new {spec.FullyQualifiedName}({arguments});");
                return;
            }

            writer.WriteLine($"return new {spec.FullyQualifiedName}({arguments})");
            writer.OpenBlock();
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                if (!spec.Fields[i].ViaConstructor)
                {
                    writer.WriteLine($"{Identifier(spec.Fields[i].MemberName)} = {FieldLocal(i)},");
                }
            }

            writer.CloseBlock(";");
        }

        /// <summary>The record's name without its namespace: fields are named <c>Record.field</c> in errors.</summary>
        private static string RecordName(AvroRecordSpec spec) => spec.AvroFullName.Substring(spec.AvroFullName.LastIndexOf('.') + 1);

        /// <summary>The literal <c>"Record.field"</c> that names the field <paramref name="avroName"/> in errors.</summary>
        private static string FieldName(AvroRecordSpec spec, string avroName) => Literal(RecordName(spec) + "." + avroName);

        private static int IndexOf(AvroRecordSpec spec, string member)
        {
            for (var i = 0; i < spec.Fields.Count; i++)
            {
                if (spec.Fields[i].MemberName == member)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string FieldLocal(int index) => "f" + index.ToString(CultureInfo.InvariantCulture);

        private static string Escape(string value)
        {
            var literal = Literal(value);
            return literal.Substring(1, literal.Length - 2);
        }
    }
}
