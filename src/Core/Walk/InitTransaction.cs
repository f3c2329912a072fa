#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Errors;
using InitCfg.Core.Checkpoints;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// Makes one init_weights run all or nothing. Before a step writes, the tensors it may write are copied once
/// (undo copies); the model's records, load reports, warnings, init_cfgs and initialized marks are kept from the
/// start. <see cref="Rollback"/> puts every one of them back, byte for byte, after any failure or stop;
/// <see cref="Commit"/> frees the copies. The undo costs one copy of what the run writes (see bench/): in pooled
/// memory up to a budget, in a temp file beyond it (<see cref="UndoStore"/>).
/// </summary>
internal sealed class InitTransaction : IDisposable
{
    // A tensor registered directly on a module, as it was before the run: restored by name if user code
    // disposed or replaced it.
    private sealed record Slot(nn.Module Owner, string Name, string Path, Tensor Tensor, bool IsParameter, bool RequiresGrad, ParameterWrite? Record,
        bool Persistent = true);

    private readonly nn.Module _model;
    private readonly List<(nn.Module Module, object? Config, bool Initialized)> _modules = new();
    private readonly List<Slot> _slots = new();
    private readonly IReadOnlyList<LoadReport> _loads;
    private readonly IReadOnlyList<InitWarning> _warnings;
    private readonly Dictionary<Tensor, UndoStore.Copy> _undo = new(ReferenceEqualityComparer.Instance);
    private readonly UndoStore _store;

    public InitTransaction(ModuleNode root, long undoMemoryLimit, string? undoFolder)
    {
        _store = new UndoStore(undoMemoryLimit, undoFolder ?? Path.GetTempPath());
        _model = root.Module;
        foreach (var node in root.PostOrder())
        {
            var m = node.Module;
            _modules.Add((m, InitAttachment.GetConfig(m), InitAttachment.IsInitialized(m)));
            foreach (var (name, p) in m.named_parameters(recurse: false))
                if (p is not null) _slots.Add(new Slot(m, name, Join(node.Path, name), p, true, p.requires_grad, ParameterWrites.Get(p)));
            var persistent = m.named_buffers(recurse: false, include_nonpersistent: false).Select(b => b.name).ToHashSet();
            foreach (var (name, b) in m.named_buffers(recurse: false, include_nonpersistent: true))
                if (b is not null) _slots.Add(new Slot(m, name, Join(node.Path, name), b, false, false, null, persistent.Contains(name)));
        }
        _loads = ParameterWrites.GetLoads(_model);
        _warnings = ParameterWrites.GetWarnings(_model);
    }

    /// <summary>Bytes held by undo copies (in memory or spilled).</summary>
    public long UndoBytes => _store.Bytes;

    /// <summary>Bytes of undo copies written to a temp file because the memory budget was spent.</summary>
    public long UndoSpilledBytes => _store.SpilledBytes;

    /// <summary>Keeps a copy of <paramref name="tensor"/> unless one is kept already.</summary>
    public void Save(Tensor tensor)
    {
        if (tensor.IsInvalid || _undo.ContainsKey(tensor)) return;
        try { _undo[tensor] = _store.Save(tensor); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SpillFailed(e);
        }
    }

    private InitCfgException SpillFailed(Exception e) => new(ErrorIds.UndoSpillFailed, null,
        $"the undo copy of a tensor could not be written to a temp file in {_store.Folder}: {e.Message} Nothing was changed; free disk space there, or raise the undo memory budget.", e);

    /// <summary>Keeps copies of every parameter and buffer of <paramref name="module"/> and its descendants.</summary>
    public void SaveAll(nn.Module module)
    {
        var tensors = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var s in _slots)
            if ((ReferenceEquals(s.Owner, module) || IsBelow(s.Owner, module)) && !s.Tensor.IsInvalid && !_undo.ContainsKey(s.Tensor) && seen.Add(s.Tensor))
                tensors.Add(s.Tensor);
        UndoStore.Copy[] copies;
        try { copies = _store.SaveMany(tensors); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SpillFailed(e);
        }
        for (int i = 0; i < tensors.Count; i++) _undo[tensors[i]] = copies[i];
    }

    private readonly Dictionary<nn.Module, HashSet<nn.Module>> _descendants = new(ReferenceEqualityComparer.Instance);

    private bool IsBelow(nn.Module m, nn.Module ancestor)
    {
        if (!_descendants.TryGetValue(ancestor, out var set))
        {
            set = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
            foreach (var s in ModuleNode.Build(ancestor).PostOrder()) set.Add(s.Module);
            _descendants[ancestor] = set;
        }
        return set.Contains(m);
    }

    /// <summary>
    /// The path of a tensor that user code disposed or replaced since the run began, or null. Checked after every
    /// step that runs user code, before anything else can use (or export) a freed tensor.
    /// </summary>
    public string? Broken()
    {
        foreach (var s in _slots)
            if (s.Tensor.IsInvalid || !ReferenceEquals(Current(s), s.Tensor)) return s.Path;
        return null;
    }

    private static Tensor? Current(Slot s)
    {
        if (s.IsParameter)
        {
            foreach (var (name, p) in s.Owner.named_parameters(recurse: false)) if (name == s.Name) return p;
        }
        else
        {
            foreach (var (name, b) in s.Owner.named_buffers(recurse: false, include_nonpersistent: true)) if (name == s.Name) return b;
        }
        return null;
    }

    /// <summary>Puts back every value, tensor, record, load report, warning, init_cfg and mark as they were.</summary>
    public void Rollback()
    {
        using (no_grad())
        {
            foreach (var s in _slots)
            {
                _undo.TryGetValue(s.Tensor, out var copy);
                var tensor = s.Tensor;
                if (tensor.IsInvalid || !ReferenceEquals(Current(s), tensor))
                {
                    // Disposed or replaced by user code: register the original again (or a new tensor holding
                    // its saved bytes, when it was freed).
                    if (tensor.IsInvalid)
                    {
                        if (copy is null) continue; // nothing saved it: it was not in any written scope
                        var saved = _store.New(copy);
                        tensor = s.IsParameter ? new TorchSharp.Modules.Parameter(saved, s.RequiresGrad) : saved;
                    }
                    Reattach(s, tensor);
                }
                else if (copy is not null) _store.Restore(copy, tensor);
                if (s.IsParameter)
                {
                    if (s.Record is null) ParameterWrites.Clear(tensor);
                    else ParameterWrites.Set(tensor, s.Record);
                }
            }
        }
        foreach (var (m, config, initialized) in _modules)
        {
            InitAttachment.RestoreConfig(m, config);
            InitAttachment.SetInitialized(m, initialized);
        }
        ParameterWrites.SetLoads(_model, _loads);
        ParameterWrites.SetWarnings(_model, _warnings);
        Dispose();
    }

    private static void Reattach(Slot s, Tensor tensor) => TensorSlots.Replace(s.Owner, s.Name, tensor, s.IsParameter, s.Persistent);

    /// <summary>Keeps the run's result and frees the undo copies.</summary>
    public void Commit() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _store.Dispose();
        _undo.Clear();
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
