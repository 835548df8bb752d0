using System;
using Microsoft.CodeAnalysis;

namespace Streams.Generated.Shared;

// Compiled into both the generator and the analyzer (linked source), so that the punctuators the generated task calls
// and what SG0018 reports are decided by the same rules.

/// <summary>What makes a <c>[Punctuate(interval, type)]</c> method a punctuator the generated task can call.</summary>
internal static class PunctuationRules
{
    public const string AttributeName = "Streams.Generated.PunctuateAttribute";

    /// <summary>How to write an interval, for messages.</summary>
    public const string FormatText = "a positive whole number with a unit: '250ms', '10s', '5m', '1h' or '1d'";

    /// <summary>
    /// Parses an interval (<c>"250ms"</c>, <c>"10s"</c>, <c>"5m"</c>, <c>"1h"</c>, <c>"1d"</c>, see <see cref="DurationText"/>).
    /// Returns null and the interval in milliseconds, or the problem (what follows "Punctuator 'M' " in an SG0018 message).
    /// </summary>
    public static string? ParseInterval(string? text, out long milliseconds)
    {
        milliseconds = 0;
        if (text is null || text.Length == 0)
        {
            return "has an empty interval; write " + FormatText;
        }

        if (DurationText.Parse(text, out milliseconds) is { } problem)
        {
            return $"has interval '{text}', which {problem}" + (problem.StartsWith("is not", StringComparison.Ordinal) ? "; write " + FormatText : "");
        }

        return milliseconds == 0 ? $"has interval '{text}', which is not positive; write " + FormatText : null;
    }

    /// <summary>Whether the attribute's type argument is <c>PunctuationType.StreamTime</c> (0) or <c>WallClockTime</c> (1).</summary>
    public static bool IsDefinedType(object? value, out bool wallClockTime)
    {
        wallClockTime = value is 1;
        return value is 0 or 1;
    }

    /// <summary>
    /// What keeps <paramref name="method"/> from being a punctuator (what follows "Punctuator 'M' " in an SG0018 message),
    /// or null: it must be an accessible, synchronous, non-generic instance method <c>void M(long timestamp)</c>, and not
    /// an output.
    /// </summary>
    public static string? CheckMethod(IMethodSymbol method, bool isOutput)
    {
        if (isOutput)
        {
            return "is an output method ([To]), which the generator implements; punctuate in a method of your own and call the output from it";
        }

        if (method.MethodKind != MethodKind.Ordinary)
        {
            return "is not an ordinary method; declare 'void M(long timestamp)'";
        }

        if (method.IsStatic)
        {
            return "is static; make it an instance method (the task calls it on its instance of the processor)";
        }

        if (method.IsGenericMethod)
        {
            return "is generic; remove its type parameters";
        }

        if (!method.ReturnsVoid)
        {
            return $"returns '{method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'; make it return void";
        }

        if (method.IsAsync)
        {
            return "is async void: the task cannot wait for it, so its outputs would come after the punctuation; make it synchronous";
        }

        if (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
        {
            return "is not accessible to the generated code; make it public or internal";
        }

        if (method.Parameters.Length != 1 || method.Parameters[0].Type.SpecialType != SpecialType.System_Int64
            || method.Parameters[0].RefKind != RefKind.None || method.Parameters[0].IsParams)
        {
            return "must take one by-value 'long timestamp' parameter (the stream time or wall-clock time, in Unix milliseconds); declare 'void M(long timestamp)'";
        }

        return null;
    }
}
