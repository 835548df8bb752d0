using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Streams.Generated.Generator.Tests.Infrastructure;

namespace Streams.Generated.Generator.Tests;

/// <summary>
/// Broken and half-typed topologies: the generator never throws, emits nothing for the broken topology (the analyzer
/// explains), keeps generating the valid one beside it, and no error ever points into a generated file.
/// </summary>
public class RobustnessTests
{
    private const string Good = """
        using Streams.Generated;

        namespace Samples;

        [Topology("good")]
        public static partial class Good
        {
            [Processor(From = "good-in")]
            public partial class Copy
            {
                public void Process(string value) => Out(value);

                [To("good-out")] private partial void Out(string value);
            }
        }
        """;

    public static TheoryData<string, string> BrokenTopologies => new()
    {
        { "missing Process", Node("public void Handle(string value) => Out(value);") },
        { "two Process methods", Node("public void Process(string value) => Out(value);\n public void Process(int value) { }") },
        { "static Process", Node("public static void Process(string value) { }") },
        { "async void Process", Node("public async void Process(string value) { await System.Threading.Tasks.Task.Yield(); Out(value); }") },
        { "Process returning a value", Node("public int Process(string value) => 1;") },
        { "Process with three values", Node("public void Process(string a, string b, string c) => Out(c);") },
        { "RecordContext not by in", Node("public void Process(string value, RecordContext context) => Out(value);") },
        { "private Process", Node("private void Process(string value) => Out(value);") },
        { "unknown value type", Node("public void Process(Missing value) { }") },
        { "unknown output type", Node("public void Process(string value) { }", "[To(\"out\")] private partial void Out(Missing value);") },
        { "unknown From node", Node("public void Process(string value) => Out(value);", from: "nameof(Nope)") },
        { "unknown To node", Node("public void Process(string value) => Out(value);", "[To(nameof(Nope))] private partial void Out(string value);") },
        { "illegal topic name", Node("public void Process(string value) => Out(value);", from: "\"bad topic!\"") },
        { "empty From", Node("public void Process(string value) => Out(value);", from: "\"\"") },
        { "no From", Node("public void Process(string value) => Out(value);", from: null) },
        { "non-partial node", Node("public void Process(string value) { }", output: "", partialNode: false) },
        { "output not partial", Node("public void Process(string value) => Out(value);", "[To(\"out\")] private void Out(string value) { }") },
        { "output returning a value", Node("public void Process(string value) { }", "[To(\"out\")] private partial int Out(string value);") },
        { "output with three parameters", Node("public void Process(string value) { }", "[To(\"out\")] private partial void Out(string a, string b, string c);") },
        { "generic output", Node("public void Process(string value) { }", "[To(\"out\")] private partial void Out<T>(T value);") },
        { "output implemented by the user", Node("public void Process(string value) => Out(value);",
            "[To(\"out\")] private partial void Out(string value);\n private partial void Out(string value) { }") },
        { "no serde for a source value", Node("public void Process(System.TimeSpan value) { }") },
        { "no serde for a sink value", Node("public void Process(string value) => Out(default);", "[To(\"out\")] private partial void Out(System.TimeSpan value);") },
        { "node without parameterless constructor", Node("public void Process(string value) => Out(value);",
            "[To(\"out\")] private partial void Out(string value);\n public Broken_Node(int x) { }") },
        { "private value type", Node("public void Process(string value) => Out(new Hidden());",
            "[To(nameof(Sink))] private partial void Out(Hidden value);\n private sealed class Hidden { }", extra: """
                [Processor(From = nameof(Node))]
                public partial class Sink { public void Process(object value) { } }
                """) },
        { "value type mismatch", Node("public void Process(string value) => Out(value);", "[To(nameof(Next))] private partial void Out(string value);", extra: """
                [Processor(From = nameof(Node))]
                public partial class Next { public void Process(long value) { } }
                """) },
        { "key type mismatch", Node("public void Process(string value) => Out(1, value);", "[To(nameof(Next))] private partial void Out(int key, string value);", extra: """
                [Processor(From = nameof(Node))]
                public partial class Next { public void Process(long key, string value) { } }
                """) },
        { "nullable into non-nullable", Node("public void Process(string? value) => Out(value);", "[To(nameof(Next))] private partial void Out(string? value);", extra: """
                [Processor(From = nameof(Node))]
                public partial class Next { public void Process(string value) { } }
                """) },
        { "direct cycle", Node("public void Process(long key, string value) => Out(value);", "[To(nameof(Back))] private partial void Out(string value);", extra: """
                [Processor(From = nameof(Node))]
                public partial class Back
                {
                    public void Process(long key, string value) => Again(value);
                    [To(nameof(Node))] private partial void Again(string value);
                }
                """) },
        { "node fed by nothing", Node("public void Process(string value) => Out(value);", from: "nameof(Other)", extra: """
                [Processor(From = "x")]
                public partial class Other { public void Process(string value) { } }
                """) },
        { "count with an output method", Node("public void Process(string value) => Out(value);", extra: """
                [Count(From = nameof(Node), Store = "s", To = "counted")]
                public partial class Counter { [To("x")] private partial void Extra(string value); }
                """) },
        { "duplicate store", Node("public void Process(string value) { Out(value, value); }", "[To(nameof(A))] private partial void Out(string key, string value);", extra: """
                [Count(From = nameof(Node), Store = "s")] public partial class A;
                [Count(From = nameof(Node), Store = "s")] public partial class B;
                """) },
        { "window advancing past its size", Node("public void Process(string value) => Out(value);", extra: """
                [Count(From = nameof(Node), Store = "s", Window = "hopping 1m advance 5m", To = "counted")] public partial class Counter;
                """) },
        { "window of size 0", Node("public void Process(string value) => Out(value);", extra: """
                [Count(From = nameof(Node), Store = "s", Window = "tumbling 0s", To = "counted")] public partial class Counter;
                """) },
        { "unparseable window", Node("public void Process(string value) => Out(value);", extra: """
                [Count(From = nameof(Node), Store = "s", Window = "sliding 1m", To = "counted")] public partial class Counter;
                """) },
        { "negative grace", Node("public void Process(string value) => Out(value);", extra: """
                [Count(From = nameof(Node), Store = "s", Window = "tumbling 1m", Grace = "-10s", To = "counted")] public partial class Counter;
                """) },
        { "emit final without a window", Node("public void Process(string value) => Out(value);", extra: """
                [Count(From = nameof(Node), Store = "s", Emit = Emit.Final, To = "counted")] public partial class Counter;
                """) },
        { "windowed key read back from a topic", Node("public void Process(Windowed<string> key, long value) { }", "", from: "\"counted\"", extra: """
                [Processor(From = "in")] public partial class Feed { public void Process(string value) => Out(value); [To(nameof(Counter))] private partial void Out(string value); }
                [Count(From = nameof(Feed), Store = "s", Window = "tumbling 1m", To = "counted")] public partial class Counter;
                """) },
        { "count without a serde for a repartitioned key", Node("public void Process(string value) => Out(System.TimeSpan.Zero, value);",
            "[To(nameof(Counter))] private partial void Out(System.TimeSpan key, string value);", extra: """
                [Count(From = nameof(Node), Store = "s", To = "counted")] public partial class Counter;
                """) },
        { "non-static topology", Node("public void Process(string value) => Out(value);", topologyModifiers: "public partial") },
        { "non-partial topology", Node("public void Process(string value) => Out(value);", topologyModifiers: "public static") },
        { "generic topology", Node("public void Process(string value) => Out(value);", topologyModifiers: "public static partial", typeParameters: "<T>") },
        { "half-typed Process", Node("public void Process(string value) { Out(") },
        { "half-typed attribute", Node("public void Process(string value) => Out(value);", from: "\"in\" +") },
        { "half-typed output", Node("public void Process(string value) => Out(value);", "[To(\"out\")] private partial void Out(string") },
        { "avro member type unsupported", Avro("public partial record Trip(string Driver, System.TimeSpan Duration);") },
        { "avro record not partial", Avro("public record Trip(string Driver);") },
        { "avro record without usable constructor", Avro("public partial class Trip { public Trip(int x) { } public string Driver { get; set; } = \"\"; }") },
        { "avro duplicate field names", Avro("public partial record Trip([property: AvroField(Name = \"a\")] int A, [property: AvroField(Name = \"a\")] int B);") },
        { "avro invalid decimal scale", Avro("public partial record Trip([property: AvroField(Precision = 4, Scale = 6)] decimal Price);") },
        { "avro nested record broken", Avro("public partial record Trip(Leg Leg);\n[AvroRecord] public partial record Leg(System.TimeSpan Duration);") },
        { "avro map with int keys", Avro("public partial record Trip(System.Collections.Generic.Dictionary<int, string> Stops);") },
        { "json member type unsupported", Json("public partial record Trip(string Driver, System.TimeSpan Duration);") },
        { "json record not partial", Json("public record Trip(string Driver);") },
        { "json duplicate property names", Json("public partial record Trip(string Id, [property: System.Text.Json.Serialization.JsonPropertyName(\"Id\")] string Other);") },
        { "json nested record without [JsonRecord]", Json("public partial record Trip(Leg Leg);\npublic partial record Leg(int Minutes);") },
        { "both serde formats on one type", Node("public void Process(string key, Trip value) { }", output: "", extra: """
                [AvroRecord] [JsonRecord] public partial record Trip(int Minutes);
                """) },
        { "topology using a broken avro record", Node("public void Process(string key, Trip value) { }", output: "", extra: """
                [AvroRecord] public partial record Trip(System.TimeSpan Duration);
                """) },
        { "topology name not constant", Node("public void Process(string value) => Out(value);", topologyName: "Name") },
        { "punctuation interval without a unit", Node("public void Process(string value) => Out(value);\n [Punctuate(\"10\", PunctuationType.StreamTime)] public void Tick(long timestamp) { }") },
        { "punctuation interval of zero", Node("public void Process(string value) => Out(value);\n [Punctuate(\"0ms\", PunctuationType.WallClockTime)] public void Tick(long timestamp) { }") },
        { "undefined punctuation type", Node("public void Process(string value) => Out(value);\n [Punctuate(\"1s\", (PunctuationType)9)] public void Tick(long timestamp) { }") },
        { "static punctuator", Node("public void Process(string value) => Out(value);\n [Punctuate(\"1s\", PunctuationType.StreamTime)] public static void Tick(long timestamp) { }") },
        { "punctuator without a timestamp", Node("public void Process(string value) => Out(value);\n [Punctuate(\"1s\", PunctuationType.StreamTime)] public void Tick() { }") },
        { "private punctuator", Node("public void Process(string value) => Out(value);\n [Punctuate(\"1s\", PunctuationType.StreamTime)] private void Tick(long timestamp) { }") },
        { "punctuator missing its type", Node("public void Process(string value) => Out(value);\n [Punctuate(\"1s\")] public void Tick(long timestamp) { }") },
        { "join keys not co-partitioned (int into long)", Node("public void Process(string value) => Out(1, value);",
            "[To(nameof(J))] private partial void Out(int key, string value);", extra: """
                [Join(From = nameof(Node), Table = "t", Store = "s", To = "joined")] public partial class J { public string Join(long key, string left, string right) => left + right; }
                """) },
        { "windowed key into a join", Node("public void Process(string value) => Out(value, value);", "[To(nameof(C))] private partial void Out(string key, string value);", extra: """
                [Count(From = nameof(Node), Store = "c", Window = "tumbling 1m", To = nameof(J))] public partial class C;
                [Join(From = nameof(C), Table = "t", Store = "s", To = "joined")] public partial class J { public string Join(long left, string right) => right; }
                """) },
        { "left join with a right side that cannot be null", Node("public void Process(string value) => Out(value);", "[To(nameof(J))] private partial void Out(string value);", extra: """
                [Join(From = nameof(Node), Table = "t", Store = "s", To = "joined", Kind = JoinKind.Left)] public partial class J { public string Join(string left, string right) => right; }
                """) },
        { "join table is a node", Node("public void Process(string value) => Out(value);", "[To(nameof(J))] private partial void Out(string value);", extra: """
                [Join(From = "in2", Table = nameof(Node), Store = "s", To = "joined")] public partial class J { public string Join(string left, string right) => right; }
                """) },
        { "join table also read as a stream", Node("public void Process(string value) { }", "", from: "\"t\"", extra: """
                [Join(From = "in", Table = "t", Store = "s", To = "joined")] public partial class J { public string Join(string left, string right) => right; }
                """) },
        { "join without To", Node("public void Process(string value) => Out(value);", "[To(nameof(J))] private partial void Out(string value);", extra: """
                [Join(From = nameof(Node), Table = "t", Store = "s")] public partial class J { public string Join(string left, string right) => right; }
                """) },
        { "join with an output method", Node("public void Process(string value) => Out(value);", "[To(nameof(J))] private partial void Out(string value);", extra: """
                [Join(From = nameof(Node), Table = "t", Store = "s", To = "joined")]
                public partial class J { public string Join(string left, string right) => right; [To("x")] private partial void Extra(string value); }
                """) },
        { "join without a Join method", Node("public void Process(string value) => Out(value);", "[To(nameof(J))] private partial void Out(string value);", extra: """
                [Join(From = nameof(Node), Table = "t", Store = "s", To = "joined")] public partial class J { public void Join(string left, string right) { } }
                """) },
        { "join table value without a serde", Node("public void Process(string value) => Out(value);", "[To(nameof(J))] private partial void Out(string value);", extra: """
                [Join(From = nameof(Node), Table = "t", Store = "s", To = "joined")] public partial class J { public string Join(string left, System.TimeSpan right) => left; }
                """) },
        { "ref struct output parameter", Node("public void Process(string value) { }", "[To(\"out\")] private partial void Out(System.ReadOnlySpan<byte> value);") },
        { "ref struct Process value", Node("public void Process(System.ReadOnlySpan<byte> value) { }", "") },
        { "punctuator on a count", Node("public void Process(string value) => Out(value, value);", "[To(nameof(Counter))] private partial void Out(string key, string value);", extra: """
                [Count(From = nameof(Node), Store = "s", To = "counted")]
                public partial class Counter { [Punctuate("1s", PunctuationType.StreamTime)] public void Tick(long timestamp) { } }
                """) },
    };

