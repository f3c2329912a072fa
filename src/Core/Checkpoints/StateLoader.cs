#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Non-strict loading of named tensors into a module, as PyTorch's <c>load_state_dict(strict=False)</c>, reported by name.</summary>
public static class StateLoader
{
    /// <summary>Plans a load from an opened checkpoint (nothing read yet; non-finite values are found by the load).</summary>
    public static LoadReport Plan(nn.Module module, CheckpointIndex index, string checkpoint, string? prefix, string modulePath)
    {
        var entries = ModuleState.Entries(module);
        index = index.For(entries.Select(e => e.Name));
        var file = index.Entries.ToDictionary(e => e.Name);
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        foreach (var e in entries)
        {
            if (!file.TryGetValue(e.Name, out var c)) missing.Add(e.Name);
            else if (!c.Shape.SequenceEqual(e.Tensor.shape)) mismatched.Add(new ShapeMismatch(e.Name, c.Shape, e.Tensor.shape));
            else loaded.Add(e.Name);
        }
        var names = entries.Select(e => e.Name).ToHashSet();
        return new LoadReport
        {
            Checkpoint = checkpoint, File = index.Source, Prefix = prefix, ModulePath = modulePath, Loaded = loaded, Missing = missing,
            Unexpected = index.Entries.Select(e => e.Name).Where(k => !names.Contains(k)).ToArray(), ShapeMismatched = mismatched,
        };
    }

    /// <summary>
    /// Reads the planned tensors straight into the model's (through <paramref name="stream"/> when the model is lazy);
    /// returns the parameters written and the report with the keys whose loaded values are not all finite.
    /// </summary>
    public static (IReadOnlyList<Tensor> Written, LoadReport Report) Load(nn.Module module, CheckpointIndex index, LoadReport plan,
        ITensorStream? stream = null)
    {
        var entries = ModuleState.Entries(module);
        index = index.For(entries.Select(e => e.Name));
        var file = index.Entries.ToDictionary(e => e.Name);
        var wanted = plan.Loaded.ToHashSet();
        var written = new List<Tensor>();
        var nonFinite = new List<string>();
        foreach (var e in entries)
        {
            if (!wanted.Contains(e.Name)) continue;
            var values = stream?.Open(e) ?? e.Tensor;
            if (!index.Read(file[e.Name], values)) nonFinite.Add(e.Name);
            stream?.Close(e, values);
            if (e.IsParameter) written.Add(e.Tensor);
        }
        return (written, plan.With(nonFinite));
    }
}
