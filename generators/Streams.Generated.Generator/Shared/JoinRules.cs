namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source), so that the joins the generator builds and what
// the analyzer reports are decided by the same rules.

/// <summary>The arguments of a <c>[Join]</c> that are checked as values.</summary>
internal static class JoinRules
{
    /// <summary>Whether the attribute's Kind argument is <c>JoinKind.Inner</c> (0) or <c>JoinKind.Left</c> (1).</summary>
    public static bool IsDefinedKind(object? value, out bool left)
    {
        left = value is 1;
        return value is 0 or 1;
    }
}
