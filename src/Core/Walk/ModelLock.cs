#nullable enable
using System.Reflection;
using System.Runtime.CompilerServices;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// One lock per model, taken by everything that reads or writes it (init, plan, report, export), so a reader in
/// another runspace sees the model before or after a run, never halfway. Not re-entrant: a script block that calls
/// a cmdlet on the model its own run is writing gets <see cref="ErrorIds.ModelBusy"/> instead of a deadlock.
/// A disposed model is refused (<see cref="ErrorIds.ModelDisposed"/>) before anything is read or written.
/// </summary>
public static class ModelLock
{
    private sealed class Gate
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Owner;
        public long Version;
    }

    private sealed class Held : IDisposable
    {
        private Gate? _gate;
        public Held(Gate gate) => _gate = gate;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _gate, null) is not { } g) return;
            g.Owner = 0;
            g.Semaphore.Release();
        }
    }

    private static readonly ConditionalWeakTable<nn.Module, Gate> Gates = new();
    private static readonly FieldInfo? HandleField = typeof(nn.Module).GetField("handle", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>
    /// Waits for the model's lock (up to <paramref name="timeout"/>; infinite when null) and returns it, or null
    /// when the time ran out. Throws <see cref="ErrorIds.ModelBusy"/> when this thread holds it already.
    /// </summary>
    public static IDisposable? TryAcquire(nn.Module model, TimeSpan? timeout, CancellationToken token = default)
    {
        ThrowIfDisposed(model);
        var gate = Gates.GetValue(model, _ => new Gate());
        if (Volatile.Read(ref gate.Owner) == Environment.CurrentManagedThreadId)
            throw new InitCfgException(ErrorIds.ModelBusy, null,
                $"{LayerTypeNames.ClassName(model)} is in use by the call that is running this code (a script block or init method may not read, export or initialize the model its own call is writing).");
        if (!gate.Semaphore.Wait(timeout ?? Timeout.InfiniteTimeSpan, token)) return null;
        gate.Owner = Environment.CurrentManagedThreadId;
        var held = new Held(gate);
        try { ThrowIfDisposed(model); } // disposed while we waited
        catch { held.Dispose(); throw; }
        return held;
    }

    /// <summary>Waits for the model's lock and returns it.</summary>
    public static IDisposable Acquire(nn.Module model, CancellationToken token = default) => TryAcquire(model, null, token)!;

    /// <summary>A number that changes whenever a run commits on the model (to tell whether it changed meanwhile).</summary>
    public static long Version(nn.Module model) => Volatile.Read(ref Gates.GetValue(model, _ => new Gate()).Version);

    internal static void Changed(nn.Module model) => Interlocked.Increment(ref Gates.GetValue(model, _ => new Gate()).Version);

    /// <summary>True when the model (its native handle is closed by Dispose) or any of its tensors has been disposed.</summary>
    public static bool IsDisposed(nn.Module model)
    {
        if (HandleField?.GetValue(model) is System.Runtime.InteropServices.SafeHandle { IsClosed: true }) return true;
        foreach (var m in model.modules().Prepend(model))
            foreach (var t in Registered(m))
                if (t.IsInvalid) return true;
        return false;
    }

    private static readonly FieldInfo? ParamsField = typeof(nn.Module).GetField("_internal_params", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly FieldInfo? BuffersField = typeof(nn.Module).GetField("_internal_buffers", BindingFlags.NonPublic | BindingFlags.Instance);

    // Every tensor registered directly on a module, freed ones included: named_parameters() and named_buffers()
    // skip a disposed tensor silently, so an export would drop it without a word.
    private static IEnumerable<Tensor> Registered(nn.Module m)
    {
        if (ParamsField?.GetValue(m) is IEnumerable<(string, TorchSharp.Modules.Parameter)> parameters)
            foreach (var (_, p) in parameters) if (p is not null) yield return p;
        if (BuffersField?.GetValue(m) is IEnumerable<(string, (Tensor, bool))> buffers)
            foreach (var (_, (b, _)) in buffers) if (b is not null) yield return b;
    }

    /// <summary>Deepest module nesting accepted: TorchSharp walks a model recursively, and real models nest a few dozen.</summary>
    public const int MaxModuleDepth = 1000;

    /// <summary>
    /// Throws <see cref="ErrorIds.ModelCycle"/> when a module is registered below itself (TorchSharp's
    /// named_parameters() would recurse until the stack overflows and kills the process), and
    /// <see cref="ErrorIds.ConfigTooLarge"/> for modules nested deeper than <see cref="MaxModuleDepth"/>. Walks
    /// the tree with an explicit stack, so the check itself cannot overflow.
    /// </summary>
    public static void ThrowIfCyclic(nn.Module model)
    {
        var onPath = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance) { model };
        var stack = new Stack<(nn.Module Module, string Path, IEnumerator<(string, nn.Module)> Children)>();
        stack.Push((model, "", model.named_children().GetEnumerator()));
        while (stack.Count > 0)
        {
            var (module, parentPath, children) = stack.Peek();
            if (!children.MoveNext())
            {
                onPath.Remove(module);
                stack.Pop();
                continue;
            }
            var (name, child) = children.Current;
            if (child is null) continue;
            var path = parentPath.Length == 0 ? name : parentPath + "." + name;
            if (!onPath.Add(child))
                throw new InitCfgException(ErrorIds.ModelCycle, path,
                    $"module '{path}' of {LayerTypeNames.ClassName(model)} is {(ReferenceEquals(child, model) ? "the model itself" : "one of its own ancestors")}: a module registered as its own child makes the model endless.");
            if (stack.Count >= MaxModuleDepth)
                throw new InitCfgException(ErrorIds.ConfigTooLarge, path, $"modules nest deeper than {MaxModuleDepth} levels.");
            stack.Push((child, path, child.named_children().GetEnumerator()));
        }
    }

    /// <summary>Throws <see cref="ErrorIds.ModelDisposed"/> for a disposed model (and <see cref="ThrowIfCyclic"/>'s errors).</summary>
    public static void ThrowIfDisposed(nn.Module model)
    {
        ThrowIfCyclic(model); // first: the disposal check walks the tree recursively
        if (IsDisposed(model))
            throw new InitCfgException(ErrorIds.ModelDisposed, null,
                $"the {LayerTypeNames.ClassName(model)} model has been disposed (Dispose() was called on it or on one of its tensors); build it again.");
    }
}
