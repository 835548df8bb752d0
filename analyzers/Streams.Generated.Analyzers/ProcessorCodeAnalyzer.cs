using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Streams.Generated.Analyzers;

/// <summary>
/// Looks inside the code of the [Processor] and [Join] classes of a topology, which runs on the stream thread for every
/// record: calls that block that thread (SG0014, in every method and accessor of the class; constructors run once per
/// task and are not checked), and allocations the user can avoid in <c>Process</c> or <c>Join</c> (SG0015: LINQ,
/// capturing lambdas).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProcessorCodeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.ProcessorCode;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.Create(start.Compilation);
            if (known is null)
            {
                return;
            }

            var blocking = new BlockingApis(start.Compilation);
            var enumerable = start.Compilation.GetTypeByMetadataName("System.Linq.Enumerable");
            start.RegisterOperationBlockStartAction(block => AnalyzeBlock(block, known, blocking, enumerable));
        });
    }

    private static void AnalyzeBlock(OperationBlockStartAnalysisContext block, KnownSymbols known, BlockingApis blocking, INamedTypeSymbol? enumerable)
    {
        if (block.OwningSymbol is not IMethodSymbol method
            || method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor
            || !IsProcessorOfTopology(method.ContainingType, known))
        {
            return;
        }

        var processor = method.ContainingType.Name;
        block.RegisterOperationAction(context =>
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (blocking.Find(invocation.TargetMethod) is { } api && !HasZeroTimeout(invocation))
            {
                Report(context, DiagnosticDescriptors.BlockingCall, api.Display, processor, api.Advice);
            }
        }, OperationKind.Invocation);
        block.RegisterOperationAction(context =>
        {
            var reference = (IPropertyReferenceOperation)context.Operation;
            if (blocking.Find(reference.Property) is { } api)
            {
                Report(context, DiagnosticDescriptors.BlockingCall, api.Display, processor, api.Advice);
            }
        }, OperationKind.PropertyReference);

        if (method.MethodKind != MethodKind.Ordinary || method.Name != (known.Find(method.ContainingType, known.Processor) is null ? "Join" : "Process"))
        {
            return;
        }

        if (enumerable is not null)
        {
            block.RegisterOperationAction(context =>
            {
                var target = ((IInvocationOperation)context.Operation).TargetMethod;
                var definition = target.ReducedFrom ?? target;
                if (SymbolEqualityComparer.Default.Equals(definition.ContainingType?.OriginalDefinition, enumerable))
                {
                    Report(context, DiagnosticDescriptors.HotPathAllocation, $"The LINQ call 'Enumerable.{target.Name}'", processor + "." + method.Name,
                        "can allocate for every record (an enumerator, delegates for capturing lambdas, buffers)", "write a foreach or for loop instead");
                }
            }, OperationKind.Invocation);
        }

        block.RegisterOperationAction(context =>
        {
            var function = (IAnonymousFunctionOperation)context.Operation;
            if (function.IsImplicit)
            {
                return; // the lambdas of a query expression: its clauses are reported as LINQ calls
            }

            var captured = Captures(function);
            if (captured.Count > 0)
            {
                var kind = function.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousMethodExpressionSyntax ? "An anonymous method" : "A lambda";
                Report(context, DiagnosticDescriptors.HotPathAllocation, $"{kind} that captures {string.Join(", ", captured)}", processor + "." + method.Name,
                    "allocates a closure and a delegate for every record", "make it 'static' and pass what it needs as arguments, or write a loop or a method instead");
            }
        }, OperationKind.AnonymousFunction);
    }

    /// <summary><c>semaphore.Wait(0)</c>, <c>handle.WaitOne(0)</c>: a probe that returns at once, not a wait.</summary>
    private static bool HasZeroTimeout(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "millisecondsTimeout" && argument.Value.ConstantValue is { HasValue: true, Value: 0 })
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, params object[] args) =>
        context.ReportDiagnostic(Diagnostic.Create(descriptor, context.Operation.Syntax.GetLocation(), args));

    /// <summary>A [Processor] class nested directly in a [Topology] class (elsewhere it is SG0007, and not a node).</summary>
    private static bool IsProcessorOfTopology(INamedTypeSymbol? type, KnownSymbols known) =>
        type is not null
        && (known.Find(type, known.Processor) is not null || (known.Join is { } join && known.Find(type, join) is not null))
        && type.ContainingType is { } topology
        && known.Find(topology, known.Topology) is not null;

    /// <summary>
    /// The variables, parameters and <c>this</c> a lambda uses from outside itself, quoted, in order of first use. A
    /// lambda that uses none is cached by the compiler in a static field and allocates nothing after the first call.
    /// </summary>
    private static List<string> Captures(IAnonymousFunctionOperation function)
    {
        var names = new List<string>();
        var span = function.Syntax.Span;
        foreach (var operation in function.Body.Descendants())
        {
            string? name = operation switch
            {
                ILocalReferenceOperation { Local: { IsConst: false } local } when DeclaredOutside(local, span) => local.Name,
                IParameterReferenceOperation { Parameter: var parameter } when DeclaredOutside(parameter, span) => parameter.Name,
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => "this",
                _ => null,
            };
            if (name is not null && !names.Contains($"'{name}'"))
            {
                names.Add($"'{name}'");
            }
        }

        return names;
    }

    private static bool DeclaredOutside(ISymbol symbol, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (span.Contains(reference.Span))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The members that block the calling thread, resolved once per compilation.</summary>
    private sealed class BlockingApis
    {
        private const string SyncOverAsync =
            "this is sync-over-async: call a synchronous API instead, or do the asynchronous work outside the record path (load data before the app starts, or bring it in through a topic)";

        private const string Pause =
            "do not pause the stream thread: to delay or retry a record, write it to a retry topic and handle it there";

        private const string WaitForOthers =
            "do not wait for other threads in a processor: its state belongs to one task on one thread and needs no synchronization; hand data to other threads without waiting for them";

        private static readonly Api AwaiterGetResult = new("GetResult", "GetAwaiter().GetResult()", SyncOverAsync);

        private readonly Dictionary<INamedTypeSymbol, List<Api>> _byType = new(SymbolEqualityComparer.Default);

        public BlockingApis(Compilation compilation)
        {
            Add(compilation, "System.Threading.Thread", "Sleep", "Thread.Sleep", Pause);
            Add(compilation, "System.Threading.SpinWait", "SpinUntil", "SpinWait.SpinUntil", Pause);
            Add(compilation, "System.Threading.Thread", "Join", "Thread.Join", WaitForOthers);
            Add(compilation, "System.Threading.Tasks.Task", "Wait", "Task.Wait", SyncOverAsync);
            Add(compilation, "System.Threading.Tasks.Task", "WaitAll", "Task.WaitAll", SyncOverAsync);
            Add(compilation, "System.Threading.Tasks.Task", "WaitAny", "Task.WaitAny", SyncOverAsync);
            Add(compilation, "System.Threading.Tasks.Task`1", "Result", "Task<T>.Result", SyncOverAsync);
            Add(compilation, "System.Threading.Tasks.ValueTask`1", "Result", "ValueTask<T>.Result", SyncOverAsync);
            Add(compilation, "System.Threading.WaitHandle", "WaitOne", "WaitHandle.WaitOne", WaitForOthers);
            Add(compilation, "System.Threading.WaitHandle", "WaitAll", "WaitHandle.WaitAll", WaitForOthers);
            Add(compilation, "System.Threading.WaitHandle", "WaitAny", "WaitHandle.WaitAny", WaitForOthers);
            Add(compilation, "System.Threading.WaitHandle", "SignalAndWait", "WaitHandle.SignalAndWait", WaitForOthers);
            Add(compilation, "System.Threading.SemaphoreSlim", "Wait", "SemaphoreSlim.Wait", WaitForOthers);
            Add(compilation, "System.Threading.ManualResetEventSlim", "Wait", "ManualResetEventSlim.Wait", WaitForOthers);
            Add(compilation, "System.Threading.CountdownEvent", "Wait", "CountdownEvent.Wait", WaitForOthers);
            Add(compilation, "System.Threading.Barrier", "SignalAndWait", "Barrier.SignalAndWait", WaitForOthers);
            Add(compilation, "System.Threading.Monitor", "Wait", "Monitor.Wait", WaitForOthers);
            Add(compilation, "System.Collections.Concurrent.BlockingCollection`1", "Take", "BlockingCollection<T>.Take", WaitForOthers);
        }

        /// <summary>The blocking API <paramref name="member"/> is (or overrides), or null.</summary>
        public Api? Find(ISymbol member)
        {
            for (var current = member; current is not null; current = Overridden(current))
            {
                var type = current.ContainingType?.OriginalDefinition;
                if (type is null)
                {
                    return null;
                }

                if (_byType.TryGetValue(type, out var apis))
                {
                    foreach (var api in apis)
                    {
                        if (api.Member == current.Name)
                        {
                            return api;
                        }
                    }
                }

                // TaskAwaiter, TaskAwaiter<T>, ValueTaskAwaiter<T>, ConfiguredTaskAwaitable<T>.ConfiguredTaskAwaiter...
                if (current is IMethodSymbol { Name: "GetResult", Parameters.Length: 0 }
                    && type.Name.EndsWith("Awaiter", System.StringComparison.Ordinal)
                    && type.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices")
                {
                    return AwaiterGetResult;
                }
            }

            return null;
        }

        private static ISymbol? Overridden(ISymbol member) => member switch
        {
            IMethodSymbol method => method.OverriddenMethod,
            IPropertySymbol property => property.OverriddenProperty,
            _ => null,
        };

        private void Add(Compilation compilation, string typeName, string member, string display, string advice)
        {
            if (compilation.GetTypeByMetadataName(typeName) is not { } type)
            {
                return;
            }

            if (!_byType.TryGetValue(type, out var apis))
            {
                _byType.Add(type, apis = []);
            }

            apis.Add(new Api(member, display, advice));
        }
    }

    private sealed class Api(string member, string display, string advice)
    {
        public string Member { get; } = member;
        public string Display { get; } = display;
        public string Advice { get; } = advice;
    }
}
