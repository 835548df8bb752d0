using System.Runtime.CompilerServices;
using Streams.Generated.Generator.Tests.Infrastructure;

namespace Streams.Generated.Generator.Tests;

/// <summary>
/// Compares the generated text of representative topologies and of an Avro and a JSON record with the files in <c>Baselines/</c>, so that a reviewer
/// sees what users get and every change to it shows up in a diff. After a deliberate change to the emitter, rewrite
/// the baselines with <c>STREAMS_GENERATED_UPDATE_BASELINES=1 dotnet test tests/Streams.Generated.Generator.Tests</c>
/// and review the diff.
/// </summary>
public class BaselineTests
{
    public const string UpdateVariable = "STREAMS_GENERATED_UPDATE_BASELINES";

    [Fact]
    public void WordCount() => Verify(Sources.WordCount, "Samples.WordCount.g.cs", "WordCount.cs.txt");

    [Fact]
    public void NumberChain() => Verify(Sources.NumberChain, "Samples.NumberChain.g.cs", "NumberChain.cs.txt");

    [Fact]
    public void Services() => Verify(Sources.Behaviors, "Samples.Behaviors.Prices.g.cs", "Services.cs.txt");

    [Fact]
    public void Punctuation() => Verify(Sources.Behaviors, "Samples.Behaviors.Punctual.g.cs", "Punctual.cs.txt");

    [Fact]
    public void WindowedCount() => Verify(Sources.WindowedViews, "Samples.WindowedViews.g.cs", "WindowedCount.cs.txt");

    [Fact]
    public void StreamTableJoin() => Verify(Sources.StreamTableJoin, "Samples.StreamTableJoin.g.cs", "StreamTableJoin.cs.txt");

    [Fact]
    public void AvroOrder() => Verify(Sources.AvroOrder, "Samples.Order.Avro.g.cs", "AvroOrder.cs.txt");

    [Fact]
    public void JsonOrder() => Verify(Sources.JsonOrder, "Samples.Order.Json.g.cs", "JsonOrder.cs.txt");

    private static void Verify(string source, string hintName, string baselineName, [CallerFilePath] string thisFile = "")
    {
        var generated = CSharpGeneratorRunner.GenerateAndAssertCompiles(source).GeneratedText(hintName).Replace("\r\n", "\n");
        var path = Path.Combine(Path.GetDirectoryName(thisFile)!, "Baselines", baselineName);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(File.Exists(path), $"Missing baseline {path}; run the tests with {UpdateVariable}=1 to create it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != generated)
        {
            Assert.Fail($"Generated text differs from {path}. If the change is deliberate, run the tests with {UpdateVariable}=1 "
                + $"and review the diff.\n{FirstDifference(expected, generated)}");
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"line {i + 1}:\n  expected: {e}\n  actual:   {a}";
            }
        }

        return "";
    }
}
