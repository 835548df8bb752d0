using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Streams.Generated.Analyzers;

/// <summary>
/// Checks one [Topology] class: its shape (SG0001), its nodes' methods (SG0004, SG0006, SG0018; see the Punctuation
/// part), the windows of its counts (SG0019; see the Window part), references (SG0002), stores (SG0008), then the
/// connections: cycles (SG0009) and the types along every connection and at every topic (SG0003, SG0005; see the Flow
/// part).
/// </summary>
internal sealed partial class TopologyAnalysis(SymbolAnalysisContext context, KnownSymbols known, INamedTypeSymbol topology, AttributeData topologyAttribute)
{
    private readonly Dictionary<string, NodeModel> _nodes = new(System.StringComparer.Ordinal);
    private readonly List<NodeModel> _nodeList = [];

    private CancellationToken CancellationToken => context.CancellationToken;

    public void Run()
    {
        CheckTopologyClass();
        CollectNodes();
        foreach (var node in _nodeList)
        {
            if (node.IsCount)
            {
                ReadCount(node);
            }
            else
            {
                ReadProcessor(node);
            }
        }

        CheckStores();
        AnalyzeFlow();
    }

    private void Report(DiagnosticDescriptor descriptor, Location location, params object?[] args) =>
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, args));

    private void CheckTopologyClass()
    {
        var partial = SyntaxLocations.IsPartial(topology, CancellationToken);
        if (!partial || !topology.IsStatic)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.AddStaticProperty, "true");
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial,
                SyntaxLocations.TypeIdentifier(topology, topologyAttribute, CancellationToken), properties,
                "Topology class", topology.Name, "static partial"));
        }

        if (topology.Arity > 0)
        {
            Report(DiagnosticDescriptors.UnsupportedClass, SyntaxLocations.TypeIdentifier(topology, topologyAttribute, CancellationToken),
                "Topology class", topology.Name, "is generic; remove its type parameters (a topology is one fixed graph)");
        }

        // A nested topology is only extensible if every class around it is partial too.
        for (var container = topology.ContainingType; container is not null; container = container.ContainingType)
        {
            var location = SyntaxLocations.TypeIdentifier(container, null, CancellationToken);
            if (!SyntaxLocations.IsPartial(container, CancellationToken))
            {
                Report(DiagnosticDescriptors.NotPartial, location, "Class", container.Name, "partial");
            }

            if (container.Arity > 0)
            {
                Report(DiagnosticDescriptors.UnsupportedClass, location, "Type", container.Name,
                    $"contains topology '{topology.Name}' and is generic; move the topology out of it or remove its type parameters");
            }
            else if (container.IsRefLikeType || (container.TypeKind == TypeKind.Struct && container.IsReadOnly))
            {
                Report(DiagnosticDescriptors.UnsupportedClass, location, "Type", container.Name,
                    $"contains topology '{topology.Name}' and is a ref or readonly struct, which the generator cannot extend; move the topology out of it");
            }
        }
    }

    /// <summary>The shape the generated task needs to create one instance of a node per task.</summary>
    private void CheckNodeClass(NodeModel node)
    {
        var type = node.Symbol;
        var problem = type.TypeKind != TypeKind.Class ? "is not a class; declare it 'partial class'"
            : type.IsStatic ? "is static; the generated task creates one instance per task, so remove 'static'"
            : type.IsAbstract ? "is abstract; the generated task creates one instance per task, so remove 'abstract'"
            : type.Arity > 0 ? "is generic; remove its type parameters"
            : null;
        IParameterSymbol? parameter = null;
        if (problem is null && !node.IsCount)
        {
            Shared.ProcessorConstructorRules.Choose(type, out problem, out parameter);
        }

        if (problem is not null)
        {
            var location = parameter?.Locations.Length > 0 && parameter.Locations[0].IsInSource ? parameter.Locations[0] : node.Identifier;
            Report(DiagnosticDescriptors.UnsupportedClass, location, "Node class", node.Name, problem);
        }
    }

    private void CollectNodes()
    {
        foreach (var member in topology.GetTypeMembers())
        {
            var processor = known.Find(member, known.Processor);
            var attribute = processor ?? known.Find(member, known.Count);
            if (attribute is null)
            {
                continue;
            }

            var node = new NodeModel(member, attribute, attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken) as AttributeSyntax,
                isCount: processor is null, SyntaxLocations.TypeIdentifier(member, attribute, CancellationToken));
            _nodeList.Add(node);
            if (!_nodes.ContainsKey(node.Name))
            {
                _nodes.Add(node.Name, node);
            }

            if (!SyntaxLocations.IsPartial(member, CancellationToken))
            {
                Report(DiagnosticDescriptors.NotPartial, node.Identifier, "Node class", node.Name, "partial");
            }

            CheckNodeClass(node);
        }
    }

    private void ReadCount(NodeModel node)
    {
        node.From = ReadReference(node, "From", required: true);
        node.CountTo = ReadReference(node, "To", required: false);
        foreach (var member in node.Symbol.GetMembers())
        {
            if (member is IMethodSymbol method && known.Find(method, known.To) is not null)
            {
                Report(DiagnosticDescriptors.InvalidOutput, SyntaxLocations.MethodIdentifier(method, CancellationToken), method.Name,
                    $"'{node.Name}' is a [Count] node, which has no output methods; set the To of its [Count] attribute instead");
            }
        }

        ReportMisplacedPunctuators(context, known, node.Symbol,
            "a [Count] node, whose logic is generated and has no punctuators; punctuate in a [Processor] class");
        CheckWindow(node);
    }

    private void ReadProcessor(NodeModel node)
    {
        node.From = ReadReference(node, "From", required: true);
        node.Process = ReadProcess(node);
        foreach (var member in node.Symbol.GetMembers())
        {
            if (member is IMethodSymbol method && known.Find(method, known.To) is { } toAttribute)
            {
                ReadOutput(node, method, toAttribute);
            }
        }

        CheckPunctuators(node);
    }

    // SG0002 ------------------------------------------------------------------------------------------------------------

    /// <summary>Reads a named From/To argument of a node attribute.</summary>
    private Reference? ReadReference(NodeModel node, string argumentName, bool required)
    {
        foreach (var named in node.Attribute.NamedArguments)
        {
            if (named.Key == argumentName)
            {
                var expression = SyntaxLocations.NamedArgument(node.AttributeSyntax, argumentName);
                return Resolve(named.Value, expression, argumentName, expression?.GetLocation() ?? node.Identifier);
            }
        }

        if (required)
        {
            var location = node.AttributeSyntax?.Name.GetLocation() ?? node.Identifier;
            Report(DiagnosticDescriptors.UnknownReference, location, $"'{node.Name}' has no {argumentName}",
                $"set {argumentName} to a topic name or to nameof(Node) of a node of topology '{topology.Name}'");
        }

        return null;
    }

    private Reference? Resolve(TypedConstant constant, ExpressionSyntax? expression, string argumentName, Location location)
    {
        // A non-constant or erroneous argument is already a compiler error.
        if (constant.Kind == TypedConstantKind.Error || constant.Value is not string value)
        {
            return null;
        }

        if (_nodes.TryGetValue(value, out var node))
        {
            return new Reference(value, location, node);
        }

        if (SyntaxLocations.IsNameof(expression))
        {
            Report(DiagnosticDescriptors.UnknownReference, location,
                $"{expression} does not name a node of topology '{topology.Name}'",
                $"reference a [Processor] or [Count] class nested in '{topology.Name}', or write a topic name as a string");
            return null;
        }

        if (value.Length == 0)
        {
            Report(DiagnosticDescriptors.UnknownReference, location, $"{argumentName} is empty",
                $"set it to a topic name or to nameof(Node) of a node of topology '{topology.Name}'");
            return null;
        }

        if (!TopicNames.IsLegal(value))
        {
            Report(DiagnosticDescriptors.UnknownReference, location,
                $"'{value}' is neither a node of topology '{topology.Name}' nor a legal Kafka topic name",
                $"a topic name has {TopicNames.RuleText}; to reference a node write nameof(Node)");
            return null;
        }

        return new Reference(value, location, null);
    }

    // SG0004 ------------------------------------------------------------------------------------------------------------

    private ProcessSignature? ReadProcess(NodeModel node)
    {
        var candidates = new List<IMethodSymbol>();
        foreach (var member in node.Symbol.GetMembers("Process"))
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
            {
                candidates.Add(method);
            }
        }

        if (candidates.Count == 0)
        {
            Report(DiagnosticDescriptors.InvalidProcess, node.Identifier, node.Name, "it declares none");
            return null;
        }

        ProcessSignature? chosen = null;
        var ambiguous = false;
        foreach (var method in candidates)
        {
            var problem = CheckProcess(method, out var signature);
            if (problem is null && chosen is not null)
            {
                problem = "it declares more than one; remove or rename the other 'Process' methods";
                ambiguous = true;
            }

            if (problem is not null)
            {
                Report(DiagnosticDescriptors.InvalidProcess, SyntaxLocations.MethodIdentifier(method, CancellationToken), node.Name, problem);
                continue;
            }

            chosen = signature;
        }

        return ambiguous ? null : chosen;
    }

    private string? CheckProcess(IMethodSymbol method, out ProcessSignature? signature)
    {
        signature = null;
        if (method.IsStatic)
        {
            return "'Process' is static; make it an instance method";
        }

        if (!method.ReturnsVoid)
        {
            return $"'Process' returns '{Display(method.ReturnType)}'; make it return void";
        }

        if (method.IsGenericMethod)
        {
            return "'Process' is generic; remove its type parameters";
        }

        if (method.IsAsync)
        {
            return "'Process' is async void: the generated code cannot wait for it, so records would overlap and their offsets be committed before the work is done; make it synchronous";
        }

        if (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
        {
            return "'Process' is not accessible to the generated code; make it public or internal";
        }

        var parameters = method.Parameters;
        var count = parameters.Length;
        if (count > 0 && IsRecordContext(parameters[count - 1].Type))
        {
            if (parameters[count - 1].RefKind != RefKind.In)
            {
                return $"pass the RecordContext parameter '{parameters[count - 1].Name}' with 'in'";
            }

            count--;
        }

        if (count is not (1 or 2))
        {
            return $"'Process' has {count} key/value parameters; declare (TValue value) or (TKey key, TValue value)";
        }

        for (var i = 0; i < count; i++)
        {
            if (IsRecordContext(parameters[i].Type))
            {
                return $"the RecordContext parameter '{parameters[i].Name}' must be the last one, passed with 'in'";
            }

            if (parameters[i].RefKind != RefKind.None || parameters[i].IsParams)
            {
                return $"parameter '{parameters[i].Name}' must be an ordinary by-value parameter";
            }
        }

        signature = count == 2
            ? new ProcessSignature(method, parameters[0], parameters[1])
            : new ProcessSignature(method, null, parameters[0]);
        return null;
    }

    private bool IsRecordContext(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, known.RecordContext);

    // SG0006 ------------------------------------------------------------------------------------------------------------

    private void ReadOutput(NodeModel node, IMethodSymbol method, AttributeData toAttribute)
    {
        var identifier = SyntaxLocations.MethodIdentifier(method, CancellationToken);
        var problem = CheckOutput(method);
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidOutput, identifier, method.Name, problem);
            return;
        }

        var output = method.Parameters.Length == 2
            ? new OutputModel(method, identifier, method.Parameters[0], method.Parameters[1])
            : new OutputModel(method, identifier, null, method.Parameters[0]);
        node.Outputs.Add(output);

        if (toAttribute.ConstructorArguments.Length == 1)
        {
            var syntax = toAttribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken) as AttributeSyntax;
            var expression = SyntaxLocations.FirstConstructorArgument(syntax);
            output.Target = Resolve(toAttribute.ConstructorArguments[0], expression, "To", expression?.GetLocation() ?? identifier);
        }
    }

    private static string? CheckOutput(IMethodSymbol method)
    {
        if (!method.IsPartialDefinition && method.PartialDefinitionPart is null)
        {
            return "it is not partial; declare it 'partial void' without a body and let the generator implement it";
        }

        if (method.IsPartialDefinition && method.PartialImplementationPart is { } implementation && !IsGenerated(implementation))
        {
            return "it already has an implementation; remove the implementing declaration, the generator writes the body";
        }

        if (!method.ReturnsVoid)
        {
            return $"it returns '{Display(method.ReturnType)}'; make it return void";
        }

        if (method.IsGenericMethod)
        {
            return "it is generic; remove its type parameters";
        }

        if (method.IsStatic)
        {
            return "it is static; make it an instance method";
        }

        if (method.Parameters.Length is not (1 or 2))
        {
            return $"it has {method.Parameters.Length} parameters; declare (TValue value) or (TKey key, TValue value)";
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                return $"parameter '{parameter.Name}' must be an ordinary by-value parameter";
            }
        }

        return null;
    }

    /// <summary>True for a symbol declared in a file our generator wrote (the analyzer also sees the generated code).</summary>
    private static bool IsGenerated(ISymbol symbol)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree.FilePath.IndexOf(GeneratorPathMarker, System.StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    // Generated trees live at "{generator assembly}/{generator type}/{hint name}".
    private const string GeneratorPathMarker = "Streams.Generated.Generator.TopologyGenerator";

    // SG0008 ------------------------------------------------------------------------------------------------------------

    private void CheckStores()
    {
        var stores = new Dictionary<string, NodeModel>(System.StringComparer.Ordinal);
        foreach (var node in _nodeList)
        {
            if (!node.IsCount)
            {
                continue;
            }

            foreach (var named in node.Attribute.NamedArguments)
            {
                if (named.Key != "Store" || named.Value.Value is not string store)
                {
                    continue;
                }

                var location = SyntaxLocations.NamedArgument(node.AttributeSyntax, "Store")?.GetLocation() ?? node.Identifier;
                if (!TopicNames.IsLegal(store))
                {
                    Report(DiagnosticDescriptors.InvalidStoreName, location, store,
                        $"is not a legal store name; it becomes part of a changelog topic name, so use {TopicNames.RuleText}");
                }
                else if (stores.TryGetValue(store, out var first))
                {
                    Report(DiagnosticDescriptors.InvalidStoreName, location, store,
                        $"is already used by node '{first.Name}' of topology '{topology.Name}'; give each store its own name");
                }
                else
                {
                    stores.Add(store, node);
                }
            }
        }
    }

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.CSharpErrorMessageFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static string Display(ITypeSymbol type) => type.ToDisplayString(TypeFormat);
}