    private static string Avro(string declaration) => $$"""
        using Streams.Generated;

        namespace Samples;

        [AvroRecord]
        {{declaration}}
        """;

    private static string Json(string declaration) => $$"""
        using Streams.Generated;

        namespace Samples;

        [JsonRecord]
        {{declaration}}
        """;

    private static string Node(string process, string output = "[To(\"out\")] private partial void Out(string value);",
        string? from = "\"in\"", string extra = "", bool partialNode = true, string topologyModifiers = "public static partial",
        string typeParameters = "", string topologyName = "\"broken\"")
    {
        var fromArgument = from is null ? "" : $"From = {from}";
        return $$"""
            using Streams.Generated;

            namespace Samples;

            [Topology({{topologyName}})]
            {{topologyModifiers}} class Broken{{typeParameters}}
            {
                public static string Name = "x";

                [Processor({{fromArgument}})]
                public {{(partialNode ? "partial " : "")}}class Node
                {
                    {{process}}
                    {{output.Replace("Broken_Node", "Node")}}
                }

                {{extra}}
            }
            """;
    }

    [Theory]
    [MemberData(nameof(BrokenTopologies))]
    public void A_broken_topology_gets_no_code_and_no_error_in_generated_files(string what, string source)
    {
        var result = CSharpGeneratorRunner.Generate(source, Good);

        result.AssertNoGeneratorFailure();
        Assert.True(result.GeneratedSources.Select(s => s.HintName).SequenceEqual(["Samples.Good.g.cs"]),
            $"{what}: expected only the good topology, got:\n{result.AllGeneratedText()}");
        Assert.Empty(result.ErrorsInGeneratedFiles());
    }

