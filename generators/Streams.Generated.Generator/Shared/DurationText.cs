namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source): durations in attributes (punctuation intervals,
// windows, grace periods) parse the same way in both.

/// <summary>Durations written in attributes: a whole number with a unit, <c>"250ms"</c>, <c>"10s"</c>, <c>"5m"</c>, <c>"1h"</c>, <c>"1d"</c>.</summary>
internal static class DurationText
{
    /// <summary>How to write a duration, for messages.</summary>
    public const string Units = "a whole number with a unit: '250ms', '10s', '5m', '1h' or '1d'";

    /// <summary>The generated definitions hold durations as TimeSpans: the longest one, in milliseconds.</summary>
    public const long MaxMilliseconds = long.MaxValue / 10_000; // TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMillisecond

    /// <summary>
    /// Parses <paramref name="text"/> (zero included). A unit is required: a bare <c>10</c> could mean milliseconds or
    /// seconds. Returns null, or what is wrong: <c>"is not a duration"</c> or <c>"is too long: ..."</c>.
    /// </summary>
    public static string? Parse(string text, out long milliseconds)
    {
        milliseconds = 0;
        var digits = 0;
        while (digits < text.Length && text[digits] >= '0' && text[digits] <= '9')
        {
            digits++;
        }

        long factor = text.Substring(digits) switch
        {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => 0,
        };
        if (digits == 0 || factor == 0)
        {
            return "is not a duration";
        }

        long value = 0;
        for (var i = 0; i < digits; i++)
        {
            var digit = text[i] - '0';
            if (value > (MaxMilliseconds - digit) / 10)
            {
                return TooLong;
            }

            value = value * 10 + digit;
        }

        if (value > MaxMilliseconds / factor)
        {
            return TooLong;
        }

        milliseconds = value * factor;
        return null;
    }

    private const string TooLong = "is too long: at most 922337203685477ms (about 29,000 years)";
}
