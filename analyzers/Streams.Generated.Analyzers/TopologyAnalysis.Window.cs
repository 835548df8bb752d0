using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Streams.Generated.Shared;

namespace Streams.Generated.Analyzers;

/// <summary>SG0019: the Window, Grace and Emit of a <c>[Count]</c>, with the rules the generator compiles.</summary>
internal sealed partial class TopologyAnalysis
{
    private void CheckWindow(NodeModel node)
    {
        TypedConstant? window = null, grace = null, emit = null;
        foreach (var named in node.Attribute.NamedArguments)
        {
            switch (named.Key)
            {
                case "Window": window = named.Value; break;
                case "Grace": grace = named.Value; break;
                case "Emit": emit = named.Value; break;
            }
        }

        // A non-constant argument is a compiler error already, and leaves unknown whether the count is windowed.
        if (window is { Kind: TypedConstantKind.Error })
        {
            return;
        }

        var windowText = window?.Value as string;
        node.IsWindowed = !string.IsNullOrEmpty(windowText);
        if (node.IsWindowed && WindowRules.ParseWindow(windowText!, out _, out _, out var windowCorrection) is { } windowProblem)
        {
            ReportWindow(node, "Window", windowProblem, windowCorrection);
        }

        // An empty Grace is the default (no grace), harmless with or without a Window.
        if (grace is { Kind: not TypedConstantKind.Error, Value: string { Length: > 0 } graceText })
        {
            if (!node.IsWindowed)
            {
                ReportWindow(node, "Grace",
                    $"Grace '{graceText}' is set without a Window, and only a window has a grace period; set a Window (e.g. Window = \"tumbling 1m\") or remove Grace",
                    correction: null);
            }
            else if (WindowRules.ParseGrace(graceText, out _, out var graceCorrection) is { } graceProblem)
            {
                ReportWindow(node, "Grace", graceProblem, graceCorrection);
            }
        }

        if (emit is { Kind: not TypedConstantKind.Error } emitValue)
        {
            if (!WindowRules.IsDefinedEmit(emitValue.Value, out var final))
            {
                ReportWindow(node, "Emit", $"Emit is (Emit){emitValue.Value}, which is neither Emit.Updates nor Emit.Final; choose one", correction: null);
            }
            else if (final && !node.IsWindowed)
            {
                ReportWindow(node, "Emit",
                    "Emit = Emit.Final is set without a Window, and only a window closes to give a final result; set a Window (e.g. Window = \"tumbling 1m\") or remove Emit to emit every update",
                    correction: null);
            }
        }
    }

    /// <summary>SG0019 on the argument <paramref name="argumentName"/> of the node's [Count] (else on the class name).</summary>
    private void ReportWindow(NodeModel node, string argumentName, string problem, string? correction)
    {
        var location = SyntaxLocations.NamedArgument(node.AttributeSyntax, argumentName)?.GetLocation() ?? node.Identifier;
        var properties = correction is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.CorrectedArgumentProperty, correction);
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidWindow, location, properties, node.Name, problem));
    }
}
