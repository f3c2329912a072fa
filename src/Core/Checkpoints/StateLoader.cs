#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>Non-strict loading of named tensors into a module, as PyTorch's <c>load_state_dict(strict=False)</c>, reported by name.</summary>
public static class StateLoader
{
    /// <summary>Plans a load without changing anything: which keys would load, and which would not.</summary>
    public static LoadReport Plan(nn.Module module, StateDict state, string checkpoint, string? prefix, string modulePath)
    {
        var entries = ModuleState.Entries(module);
        var file = state.Items.ToDictionary(i => i.Key, i => i.Value);
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        foreach (var e in entries)
        {
            if (!file.TryGetValue(e.Name, out var t)) missing.Add(e.Name);
            else if (!t.shape.SequenceEqual(e.Tensor.shape)) mismatched.Add(new ShapeMismatch(e.Name, t.shape, e.Tensor.shape));
            else loaded.Add(e.Name);
        }
        var names = entries.Select(e => e.Name).ToHashSet();
        return new LoadReport
        {
            Checkpoint = checkpoint,
            File = state.Source ?? checkpoint,
            Prefix = prefix,
            ModulePath = modulePath,
            Loaded = loaded,
            Missing = missing,
            Unexpected = state.Items.Select(i => i.Key).Where(k => !names.Contains(k)).ToArray(),
            ShapeMismatched = mismatched,
            NonFinite = loaded.Where(k => !TensorBytes.AllFinite(file[k])).ToArray(),
        };
    }

    /// <summary>Plans a load from an opened checkpoint (nothing read yet; non-finite values are found by the load).</summary>
    public static LoadReport Plan(nn.Module module, CheckpointIndex index, string checkpoint, string? prefix, string modulePath)
    {
        var entries = ModuleState.Entries(module);
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
    /// Reads the planned tensors straight into the model's; returns the parameters written and the report with the
    /// keys whose loaded values are not all finite.
    /// </summary>
    public static (IReadOnlyList<Tensor> Written, LoadReport Report) Load(nn.Module module, CheckpointIndex index, LoadReport plan)
    {
        var file = index.Entries.ToDictionary(e => e.Name);
        var wanted = plan.Loaded.ToHashSet();
        var written = new List<Tensor>();
        var nonFinite = new List<string>();
        foreach (var e in ModuleState.Entries(module))
        {
            if (!wanted.Contains(e.Name)) continue;
            try { file[e.Name].ReadInto(e.Tensor); }
            catch (Exception x) when (x is IOException or InvalidDataException or EndOfStreamException)
            {
                throw PyTorchZipReader.Unreadable(index.Source, $"tensor {e.Name} cannot be read ({x.Message})");
            }
            if (!TensorBytes.AllFinite(e.Tensor)) nonFinite.Add(e.Name);
            if (e.IsParameter) written.Add(e.Tensor);
        }
        return (written, new LoadReport
        {
            Checkpoint = plan.Checkpoint, File = plan.File, Prefix = plan.Prefix, ModulePath = plan.ModulePath, Loaded = plan.Loaded,
            Missing = plan.Missing, Unexpected = plan.Unexpected, ShapeMismatched = plan.ShapeMismatched, NonFinite = nonFinite,
        });
    }

    /// <summary>Copies the loadable tensors; returns the parameters written.</summary>
    public static IReadOnlyList<Tensor> Load(nn.Module module, StateDict state, LoadReport plan)
    {
        var file = state.Items.ToDictionary(i => i.Key, i => i.Value);
        var wanted = plan.Loaded.ToHashSet();
        var written = new List<Tensor>();
        using var _ = no_grad();
        foreach (var e in ModuleState.Entries(module))
        {
            if (!wanted.Contains(e.Name)) continue;
            e.Tensor.copy_(file[e.Name]);
            if (e.IsParameter) written.Add(e.Tensor);
        }
        return written;
    }
}
