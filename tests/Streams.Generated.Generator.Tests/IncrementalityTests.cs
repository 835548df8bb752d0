using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Streams.Generated.Generator.Tests.Infrastructure;
using TrackingNames = Streams.Generated.Generator.TopologyGenerator.TrackingNames;

namespace Streams.Generated.Generator.Tests;

/// <summary>
/// The generator is incremental: an edit that does not change a topology leaves its pipeline steps Cached or Unchanged,
/// so the IDE neither re-plans nor re-emits it on every keystroke (as riok/mapperly's IncrementalGeneratorTest checks).
/// That only holds if the model compares by value and holds no Roslyn object, which the graph walk below checks (as
/// System.Text.Json's JsonSourceGeneratorIncrementalTests does).
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] TrackedSteps = [TrackingNames.TopologySpecs, TrackingNames.ValidTopologySpecs];

    private const string Unrelated = """
        namespace Samples.Other;

        public sealed class Clock
        {
            public long Now() => 42;
        }
        """;

    // Any edit gives a new Compilation, and ForAttributeWithMetadataName runs the transform (the parser) again for every
    // [Topology] class, since symbols may have changed: its step is then Unchanged when the model it builds equals the
    // previous one. Everything after it is Cached: the model is not re-planned and the source is not re-emitted.

    [Fact]
    public void Adding_an_unrelated_file_builds_an_equal_model_and_re_emits_nothing()
    {
        var (first, second) = RunTwice([Sources.WordCount, Unrelated], compilation =>
            compilation.AddSyntaxTrees(Parse("namespace Samples.Other; public static class Added { public static int One() => 1; }", "Added.cs")));

        AssertUnchangedModelAndCachedOutput(second);
        Assert.Equal(first.GeneratedSources.Single().SourceText.ToString(), second.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Editing_a_method_body_in_another_file_builds_an_equal_model_and_re_emits_nothing()
    {
        var (_, second) = RunTwice([Sources.WordCount, Unrelated], compilation =>
            Edit(compilation, "Source1.cs", "public long Now() => 42;", "public long Now() { var now = 41; return now + 1; }"));

        AssertUnchangedModelAndCachedOutput(second);
    }

    [Fact]
    public void Editing_a_Process_body_inside_the_topology_builds_an_equal_model_and_re_emits_nothing()
    {
        // The method body is the user's logic, called directly by the generated code: it is not part of the model.
        var (first, second) = RunTwice([Sources.WordCount], compilation =>
            Edit(compilation, "Source0.cs", "line.ToLowerInvariant()", "line.Trim().ToUpperInvariant()"));

        AssertUnchangedModelAndCachedOutput(second);
        Assert.Equal(first.GeneratedSources.Single().SourceText.ToString(), second.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Changing_the_topology_modifies_the_model_and_regenerates()
    {
        // The counterpart of the tests above: the tracking sees a real change, so "Cached" there means something.
        var (first, second) = RunTwice([Sources.WordCount, Unrelated], compilation =>
            Edit(compilation, "Source0.cs", "To = \"streams-wordcount-output\"", "To = \"renamed-output\""));

        AssertAllOutputs(second, TrackedSteps, IncrementalStepRunReason.Modified);
        AssertSourceOutputs(second, IncrementalStepRunReason.Modified);
        Assert.DoesNotContain("renamed-output", first.GeneratedSources.Single().SourceText.ToString());
        Assert.Contains("renamed-output", second.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Only_the_edited_topology_of_several_is_modified()
    {
        var (_, second) = RunTwice([Sources.WordCount, Sources.NumberChain], compilation =>
            Edit(compilation, "Source1.cs", "To = \"even-counts\"", "To = \"even-counts-v2\""));

        Assert.Equal([("numbers", IncrementalStepRunReason.Modified), ("wordcount", IncrementalStepRunReason.Unchanged)],
            ReasonsByTopology(second, TrackingNames.TopologySpecs));
        Assert.Equal([("numbers", IncrementalStepRunReason.Modified), ("wordcount", IncrementalStepRunReason.Cached)],
            ReasonsByTopology(second, TrackingNames.ValidTopologySpecs));
        Assert.Equal(2, second.GeneratedSources.Length);
    }

    public static TheoryData<string> Topologies => new() { nameof(Sources.WordCount), nameof(Sources.NumberChain), nameof(Sources.Behaviors) };

    [Theory]
    [MemberData(nameof(Topologies))]
    public void The_model_holds_no_symbol_syntax_node_semantic_model_or_compilation(string sourceName)
    {
        var source = (string)typeof(Sources).GetField(sourceName)!.GetValue(null)!;
        var driver = CSharpGeneratorRunner.CreateDriver(trackSteps: true).RunGenerators(CSharpGeneratorRunner.CreateCompilation(source));
        var result = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(TopologyGenerator));

        var models = TrackedSteps.SelectMany(name => result.TrackedSteps[name]).SelectMany(step => step.Outputs).Select(o => o.Value).ToList();
        Assert.All(models, Assert.NotNull);

        var walk = ModelWalk.Walk(models);
        Assert.True(walk.RoslynObjects.Count == 0, "The model holds Roslyn objects:\n" + string.Join("\n", walk.RoslynObjects));
        // The walk reached the whole model, not just its roots.
        Assert.Contains("TopologySpec", walk.VisitedTypes);
        Assert.Contains("SubtopologySpec", walk.VisitedTypes);
        Assert.Contains("NodeSpec", walk.VisitedTypes);
        Assert.Contains("OutputSpec", walk.VisitedTypes);
        Assert.Contains("TypeRef", walk.VisitedTypes);
    }

    [Fact]
    public void The_model_walk_finds_a_symbol_or_compilation_hidden_deep_in_a_graph()
    {
        var compilation = CSharpGeneratorRunner.CreateCompilation(Sources.WordCount);
        var symbol = compilation.GetTypeByMetadataName("Samples.WordCount")!;
        var tree = compilation.SyntaxTrees.First();
        var graph = new Holder("outer", [new Holder("a", []), new Holder("b", [new Holder("symbol", [symbol])])], compilation);

        var walk = ModelWalk.Walk([graph, new Holder("node", [tree.GetRoot()]), new Holder("model", [compilation.GetSemanticModel(tree)])]);

        Assert.Equal(
            ["[0].<Children>k__BackingField[1].<Children>k__BackingField[0].<Children>k__BackingField[0]: ISymbol",
             "[0].<Extra>k__BackingField: Compilation",
             "[1].<Children>k__BackingField[0]: SyntaxNode",
             "[2].<Children>k__BackingField[0]: SemanticModel"],
            walk.RoslynObjects.Select(r => r[..r.IndexOf(" (", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    private const string AvroRecords = """
        using System.Collections.Generic;
        using Streams.Generated;

        namespace Samples.Avro;

        public enum Color { Red, Green }

        [AvroRecord]
        public partial record Part(string Name, Color Color, decimal Price);

        [AvroRecord]
        public partial record Assembly(string Id, Part[] Parts, Dictionary<string, Part?> Spares, Assembly? Parent);
        """;

    [Fact]
    public void The_Avro_model_is_equal_after_an_unrelated_edit_and_holds_no_Roslyn_object()
    {
        var compilation = CSharpGeneratorRunner.CreateCompilation(AvroRecords, Unrelated);
        GeneratorDriver driver = CSharpGeneratorRunner.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(AvroRecordGenerator));
        Assert.Equal(2, first.GeneratedSources.Length);

        driver = driver.RunGenerators(Edit(compilation, "Source1.cs", "public long Now() => 42;", "public long Now() => 43;"));
        var second = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(AvroRecordGenerator));

        var step = second.TrackedSteps[AvroRecordGenerator.TrackingNames.AvroRecordSpecs].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, step.Count);
        Assert.All(step, output => Assert.Equal(IncrementalStepRunReason.Unchanged, output.Reason));
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));

        var walk = ModelWalk.Walk(step.Select(o => o.Value).ToList());
        Assert.True(walk.RoslynObjects.Count == 0, "The model holds Roslyn objects:\n" + string.Join("\n", walk.RoslynObjects));
        Assert.Contains("AvroRecordSpec", walk.VisitedTypes);
        Assert.Contains("AvroFieldSpec", walk.VisitedTypes);
        Assert.Contains("AvroTypeSpec", walk.VisitedTypes);
    }

    private sealed record Holder(string Name, object[] Children, object? Extra = null);

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(string[] sources, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var compilation = CSharpGeneratorRunner.CreateCompilation(sources);
        GeneratorDriver driver = CSharpGeneratorRunner.CreateDriver(trackSteps: true);
        driver = driver.RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(TopologyGenerator));
        Assert.NotEmpty(first.GeneratedSources);

        driver = driver.RunGenerators(edit(compilation));
        var second = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(TopologyGenerator));
        Assert.Null(second.Exception);
        return (first, second);
    }

    /// <summary>The reason of each output of a step, by topology name (the model type is internal: read by reflection).</summary>
    private static List<(string, IncrementalStepRunReason)> ReasonsByTopology(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps[stepName]
            .SelectMany(step => step.Outputs)
            .Select(output => ((string)output.Value.GetType().GetProperty("TopologyName")!.GetValue(output.Value)!, output.Reason))
            .OrderBy(o => o.Item1, StringComparer.Ordinal)
            .ToList();

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, CSharpGeneratorRunner.ParseOptions, path);

    private static CSharpCompilation Edit(CSharpCompilation compilation, string path, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        Assert.Contains(oldText, text);
        return compilation.ReplaceSyntaxTree(tree, Parse(text.Replace(oldText, newText, StringComparison.Ordinal), path));
    }

    private static void AssertUnchangedModelAndCachedOutput(GeneratorRunResult result)
    {
        AssertAllOutputs(result, [TrackingNames.TopologySpecs], IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(result, [TrackingNames.ValidTopologySpecs], IncrementalStepRunReason.Cached);
        AssertSourceOutputs(result, IncrementalStepRunReason.Cached);
    }

    private static void AssertAllOutputs(GeneratorRunResult result, string[] stepNames, params IncrementalStepRunReason[] allowed)
    {
        foreach (var name in stepNames)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"No step named {name} ran.");
            var outputs = steps.SelectMany(step => step.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, output => Assert.True(allowed.Contains(output.Reason),
                $"Step {name}: {output.Reason}, expected {string.Join(" or ", allowed)}"));
        }
    }

    private static void AssertSourceOutputs(GeneratorRunResult result, IncrementalStepRunReason expected)
    {
        var outputs = result.TrackedOutputSteps.SelectMany(o => o.Value).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Equal(expected, output.Reason));
    }

    /// <summary>
    /// Walks an object graph through every instance field (public or not, declared on the type or a base type) and every
    /// element of a collection, and records each Roslyn object it meets with the path that leads to it.
    /// </summary>
    private sealed class ModelWalk
    {
        private readonly HashSet<object> _visited = new(ReferenceEqualityComparer.Instance);

        public List<string> RoslynObjects { get; } = [];

        public HashSet<string> VisitedTypes { get; } = [];

        public static ModelWalk Walk(IEnumerable<object?> roots)
        {
            var walk = new ModelWalk();
            var i = 0;
            foreach (var root in roots)
                walk.Visit(root, $"[{i++}]");
            return walk;
        }

        private void Visit(object? value, string path)
        {
            if (value is null) return;
            var type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is string or decimal) return;
            if (!type.IsValueType && !_visited.Add(value)) return;

            if (RoslynKind(value) is { } kind)
            {
                RoslynObjects.Add($"{path}: {kind} ({type.FullName})");
                return;
            }

            VisitedTypes.Add(type.Name);
            if (value is IEnumerable collection)
            {
                var index = 0;
                foreach (var element in collection)
                    Visit(element, $"{path}[{index++}]");
                return;
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    Visit(field.GetValue(value), $"{path}.{field.Name}");
            }
        }

        private static string? RoslynKind(object value) => value switch
        {
            ISymbol => nameof(ISymbol),
            SyntaxNode => nameof(SyntaxNode),
            SyntaxTree => nameof(SyntaxTree),
            SemanticModel => nameof(SemanticModel),
            Compilation => nameof(Compilation),
            Location => nameof(Location),
            AttributeData => nameof(AttributeData),
            _ => null,
        };
    }
}
