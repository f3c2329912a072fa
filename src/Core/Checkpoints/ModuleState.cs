#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Checkpoints;

/// <summary>
/// A module's state entries in PyTorch's <c>state_dict()</c> order: per module (root first, depth first), its own
/// parameters then its persistent buffers. TorchSharp lists all parameters before all buffers; PyTorch does not.
/// </summary>
public static class ModuleState
{
    /// <summary>
    /// One state entry: the live tensor, whether it is a parameter, and the module that registers it. TorchSharp
    /// 0.107's norm layers free their tensors from their finalizer, so whoever keeps an entry keeps its owner too.
    /// </summary>
    public sealed record Entry(string Name, Tensor Tensor, bool IsParameter, nn.Module? Owner = null);

    /// <summary>Every entry of <paramref name="module"/>.</summary>
    public static IReadOnlyList<Entry> Entries(nn.Module module)
    {
        var result = new List<Entry>();
        Collect(module, "", result, new HashSet<nn.Module>(ReferenceEqualityComparer.Instance));
        return result;
    }

    // A module shared under two names is listed under both, as PyTorch's state_dict() does; only a module
    // among its own ancestors (a cycle) is skipped.
    private static void Collect(nn.Module m, string prefix, List<Entry> result, HashSet<nn.Module> ancestors)
    {
        if (!ancestors.Add(m)) return;
        foreach (var (name, p) in m.named_parameters(recurse: false))
            if (p is not null) result.Add(new Entry(prefix + name, p, true, m));
        foreach (var (name, b) in m.named_buffers(recurse: false, include_nonpersistent: false))
            if (b is not null) result.Add(new Entry(prefix + name, b, false, m));
        foreach (var (name, child) in m.named_children())
            if (child is not null) Collect(child, prefix + name + ".", result, ancestors);
        ancestors.Remove(m);
    }

    /// <summary>Name/tensor pairs for writing a checkpoint (the list keeps the tensors' owners alive, as entries do).</summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> ForExport(nn.Module module) => new ExportState(Entries(module));

    private sealed class ExportState : List<KeyValuePair<string, Tensor>>
    {
        private readonly IReadOnlyList<Entry> _entries; // holds each tensor's module, whose finalizer would free it

        public ExportState(IReadOnlyList<Entry> entries) : base(entries.Select(e => new KeyValuePair<string, Tensor>(e.Name, e.Tensor))) =>
            _entries = entries;
    }
}
