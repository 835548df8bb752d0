using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Streams.Generated.Analyzers.Tests.Infrastructure;

/// <summary>
/// Checks that <see cref="TopologyAnalyzer"/> reports exactly the diagnostics marked in a test source (same ids, same
/// spans, nothing more), and that the source has no compiler errors other than the expected ones.
/// </summary>
public static class AnalyzerVerifier
{
    /// <summary>Verifies a marked source; returns the diagnostics so a test can also check messages.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> VerifyAsync(string markedSource, params string[] allowedCompilerErrors)
    {
        var marked = MarkedSource.Parse(markedSource);
        var compilation = TestCompilation.Create(marked.Source);
        var text = SourceText.From(marked.Source);

        var unexpectedErrors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Where(d => !TestCompilation.ExpectedCompilerErrors.Contains(d.Id) && !allowedCompilerErrors.Contains(d.Id))
            .ToList();
        if (unexpectedErrors.Count > 0)
        {
            Assert.Fail("The test source has compiler errors:\n" + string.Join("\n", unexpectedErrors.Select(d => Describe(d, text))));
        }

        var diagnostics = await TestCompilation.GetAnalyzerDiagnosticsAsync(compilation);
        var actual = diagnostics
            .Where(d => d.Location.SourceTree?.FilePath == "Test0.cs")
            .Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan))
            .ToHashSet();
        var elsewhere = diagnostics.Where(d => d.Location.SourceTree?.FilePath != "Test0.cs").ToList();
        var expected = marked.Expected.ToHashSet();

        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        if (missing.Count > 0 || extra.Count > 0 || elsewhere.Count > 0)
        {
            var message = new StringBuilder("Diagnostics differ from the markers.\n");
            foreach (var m in missing)
            {
                message.Append("  missing: ").Append(Describe(m, text)).Append('\n');
            }

            foreach (var e in extra)
            {
                var diagnostic = diagnostics.First(d => d.Id == e.Id && d.Location.SourceSpan == e.Span);
                message.Append("  unexpected: ").Append(Describe(diagnostic, text)).Append('\n');
            }

            foreach (var d in elsewhere)
            {
                message.Append("  outside the test source: ").Append(d).Append('\n');
            }

            message.Append("All reported:\n");
            foreach (var d in diagnostics)
            {
                message.Append("  ").Append(Describe(d, text)).Append('\n');
            }

            Assert.Fail(message.ToString());
        }

        foreach (var diagnostic in diagnostics)
        {
            // Formatting throws if a message has fewer arguments than placeholders.
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return diagnostics;
    }

    /// <summary>Verifies that the source produces no analyzer diagnostics.</summary>
    public static Task VerifyNoDiagnosticsAsync(string source, params string[] allowedCompilerErrors) =>
        VerifyAsync(source, allowedCompilerErrors);

    private static string Describe(ExpectedDiagnostic expected, SourceText text) =>
        $"{expected.Id} at {Position(expected.Span, text)} on '{text.ToString(expected.Span)}'";

    private static string Describe(Diagnostic diagnostic, SourceText text) =>
        $"{diagnostic.Id} at {Position(diagnostic.Location.SourceSpan, text)} on '{text.ToString(diagnostic.Location.SourceSpan)}': {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    private static string Position(TextSpan span, SourceText text)
    {
        var line = text.Lines.GetLinePosition(span.Start);
        return $"({line.Line + 1},{line.Character + 1})";
    }
}
