using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Streams.Generated.Analyzers.Tests.Infrastructure;

/// <summary>An expected diagnostic: id and exact source span.</summary>
public readonly record struct ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test source with expected diagnostics marked inline: <c>{|SG0002:"nope topic"|}</c> expects SG0002 exactly on
/// <c>"nope topic"</c>. Markers may nest. <see cref="Parse"/> strips them and returns the plain source and the spans.
/// </summary>
public sealed class MarkedSource
{
    private MarkedSource(string source, IReadOnlyList<ExpectedDiagnostic> expected)
    {
        Source = source;
        Expected = expected;
    }

    /// <summary>The source without markers.</summary>
    public string Source { get; }

    /// <summary>The marked spans, in the coordinates of <see cref="Source"/>.</summary>
    public IReadOnlyList<ExpectedDiagnostic> Expected { get; }

    public static MarkedSource Parse(string marked)
    {
        var output = new StringBuilder(marked.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = new List<ExpectedDiagnostic>();
        var i = 0;
        while (i < marked.Length)
        {
            if (string.CompareOrdinal(marked, i, "{|", 0, 2) == 0)
            {
                var colon = marked.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"Marker at {i} has no ':' after its id.");
                }

                open.Push((marked[(i + 2)..colon], output.Length));
                i = colon + 1;
            }
            else if (string.CompareOrdinal(marked, i, "|}", 0, 2) == 0)
            {
                if (open.Count == 0)
                {
                    throw new FormatException($"Marker end at {i} has no start.");
                }

                var (id, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, output.Length)));
                i += 2;
            }
            else
            {
                output.Append(marked[i]);
                i++;
            }
        }

        if (open.Count != 0)
        {
            throw new FormatException($"Marker '{open.Peek().Id}' is not closed.");
        }

        return new MarkedSource(output.ToString(), expected);
    }
}
