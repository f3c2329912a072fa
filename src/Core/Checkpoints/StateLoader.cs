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