    /// <summary>
    /// The other half of the contract: the generator is silent, so the user must see why from the analyzer (an SG error)
    /// or from the compiler (an error in the user's own code, not one caused by the missing generated members).
    /// </summary>
    [Theory]
    [MemberData(nameof(BrokenTopologies))]
    public async Task A_topology_the_generator_skips_gets_an_error_that_explains_why(string what, string source)
    {
        var result = CSharpGeneratorRunner.Generate(source, Good);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new Analyzers.TopologyAnalyzer(), new Analyzers.RecordSerdeAnalyzer(), new Analyzers.ProcessorCodeAnalyzer());
        var diagnostics = await result.Compilation.WithAnalyzers(analyzers).GetAllDiagnosticsAsync();

        string[] consequencesOfSkipping = ["CS8795", "CS0117"]; // partial method without implementation; no Definition
        var explanations = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error
            && (d.Id.StartsWith("SG", StringComparison.Ordinal) || !consequencesOfSkipping.Contains(d.Id))).ToList();
        Assert.True(explanations.Count > 0, $"{what}: no error explains why nothing was generated; got:\n{string.Join("\n", diagnostics)}");
    }

    [Fact]
    public async Task The_analyzer_reports_nothing_for_a_valid_topology_and_its_generated_code()
    {
        var result = CSharpGeneratorRunner.Generate(Good);
        var diagnostics = await result.Compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Analyzers.TopologyAnalyzer(), new Analyzers.RecordSerdeAnalyzer(), new Analyzers.ProcessorCodeAnalyzer())).GetAnalyzerDiagnosticsAsync();
        Assert.Single(result.GeneratedSources);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void The_valid_topology_beside_a_broken_one_compiles_cleanly()
    {
        var result = CSharpGeneratorRunner.Generate(Good);
        result.AssertNoGeneratorFailure();
        Assert.Empty(result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Without_the_runtime_assembly_nothing_is_generated_and_nothing_throws()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("NoRuntime",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("[Streams.Generated.Topology(\"x\")] static partial class X { } [Streams.Generated.AvroRecord] partial record R(int A);")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);
        var driver = CSharpGeneratorRunner.CreateDriver().RunGenerators(compilation);
        Assert.All(driver.GetRunResult().Results, result =>
        {
            Assert.Null(result.Exception);
            Assert.Empty(result.GeneratedSources);
        });
    }
}
