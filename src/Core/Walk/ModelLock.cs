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

    /// <summary>Throws <see cref="ErrorIds.ModelDisposed"/> for a disposed model.</summary>
    public static void ThrowIfDisposed(nn.Module model)
    {
        if (IsDisposed(model))
            throw new InitCfgException(ErrorIds.ModelDisposed, null,
                $"the {LayerTypeNames.ClassName(model)} model has been disposed (Dispose() was called on it or on one of its tensors); build it again.");
    }
}
