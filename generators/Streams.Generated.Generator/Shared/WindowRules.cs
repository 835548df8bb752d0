using System;

namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source), so that the windows the generated task uses and
// what the analyzer reports are decided by the same rules.

/// <summary>The time windows of a <c>[Count(Window = ..., Grace = ...)]</c>.</summary>
internal static class WindowRules
{
    /// <summary>How to write a window, for messages.</summary>
    public const string WindowFormat = "'tumbling <size>' or 'hopping <size> advance <advance>', e.g. 'tumbling 1m' or 'hopping 5m advance 1m'";

    /// <summary>
    /// Parses a window: <c>"tumbling 1m"</c> (the advance is the size) or <c>"hopping 5m advance 1m"</c>. Returns null
    /// with the size and advance in milliseconds, or what is wrong with it (a sentence about <c>Window = "..."</c>).
    /// </summary>
    public static string? ParseWindow(string text, out long size, out long advance)
    {
        size = advance = 0;
        var words = text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        var tumbling = words.Length == 2 && words[0] == "tumbling";
        var hopping = words.Length == 4 && words[0] == "hopping" && words[2] == "advance";
        if (!tumbling && !hopping)
        {
            return $"Window '{text}' is not a window; write " + WindowFormat;
        }

        if (DurationText.Parse(words[1], out size) is { } sizeProblem)
        {
            return $"The size '{words[1]}' of window '{text}' {sizeProblem}; write " + DurationText.Units;
        }

        if (size == 0)
        {
            return $"Window '{text}' has size 0; a window must be at least 1ms long";
        }

        if (tumbling)
        {
            advance = size;
            return null;
        }

        if (DurationText.Parse(words[3], out advance) is { } advanceProblem)
        {
            return $"The advance '{words[3]}' of window '{text}' {advanceProblem}; write " + DurationText.Units;
        }

        if (advance == 0)
        {
            return $"Window '{text}' advances by 0; the advance must be at least 1ms";
        }

        if (advance > size)
        {
            return $"Window '{text}' advances by more than its size: records between two windows would be counted in none; make the advance at most the size";
        }

        return null;
    }

    /// <summary>Parses a grace period (zero included). Returns null with the grace in milliseconds, or what is wrong with it.</summary>
    public static string? ParseGrace(string text, out long grace)
    {
        grace = 0;
        if (text.StartsWith("-", StringComparison.Ordinal))
        {
            return $"Grace '{text}' is negative; write a duration of 0 or more, e.g. '10s' or '0ms'";
        }

        return DurationText.Parse(text, out grace) is { } problem ? $"Grace '{text}' {problem}; write " + DurationText.Units : null;
    }
}
