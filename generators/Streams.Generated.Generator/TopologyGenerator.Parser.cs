using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Streams.Generated.Generator.Helpers;
using Streams.Generated.Generator.Model;

namespace Streams.Generated.Generator;

public sealed partial class TopologyGenerator
{
    /// <summary>
    /// Reads a <c>[Topology]</c> class into a symbol-free <see cref="TopologyDefinitionInput"/> and hands it to the
    /// <see cref="Planner"/>. Returns null for anything it cannot build: the analyzers report why, the generator stays
    /// silent (and never throws).
    /// </summary>
    internal sealed class Parser
    {
        private const string ProcessorAttributeName = "Streams.Generated.ProcessorAttribute";
        private const string CountAttributeName = "Streams.Generated.CountAttribute";
        private const string JoinAttributeName = "Streams.Generated.JoinAttribute";
        private const string ToAttributeName = "Streams.Generated.ToAttribute";
        private const string RecordContextName = "Streams.Generated.RecordContext";

        private static readonly SymbolDisplayFormat TypeNameFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat IdentityFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        private readonly INamedTypeSymbol _processorAttribute;
        private readonly INamedTypeSymbol _countAttribute;
        private readonly INamedTypeSymbol _toAttribute;
        private readonly INamedTypeSymbol _recordContext;
        private readonly INamedTypeSymbol? _punctuateAttribute; // null with a runtime older than punctuation: then no method has it
        private readonly INamedTypeSymbol? _joinAttribute; // null with a runtime older than joins: then no class has it
        private readonly Compilation _compilation;
        private readonly CancellationToken _cancellationToken;

        private Parser(INamedTypeSymbol processor, INamedTypeSymbol count, INamedTypeSymbol to, INamedTypeSymbol recordContext,
            Compilation compilation, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _processorAttribute = processor;
            _countAttribute = count;
            _toAttribute = to;
            _recordContext = recordContext;
            _punctuateAttribute = compilation.GetTypeByMetadataName(Shared.PunctuationRules.AttributeName);
            _joinAttribute = compilation.GetTypeByMetadataName(JoinAttributeName);
            _cancellationToken = cancellationToken;
        }

        /// <summary>The transform step: symbols in, equatable model (or null) out.</summary>
        public static TopologySpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            try
            {
                if (context.TargetSymbol is not INamedTypeSymbol topology || context.Attributes.Length != 1)
                {
                    return null;
                }

                var compilation = context.SemanticModel.Compilation;
                var processor = compilation.GetTypeByMetadataName(ProcessorAttributeName);
                var count = compilation.GetTypeByMetadataName(CountAttributeName);
                var to = compilation.GetTypeByMetadataName(ToAttributeName);
                var recordContext = compilation.GetTypeByMetadataName(RecordContextName);
                if (processor is null || count is null || to is null || recordContext is null)
                {
                    return null;
                }

                var input = new Parser(processor, count, to, recordContext, compilation, cancellationToken).Read(topology, context.Attributes[0]);
                return input is null ? null : Planner.Plan(input);
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

        private TopologyDefinitionInput? Read(INamedTypeSymbol topology, AttributeData attribute)
        {
            if (topology.TypeKind != TypeKind.Class || !topology.IsStatic || topology.IsGenericType || !TypeDeclarations.IsPartial(topology, _cancellationToken)
                || HasSyntaxErrors(topology))
            {
                return null;
            }

            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name)
            {
                return null;
            }

            if (TypeDeclarations.ContainingDeclarations(topology, _cancellationToken) is not { } containingTypes)
            {
                return null;
            }

            var nodes = new List<NodeInput>();
            foreach (var member in topology.GetTypeMembers())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var processor = Find(member, _processorAttribute);
                var count = Find(member, _countAttribute);
                var join = _joinAttribute is null ? null : Find(member, _joinAttribute);
                var kinds = (processor is null ? 0 : 1) + (count is null ? 0 : 1) + (join is null ? 0 : 1);
                if (kinds == 0)
                {
                    continue;
                }

                if (HasErrors(processor) || HasErrors(count) || HasErrors(join))
                {
                    return null;
                }

                var node = kinds > 1 ? null
                    : processor is not null ? ReadProcessor(member, processor)
                    : count is not null ? ReadCount(member, count)
                    : ReadJoin(member, join!);
                if (node is null)
                {
                    return null;
                }

                nodes.Add(node);
            }

