#nullable enable
using System.Runtime.CompilerServices;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// Lazy models: built on libtorch's <c>meta</c> device, so every parameter and buffer has its name, dtype and shape
/// but no storage, and a 7B-parameter skeleton costs almost nothing. Such a model is initialized only into a
/// checkpoint folder (<see cref="InitOptions.OutputPath"/>: module by module, each tensor written to its shard and
/// freed); everything that needs values (export, forward, histograms) is refused with <see cref="ErrorIds.ModelIsLazy"/>.
/// </summary>
public static class LazyModel
{
    private static readonly Device Meta = new(TorchSharp.DeviceType.META);
    private static readonly ConditionalWeakTable<Tensor, StatsBox> Stats = new();

    private sealed class StatsBox
    {
        public (double Mean, double? Std, double Min, double Max)? Value;
        public string? File;
        public long Offset, Length;
        public DateTime Written;
    }

    /// <summary>
    /// Runs <paramref name="build"/> with libtorch's default device set to <c>meta</c>, so the layers it constructs
    /// get no storage (their constructors' draws are no-ops there), and refuses forward on every module it returns.
    /// The default device is process-wide: the build holds <see cref="GlobalGenerator"/>'s gate, as seeded builds do.
    /// </summary>
    public static T Build<T>(Func<T> build) where T : nn.Module => GlobalGenerator.Use(() =>
    {
        var before = get_default_device();
        T model;
        set_default_device(Meta);
        try { model = build(); }
        finally { set_default_device(before); }
        foreach (var m in model.named_modules().Select(n => n.module).Prepend(model).Distinct(ReferenceEqualityComparer.Instance).Cast<nn.Module>())
            if (m is nn.Module<Tensor, Tensor> layer)
                layer.register_forward_pre_hook((module, input) => throw Refused(model, "run forward"));
        return model;
    });

    /// <summary>True when any parameter or buffer of <paramref name="model"/> is on the meta device (has no storage).</summary>
    public static bool IsLazy(nn.Module model) =>
        ModuleState.Entries(model).Any(e => IsMeta(e.Tensor)); // not parameters(): it never ends on a module that is its own child

    /// <summary>True for a tensor on the meta device.</summary>
    public static bool IsMeta(Tensor t) => t.device_type == TorchSharp.DeviceType.META;

    /// <summary>Throws <see cref="ErrorIds.ModelIsLazy"/> when <paramref name="model"/> is lazy; <paramref name="what"/> says what it cannot do ("be exported").</summary>
    public static void ThrowIfLazy(nn.Module model, string what)
    {
        if (IsLazy(model)) throw Refused(model, what);
    }

    private static InitCfgException Refused(nn.Module model, string what) =>
        new(ErrorIds.ModelIsLazy, null,
            $"{LayerTypeNames.ClassName(model)} is a lazy model (built on the meta device: its tensors have shapes but no values), so it cannot {what}. " +
            "Initialize it into a checkpoint folder (Invoke-InitWeights -OutputPath), then load that checkpoint into a model built without -Lazy.");

    /// <summary>
    /// The statistics of a lazy tensor's values, read back from the shard a streamed init wrote them to (once; the
    /// figures are then kept), or null when it was never written or its shard is gone or changed.
    /// </summary>
    public static (double Mean, double? Std, double Min, double Max)? StatsOf(Tensor t)
    {
        if (!Stats.TryGetValue(t, out var box)) return null;
        lock (box)
        {
            if (box.Value is null && box.File is { } file && new FileInfo(file) is { Exists: true } info &&
                info.Length == box.Length && info.LastWriteTimeUtc == box.Written)
            {
                try
                {
                    using var values = EmptyLike(t, onMeta: false);
                    TensorBytes.ReadAt(file, box.Offset, t.dtype, t.shape, values);
                    box.Value = TensorStats.Of(values);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            return box.Value;
        }
    }

    // Where a streamed init wrote a lazy tensor's bytes; its statistics are taken from there when a report asks.
    internal static void SetSource(Tensor t, (string File, long Offset) place)
    {
        var info = new FileInfo(place.File);
        var box = Stats.GetValue(t, _ => new StatsBox());
        lock (box)
        {
            box.Value = null;
            (box.File, box.Offset, box.Length, box.Written) = (place.File, place.Offset, info.Length, info.LastWriteTimeUtc);
        }
    }

    internal static Tensor EmptyLike(Tensor meta, bool onMeta) => empty(meta.shape, meta.dtype, onMeta ? Meta : CPU);
}
