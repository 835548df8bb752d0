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
/// connections: cycles (SG0009), the types along every connection and at every topic (SG0003, SG0005) and the keys into
/// joins (SG0020; see the Flow part).
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
            switch (node.Kind)
            {
                case NodeKind.Processor:
                    ReadProcessor(node);
                    break;
                case NodeKind.Count:
                    ReadCount(node);
                    break;
                default:
                    ReadJoin(node);
                    break;
            }
        }

        CheckTablesAreNotStreams();
        CheckStores();
        AnalyzeFlow();
    }

    /// <summary>SG0002: a join's table topic is read from the beginning by each task, so no node may read it as a stream too.</summary>
    private void CheckTablesAreNotStreams()
    {
        foreach (var join in _nodeList)
        {
            if (join.Table is not { } table)
            {
                continue;
            }

            foreach (var node in _nodeList)
            {
                if (node != join && node.From is { IsTopic: true } from && from.Value == table.Value)
                {
                    Report(DiagnosticDescriptors.UnknownReference, from.Location, $"'{from.Value}' is the table of join '{join.Name}' and cannot also be read as a stream",
                        "a table's topic is read from the beginning whenever a task starts; read another topic, or join with the table instead");
                }
            }
        }
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
            var attribute = known.FindNodeAttribute(member, out var kind, out var attributes);
            if (attribute is null)
            {
                continue;
            }

            var node = new NodeModel(member, attribute, attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken) as AttributeSyntax,
                kind, SyntaxLocations.TypeIdentifier(member, attribute, CancellationToken));
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
            if (attributes > 1)
            {
                Report(DiagnosticDescriptors.UnsupportedClass, node.Identifier, "Node class", node.Name,
                    "has more than one of [Processor], [Count] and [Join]; a class is one node, so keep one of them");
            }
        }
    }

    private void ReadCount(NodeModel node)
    {
        node.From = ReadReference(node, "From", required: true);
        node.To = ReadReference(node, "To", required: false);
        RejectOutputsAndPunctuators(node, "whose logic is generated and has no punctuators");
        CheckWindow(node);
    }

    private void ReadJoin(NodeModel node)
    {
        node.From = ReadReference(node, "From", required: true);
        node.Table = ReadReference(node, "Table", required: true, isTable: true);
        node.To = ReadReference(node, "To", required: true);
        if (node.From is { IsTopic: true } from && node.Table is { } table && from.Value == table.Value)
        {
            Report(DiagnosticDescriptors.UnknownReference, table.Location, $"Table '{table.Value}' is also the From of '{node.Name}'",
                "a join reads its stream and its table from two different topics; set Table to the topic that holds the table");
        }

        foreach (var named in node.Attribute.NamedArguments)
        {
            // A non-constant argument is a compiler error already.
            if (named.Key == "Kind" && named.Value.Kind != TypedConstantKind.Error)
            {
                if (Shared.JoinRules.IsDefinedKind(named.Value.Value, out var left))
                {
                    node.IsLeftJoin = left;
                }
                else
                {
                    Report(DiagnosticDescriptors.UnsupportedClass, SyntaxLocations.NamedArgument(node.AttributeSyntax, "Kind")?.GetLocation() ?? node.Identifier,
                        "Join node", node.Name, $"has Kind (JoinKind){named.Value.Value}, which is neither JoinKind.Inner nor JoinKind.Left; choose one");
                }
            }
        }

        node.Input = ReadInput(node);
        RejectOutputsAndPunctuators(node, "which has no punctuators");
    }

    /// <summary>SG0006 and SG0018 on the [To] and [Punctuate] methods of a count or join, which sends to the To of its attribute.</summary>
    /// <param name="why">What follows "a [Count] node, " in the SG0018 message.</param>
    private void RejectOutputsAndPunctuators(NodeModel node, string why)
    {
        foreach (var member in node.Symbol.GetMembers())
        {
            if (member is IMethodSymbol method && known.Find(method, known.To) is not null)
            {
                Report(DiagnosticDescriptors.InvalidOutput, SyntaxLocations.MethodIdentifier(method, CancellationToken), method.Name,
                    $"'{node.Name}' is a [{node.AttributeName}] node, which has no output methods; set the To of its [{node.AttributeName}] attribute instead");
            }
        }

        ReportMisplacedPunctuators(context, known, node.Symbol, $"a [{node.AttributeName}] node, {why}; punctuate in a [Processor] class");
    }

    private void ReadProcessor(NodeModel node)
    {
        node.From = ReadReference(node, "From", required: true);
        node.Input = ReadInput(node);
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

    /// <summary>Reads a named From/To/Table argument of a node attribute.</summary>
    /// <param name="isTable">The Table of a join: a topic, never a node.</param>
    private Reference? ReadReference(NodeModel node, string argumentName, bool required, bool isTable = false)
    {
        foreach (var named in node.Attribute.NamedArguments)
        {
            if (named.Key == argumentName)
            {
                var expression = SyntaxLocations.NamedArgument(node.AttributeSyntax, argumentName);
                return Resolve(named.Value, expression, argumentName, expression?.GetLocation() ?? node.Identifier, isTable);
            }
        }

        if (required)
        {
            var location = node.AttributeSyntax?.Name.GetLocation() ?? node.Identifier;
            Report(DiagnosticDescriptors.UnknownReference, location, $"'{node.Name}' has no {argumentName}",
                isTable ? "set Table to the name of the topic read as the table" : $"set {argumentName} to a topic name or to nameof(Node) of a node of topology '{topology.Name}'");
        }

        return null;
    }

    private Reference? Resolve(TypedConstant constant, ExpressionSyntax? expression, string argumentName, Location location, bool isTable = false)
    {
        // A non-constant or erroneous argument is already a compiler error.
        if (constant.Kind == TypedConstantKind.Error || constant.Value is not string value)
        {
            return null;
        }

        if (_nodes.TryGetValue(value, out var node))
        {
            if (isTable)
            {
                Report(DiagnosticDescriptors.UnknownReference, location,
                    $"Table '{value}' is a node of topology '{topology.Name}', but a join reads its table from a topic",
                    "set Table to the topic that holds the table (a node can write it with an output to that topic, [To(\"topic\")])");
                return null;
            }

            return new Reference(value, location, node);
        }

        if (SyntaxLocations.IsNameof(expression))
        {
            Report(DiagnosticDescriptors.UnknownReference, location,
                $"{expression} does not name a node of topology '{topology.Name}'",
                isTable
                    ? "a join reads its table from a topic: write the topic's name as a string"
                    : $"reference a [Processor], [Count] or [Join] class nested in '{topology.Name}', or write a topic name as a string");
            return null;
        }

        if (value.Length == 0)
        {
            Report(DiagnosticDescriptors.UnknownReference, location, $"{argumentName} is empty",
                isTable ? "set it to the name of the topic read as the table" : $"set it to a topic name or to nameof(Node) of a node of topology '{topology.Name}'");
            return null;
        }

        if (!TopicNames.IsLegal(value))
        {
            Report(DiagnosticDescriptors.UnknownReference, location,
                isTable ? $"Table '{value}' is not a legal Kafka topic name" : $"'{value}' is neither a node of topology '{topology.Name}' nor a legal Kafka topic name",
                isTable ? $"a topic name has {TopicNames.RuleText}" : $"a topic name has {TopicNames.RuleText}; to reference a node write nameof(Node)");
            return null;
        }

        return new Reference(value, location, null);
    }

    // SG0004 ------------------------------------------------------------------------------------------------------------

    /// <summary>The Process method of a processor, or the Join method of a join.</summary>
    private InputSignature? ReadInput(NodeModel node)
    {
        var name = node.IsJoin ? "Join" : "Process";
        var candidates = new List<IMethodSymbol>();
        foreach (var member in node.Symbol.GetMembers(name))
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
            {
                candidates.Add(method);
            }
        }

        if (candidates.Count == 0)
        {
            ReportInvalidInput(node, node.Identifier, "it declares none");
            return null;
        }

        InputSignature? chosen = null;
        var ambiguous = false;
        foreach (var method in candidates)
        {
            var problem = CheckInput(node, method, out var signature, out var parameter);
            if (problem is null && signature is not null && chosen is not null)
            {
                problem = $"it declares more than one; remove or rename the other '{name}' methods";
                parameter = null;
                ambiguous = true;
            }

            if (problem is not null)
            {
                ReportInvalidInput(node, parameter is null
                    ? SyntaxLocations.MethodIdentifier(method, CancellationToken)
                    : SyntaxLocations.Parameter(parameter, CancellationToken), problem);
                continue;
            }

            chosen = signature ?? chosen;
        }

        return ambiguous ? null : chosen;
    }

    private void ReportInvalidInput(NodeModel node, Location location, string problem) =>
        Report(DiagnosticDescriptors.InvalidProcess, location, node.IsJoin ? "Join" : "Processor", node.Name,
            node.IsJoin
                ? "instance or static method 'TResult Join(TLeft left, TRight right)' or 'TResult Join(TKey key, TLeft left, TRight right)'"
                : "instance method 'void Process(TValue value)' or 'void Process(TKey key, TValue value)'",
            problem);

    /// <summary>
    /// The problem of a Process or Join method, and the parameter it concerns if any; neither a problem nor a signature when
    /// a type does not bind (the compiler reports that).
    /// </summary>
    private string? CheckInput(NodeModel node, IMethodSymbol method, out InputSignature? signature, out IParameterSymbol? parameter)
    {
        signature = null;
        parameter = null;
        var name = method.Name;
        if (method.IsStatic && !node.IsJoin) // a static Join is a plain function of its inputs: nothing per task to create
        {
            return $"'{name}' is static; make it an instance method";
        }

        if (node.IsJoin == method.ReturnsVoid)
        {
            return node.IsJoin
                ? "'Join' returns void; make it return the joined value, which the join sends to its To"
                : $"'Process' returns '{Display(method.ReturnType)}'; make it return void";
        }

        if (method.IsGenericMethod)
        {
            return $"'{name}' is generic; remove its type parameters";
        }

        if (method.IsAsync)
        {
            return node.IsJoin
                ? "'Join' is async: the generated code sends the value it returns at once and cannot wait for a task; make it synchronous"
                : "'Process' is async void: the generated code cannot wait for it, so records would overlap and their offsets be committed before the work is done; make it synchronous";
        }

        if (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
        {
            return $"'{name}' is not accessible to the generated code; make it public or internal";
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

        // The values a record brings: Process's value, or Join's left and right.
        var values = node.IsJoin ? 2 : 1;
        if (count != values && count != values + 1)
        {
            return node.IsJoin
                ? $"'Join' has {count} key/value parameters; declare (TLeft left, TRight right) or (TKey key, TLeft left, TRight right)"
                : $"'Process' has {count} key/value parameters; declare (TValue value) or (TKey key, TValue value)";
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

        for (var i = 0; i < count; i++)
        {
            if (!Shared.NodeTypeRules.IsUsable(parameters[i].Type, out var unusable))
            {
                parameter = parameters[i];
                return unusable is null ? null : $"parameter '{parameter.Name}' has type '{Display(parameter.Type)}': {unusable}";
            }
        }

        if (node.IsJoin && !Shared.NodeTypeRules.IsUsable(method.ReturnType, out var unusableResult))
        {
            return unusableResult is null ? null : $"'Join' returns '{Display(method.ReturnType)}': {unusableResult}";
        }

        var key = count > values ? parameters[0] : null;
        var right = node.IsJoin ? parameters[count - 1] : null;
        if (node.IsLeftJoin && right is not null && !AcceptsNull(right.Type))
        {
            parameter = right;
            return $"with Kind = JoinKind.Left, '{right.Name}' is null when the table has no value for the key; declare it '{Display(right.Type)}?'";
        }

        signature = new InputSignature(method, key, parameters[count - values], right);
        return null;
    }

    /// <summary>A nullable value type, an annotated reference type, or a reference type in code without nullable annotations.</summary>
    private static bool AcceptsNull(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }
        || (type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated);

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
            if (!node.IsStateful)
            {
                continue;
            }

            // Without a Store argument the store is named after the node, as the generator names it.
            var store = node.Name;
            var location = node.Identifier;
            var isDefault = !HasNamedArgument(node.Attribute, "Store");
            var bound = true;
            foreach (var named in node.Attribute.NamedArguments)
            {
                if (named.Key == "Store")
                {
                    bound = named.Value.Kind != TypedConstantKind.Error; // else the compiler reports it
                    store = named.Value.Value as string ?? "";
                    location = SyntaxLocations.NamedArgument(node.AttributeSyntax, "Store")?.GetLocation() ?? node.Identifier;
                }
            }

            if (!bound)
            {
                continue;
            }

            var what = isDefault ? $"(the name of '{node.Name}', as no Store is set)" : "";
            if (!TopicNames.IsLegal(store))
            {
                Report(DiagnosticDescriptors.InvalidStoreName, location, store,
                    $"{what} is not a legal store name; it becomes part of a changelog topic name, so {(isDefault ? "set Store to " : "use ")}{TopicNames.RuleText}".TrimStart());
            }
            else if (stores.TryGetValue(store, out var first))
            {
                Report(DiagnosticDescriptors.InvalidStoreName, location, store,
                    $"{what} is already used by node '{first.Name}' of topology '{topology.Name}'; give each store its own name".TrimStart());
            }
            else
            {
                stores.Add(store, node);
            }
        }
    }

    private static bool HasNamedArgument(AttributeData attribute, string name)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == name)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.CSharpErrorMessageFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static string Display(ITypeSymbol type) => type.ToDisplayString(TypeFormat);
}