            var ns = topology.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
            var hintName = TypeDeclarations.HintName(topology, ns, ".g.cs");
            return new TopologyDefinitionInput(hintName, ns, containingTypes, topology.Name,
                topology.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), name, nodes);
        }

        private NodeInput? ReadProcessor(INamedTypeSymbol type, AttributeData attribute)
        {
            if (!IsNodeClass(type) || NamedString(attribute, "From") is not { } from)
            {
                return null;
            }

            if (ReadServices(type) is not { } services || ReadProcess(type) is not { } process)
            {
                return null;
            }

            var outputs = new List<OutputInput>();
            var punctuators = new List<PunctuatorSpec>();
            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol method)
                {
                    continue;
                }

                var to = Find(method, _toAttribute);
                if (to is not null)
                {
                    if (HasErrors(to) || ReadOutput(method, to) is not { } output)
                    {
                        return null;
                    }

                    outputs.Add(output);
                }

                if (FindPunctuate(method) is { } punctuate)
                {
                    if (HasErrors(punctuate) || ReadPunctuator(method, punctuate, isOutput: to is not null) is not { } punctuator)
                    {
                        return null;
                    }

                    punctuators.Add(punctuator);
                }
            }

            return new NodeInput(type.Name, isCount: false, from, store: null, to: null, process, outputs, services,
                punctuators.ToImmutableEquatableArray(), IsDisposable(type));
        }

        /// <summary>Whether the class implements IDisposable: the task disposes it when it closes.</summary>
        private static bool IsDisposable(INamedTypeSymbol type)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (implemented.SpecialType == SpecialType.System_IDisposable)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The generated task creates a processor or join with <c>new T(services...)</c>: its constructor's parameters.</summary>
        private static ImmutableEquatableArray<ServiceSpec>? ReadServices(INamedTypeSymbol type)
        {
            if (Shared.ProcessorConstructorRules.Choose(type, out _, out _) is not { } constructor)
            {
                return null;
            }

            var services = new List<ServiceSpec>();
            foreach (var parameter in constructor.Parameters)
            {
                services.Add(new ServiceSpec(
                    parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(IdentityFormat),
                    parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " " + parameter.Name));
            }

            return services.ToImmutableEquatableArray();
        }

        private NodeInput? ReadJoin(INamedTypeSymbol type, AttributeData attribute)
        {
            if (!IsNodeClass(type) || NamedString(attribute, "From") is not { Length: > 0 } from || NamedString(attribute, "Table") is not { Length: > 0 } table
                || StoreName(attribute, type) is not { } store || NamedString(attribute, "To") is not { Length: > 0 } to
                || !Shared.JoinRules.IsDefinedKind(NamedConstant(attribute, "Kind") ?? 0, out var isLeft) || HasOutputsOrPunctuators(type)
                || ReadServices(type) is not { } services)
            {
                return null;
            }

            if (ReadNodeMethod(type, "Join", returnsValue: true, allowStatic: true) is not { Parameters: { Count: 2 or 3 } parameters } method
                || (isLeft && !parameters[parameters.Count - 1].AcceptsNull))
            {
                return null; // a left join passes null when the table has no value for the key
            }

            var left = parameters[parameters.Count - 2];
            var process = new ProcessInput(parameters.Count == 3 ? parameters[0] : null, left, method.TakesContext);
            var join = new JoinSpec(table, parameters[parameters.Count - 1], method.Returns!, isLeft, method.IsStatic);
            return new NodeInput(type.Name, isCount: false, from, store, to, process, [], services, ImmutableEquatableArray<PunctuatorSpec>.Empty,
                IsDisposable(type)) { Join = join };
        }

        private bool HasOutputsOrPunctuators(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && (Find(method, _toAttribute) is not null || FindPunctuate(method) is not null))
                {
                    return true;
                }
            }

            return false;
        }

        private NodeInput? ReadCount(INamedTypeSymbol type, AttributeData attribute)
        {
            if (!IsNodeClass(type) || NamedString(attribute, "From") is not { } from || StoreName(attribute, type) is not { } store)
            {
                return null;
            }

            if (HasOutputsOrPunctuators(type))
            {
                return null; // A count has no output methods and no punctuators.
            }

            if (!ReadWindow(attribute, out var window))
            {
                return null; // the analyzer reports the invalid window
            }

            return new NodeInput(type.Name, isCount: true, from, store, NamedString(attribute, "To"), process: null, [],
                ImmutableEquatableArray<ServiceSpec>.Empty, ImmutableEquatableArray<PunctuatorSpec>.Empty) { Window = window };
        }

        /// <summary>A count's <c>Window</c>, <c>Grace</c> and <c>Emit</c>: false when they are invalid (a grace or emit strategy without a window too).</summary>
        private static bool ReadWindow(AttributeData attribute, out WindowSpec? window)
        {
            window = null;
            var text = NamedString(attribute, "Window") ?? "";
            var graceText = NamedString(attribute, "Grace") ?? "";
            if (!Shared.WindowRules.IsDefinedEmit(NamedConstant(attribute, "Emit") ?? 0, out var emitFinal))
            {
                return false;
            }

            if (text.Length == 0)
            {
                return graceText.Length == 0 && !emitFinal;
            }

            long grace = 0;
            if (Shared.WindowRules.ParseWindow(text, out var size, out var advance) is not null
                || (graceText.Length > 0 && Shared.WindowRules.ParseGrace(graceText, out grace) is not null))
            {
                return false;
            }

            window = new WindowSpec(size, advance, grace, emitFinal, text.Trim());
            return true;
        }

        private ProcessInput? ReadProcess(INamedTypeSymbol type) =>
            ReadNodeMethod(type, "Process", returnsValue: false) is { Parameters: { Count: 1 or 2 } parameters } method
                ? new ProcessInput(parameters.Count == 2 ? parameters[0] : null, parameters[parameters.Count - 1], method.TakesContext)
                : null;

        /// <summary>
        /// The one ordinary method <paramref name="name"/> the task calls (<c>Process</c>, <c>Join</c>): an accessible,
        /// non-generic, synchronous instance (or, where allowed, static) method, returning void or a value as asked, whose parameters are passed by
        /// value, with an optional trailing <c>in RecordContext</c>. Null when there is none, more than one, or an invalid
        /// one: the analyzer reports it.
        /// </summary>
        private NodeMethod? ReadNodeMethod(INamedTypeSymbol type, string name, bool returnsValue, bool allowStatic = false)
        {
            NodeMethod? chosen = null;
            foreach (var member in type.GetMembers(name))
            {
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    continue;
                }

                if (chosen is not null || (method.IsStatic && !allowStatic) || method.ReturnsVoid == returnsValue || method.IsGenericMethod || method.IsAsync
                    || !IsAccessibleInAssembly(method.DeclaredAccessibility))
                {
                    return null;
                }

                var parameters = method.Parameters;
                var count = parameters.Length;
                var takesContext = false;
                if (count > 0 && SymbolEqualityComparer.Default.Equals(parameters[count - 1].Type, _recordContext))
                {
                    if (parameters[count - 1].RefKind != RefKind.In)
                    {
                        return null;
                    }

                    takesContext = true;
                    count--;
                }

                var types = new List<TypeRef>();
                for (var i = 0; i < count; i++)
                {
                    if (parameters[i].RefKind != RefKind.None || parameters[i].IsParams
                        || SymbolEqualityComparer.Default.Equals(parameters[i].Type, _recordContext) || CreateTypeRef(parameters[i].Type) is not { } parameterType)
                    {
                        return null;
                    }

                    types.Add(parameterType);
                }

                TypeRef? returns = null;
                if (returnsValue && (method.ReturnsByRef || method.ReturnsByRefReadonly || (returns = CreateTypeRef(method.ReturnType)) is null))
                {
                    return null;
                }

                chosen = new NodeMethod(types, takesContext, returns, method.IsStatic);
            }

            return chosen;
        }

        /// <summary>A <c>Process</c> or <c>Join</c> method: its parameter types (without the context), and what it returns.</summary>
        private sealed class NodeMethod(List<TypeRef> parameters, bool takesContext, TypeRef? returns, bool isStatic)
        {
            public bool IsStatic { get; } = isStatic;
            public List<TypeRef> Parameters { get; } = parameters;
            public bool TakesContext { get; } = takesContext;
            public TypeRef? Returns { get; } = returns;
        }

        private OutputInput? ReadOutput(IMethodSymbol method, AttributeData to)
        {
            if (!method.IsPartialDefinition || method.PartialImplementationPart is not null || !method.ReturnsVoid
                || method.IsGenericMethod || method.IsStatic || method.Parameters.Length is not (1 or 2)
                || to.ConstructorArguments.Length != 1 || to.ConstructorArguments[0].Value is not string target)
            {
                return null;
            }

            var parameters = new List<ParameterSpec>();
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None || parameter.IsParams || parameter.HasExplicitDefaultValue
                    || CreateTypeRef(parameter.Type) is not { } type)
                {
                    return null;
                }

                parameters.Add(new ParameterSpec(GeneratedFile.Identifier(parameter.Name), type));
            }

            if (DeclaredModifiers(method) is not { } modifiers)
            {
                return null;
            }

            return parameters.Count == 2
                ? new OutputInput(method.Name, modifiers, parameters[0], parameters[1], target)
                : new OutputInput(method.Name, modifiers, null, parameters[0], target);
        }

        private AttributeData? FindPunctuate(IMethodSymbol method) => _punctuateAttribute is null ? null : Find(method, _punctuateAttribute);

        /// <summary>A <c>[Punctuate(interval, type)]</c> method, or null where SG0018 applies.</summary>
        private static PunctuatorSpec? ReadPunctuator(IMethodSymbol method, AttributeData punctuate, bool isOutput)
        {
            if (Shared.PunctuationRules.CheckMethod(method, isOutput) is not null || punctuate.ConstructorArguments.Length != 2
                || Shared.PunctuationRules.ParseInterval(punctuate.ConstructorArguments[0].Value as string, out var milliseconds) is not null
                || !Shared.PunctuationRules.IsDefinedType(punctuate.ConstructorArguments[1].Value, out var wallClockTime))
            {
                return null;
            }

            return new PunctuatorSpec(method.Name, milliseconds, wallClockTime);
        }

        /// <summary>The modifiers of the defining declaration, without <c>partial</c> (the implementation repeats them).</summary>
        private string? DeclaredModifiers(IMethodSymbol method)
        {
            if (method.DeclaringSyntaxReferences.Length != 1
                || method.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) is not MethodDeclarationSyntax syntax)
            {
                return null;
            }

            var modifiers = new StringBuilder();
            foreach (var modifier in syntax.Modifiers)
            {
                if (modifier.IsKind(SyntaxKind.PartialKeyword))
                {
                    continue;
                }

                if (modifier.IsKind(SyntaxKind.ExternKeyword) || modifier.IsKind(SyntaxKind.AsyncKeyword))
                {
                    return null;
                }

                modifiers.Append(modifier.Text).Append(' ');
            }

            return modifiers.ToString().TrimEnd();
        }

        /// <summary>
        /// A parse error anywhere in the topology's declarations (a half-typed member, as in an editor): the model could
        /// be built from what the parser recovered, but the code would be generated for something the user did not write.
        /// </summary>
        private bool HasSyntaxErrors(INamedTypeSymbol topology)
        {
            foreach (var reference in topology.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(_cancellationToken);
                if (syntax.ContainsDiagnostics && ContainsError(syntax.GetDiagnostics()))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// An attribute whose arguments do not bind: <c>nameof(Missing)</c> still yields the constant "Missing", which
        /// must not become a topic name.
        /// </summary>
        private bool HasErrors(AttributeData? attribute)
        {
            if (attribute?.ApplicationSyntaxReference is not { } reference)
            {
                return false;
            }

            var model = _compilation.GetSemanticModel(reference.SyntaxTree);
            return ContainsError(model.GetDiagnostics(reference.Span, _cancellationToken));
        }

        private static bool ContainsError(IEnumerable<Diagnostic> diagnostics)
        {
            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsNodeClass(INamedTypeSymbol type) =>
            type.TypeKind == TypeKind.Class && !type.IsStatic && !type.IsAbstract && !type.IsGenericType && TypeDeclarations.IsPartial(type, _cancellationToken);

        private static AttributeData? Find(ISymbol symbol, INamedTypeSymbol attributeType)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return attribute;
                }
            }

            return null;
        }

        /// <summary>A count's or join's <c>Store</c>; the node's name when it is not given (Kafka Streams names an unnamed store itself).</summary>
        private static string? StoreName(AttributeData attribute, INamedTypeSymbol node)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Store")
                {
                    return NamedString(attribute, "Store");
                }
            }

            return node.Name;
        }

        /// <summary>The value of a named argument (an enum's is its number), or null when it is not given.</summary>
        private static object? NamedConstant(AttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value.Value;
                }
            }

            return null;
        }

        private static string? NamedString(AttributeData attribute, string name)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value.Kind == TypedConstantKind.Error ? null : argument.Value.Value as string;
                }
            }

            return null;
        }

        private static bool IsAccessibleInAssembly(Accessibility accessibility) =>
            accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

        /// <summary>
        /// The name-only view of a type, or null for a type the generated code cannot use: an error type, a type
        /// parameter, a pointer, a ref struct (it could not be remembered in a field), or a type less accessible than
        /// the assembly (it could not appear in the generated task's internal methods).
        /// </summary>
        internal static TypeRef? CreateTypeRef(ITypeSymbol type)
        {
            if (!Shared.NodeTypeRules.IsUsable(type, out _))
            {
                return null;
            }

            TypeNullability nullability;
            ITypeSymbol underlying = type;
            string nonNullableName;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                nullability = TypeNullability.NullableValue;
                underlying = nullable.TypeArguments[0];
                nonNullableName = underlying.ToDisplayString(TypeNameFormat);
            }
            else if (type.IsValueType)
            {
                nullability = TypeNullability.NotNullValue;
                nonNullableName = type.ToDisplayString(TypeNameFormat);
            }
            else
            {
                nullability = type.NullableAnnotation switch
                {
                    NullableAnnotation.Annotated => TypeNullability.NullableReference,
                    NullableAnnotation.NotAnnotated => TypeNullability.NotNullReference,
                    _ => TypeNullability.ObliviousReference,
                };
                nonNullableName = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeNameFormat);
            }

            var serde = underlying.SpecialType switch
            {
                SpecialType.System_String => SerdeKind.String,
                SpecialType.System_Int32 => SerdeKind.Int32,
                SpecialType.System_Int64 => SerdeKind.Int64,
                SpecialType.System_Double => SerdeKind.Double,
                SpecialType.System_Boolean => SerdeKind.Boolean,
                SpecialType.System_Int16 => SerdeKind.Int16,
                SpecialType.System_Single => SerdeKind.Single,
                _ => underlying is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte } ? SerdeKind.ByteArray
                    : underlying.ToDisplayString(IdentityFormat) switch
                    {
                        "global::System.Guid" => SerdeKind.Guid,
                        "global::System.ReadOnlyMemory<byte>" => SerdeKind.ByteMemory,
                        _ => underlying is not INamedTypeSymbol named ? SerdeKind.None
                            : RecordSerde(named),
                    },
            };

            if (nullability == TypeNullability.NotNullValue && type is INamedTypeSymbol { TypeArguments.Length: 1 } generic
                && generic.OriginalDefinition.ToDisplayString(IdentityFormat) == "global::Streams.Generated.Windowed<TKey>")
            {
                return CreateTypeRef(generic.TypeArguments[0]) is { } windowedKey ? TypeRef.Windowed(windowedKey.WithoutNullability()) : null;
            }

            return new TypeRef(type.ToDisplayString(TypeNameFormat), nonNullableName, type.ToDisplayString(IdentityFormat), nullability, serde);
        }

        /// <summary>The generated serde of a type of the user's: exactly one of [AvroRecord] and [JsonRecord], and encodable.</summary>
        private static SerdeKind RecordSerde(INamedTypeSymbol type)
        {
            var avro = Shared.RecordTypeRules.HasAttribute(type, Shared.RecordTypeRules.AvroRecordAttributeName);
            var json = Shared.RecordTypeRules.HasAttribute(type, Shared.RecordTypeRules.JsonRecordAttributeName);
            return avro && !json && AvroRecordGenerator.Parser.CanEncode(type) ? SerdeKind.Avro
                : json && !avro && JsonRecordGenerator.Parser.CanEncode(type) ? SerdeKind.Json
                : SerdeKind.None;
        }
    }
}
