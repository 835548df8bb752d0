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
    public static string? ParseWindow(string text, out long size, out long advance) => ParseWindow(text, out size, out advance, out _);

    /// <summary>
    /// <see cref="ParseWindow(string, out long, out long)"/>, and for a window that is wrong in a way with one obvious
    /// correction (a hopping window that advances by more than its size), the corrected text (for a code fix).
    /// </summary>
    public static string? ParseWindow(string text, out long size, out long advance, out string? correction)
    {
        size = advance = 0;
        correction = null;
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
            // Records between two windows would be counted in none; tumbling windows of that size are the nearest valid ones.
            correction = "tumbling " + words[1];
            return $"Window '{text}' advances by more than its size, so records between two windows would be counted in none; "
                + $"make the advance at most the size, e.g. '{correction}' (advance = size)";
        }

        return null;
    }

    /// <summary>Parses a grace period (zero included). Returns null with the grace in milliseconds, or what is wrong with it.</summary>
    public static string? ParseGrace(string text, out long grace) => ParseGrace(text, out grace, out _);

    /// <summary>
    /// <see cref="ParseGrace(string, out long)"/>, and for a negative grace whose magnitude is a valid duration, that
    /// duration (for a code fix).
    /// </summary>
    public static string? ParseGrace(string text, out long grace, out string? correction)
    {
        grace = 0;
        correction = null;
        if (text.StartsWith("-", StringComparison.Ordinal))
        {
            var magnitude = text.Substring(1);
            if (DurationText.Parse(magnitude, out _) is null)
            {
                correction = magnitude;
                return $"Grace '{text}' is negative; a grace period is how long a window still accepts late records, 0 or more: write '{magnitude}'";
            }

            return $"Grace '{text}' is negative; write a duration of 0 or more, e.g. '10s' or '0ms'";
        }

        return DurationText.Parse(text, out grace) is { } problem ? $"Grace '{text}' {problem}; write " + DurationText.Units : null;
    }

    /// <summary>Whether the attribute's Emit argument is <c>Emit.Updates</c> (0) or <c>Emit.Final</c> (1).</summary>
    public static bool IsDefinedEmit(object? value, out bool final)
    {
        final = value is 1;
        return value is 0 or 1;
    }
}
