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
        var loads = entries.Where(e => wanted.Contains(e.Name)).Select(e => (State: e, Entry: file[e.Name])).ToList();
        var finite = new bool[loads.Count];
        if (stream is null && OnEveryCore(loads))
        {
            // Entries that must be read one at a time (views of a shared storage) first, then the rest on every core,
            // largest first; a failure is thrown once every running read has ended (nothing writes during a rollback).
            var serial = Enumerable.Range(0, loads.Count).Where(i => !loads[i].Entry.ThreadSafe).ToList();
            foreach (int i in serial) finite[i] = index.Read(loads[i].Entry, loads[i].State.Tensor);
            var parallel = Enumerable.Range(0, loads.Count).Where(i => loads[i].Entry.ThreadSafe)
                .OrderByDescending(i => loads[i].State.Tensor.numel() * loads[i].State.Tensor.element_size()).ToArray();
            try
            {
                Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(parallel, loadBalance: true),
                    new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                    i => finite[i] = index.Read(loads[i].Entry, loads[i].State.Tensor));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        else
        {
            for (int i = 0; i < loads.Count; i++)
            {
                var e = loads[i].State;
                var values = stream?.Open(e) ?? e.Tensor;
                finite[i] = index.Read(loads[i].Entry, values);
                stream?.Close(e, values);
            }
        }
        var written = loads.Where(l => l.State.IsParameter).Select(l => l.State.Tensor).ToList();
        var nonFinite = Enumerable.Range(0, loads.Count).Where(i => !finite[i]).Select(i => loads[i].State.Name).ToList();
        return (written, plan.With(nonFinite));
    }

    // Worth it, and safe: more than one core, enough bytes that the workers pay off, and no two entries writing the
    // same memory (tied weights keep the serial order, in which the later entry wins).
    private static bool OnEveryCore(List<(ModuleState.Entry State, CheckpointEntry Entry)> loads)
    {
        const long MinBytes = 8 << 20;
        if (Environment.ProcessorCount < 2 || loads.Count(l => l.Entry.ThreadSafe) < 2) return false;
        long total = 0;
        var ranges = new List<(long Start, long End)>();
        foreach (var (state, entry) in loads)
        {
            var t = state.Tensor;
            long bytes = t.numel() * t.element_size();
            total += bytes;
            if (!entry.ThreadSafe || bytes == 0) continue;
            if (t.device_type != TorchSharp.DeviceType.CPU || !t.is_contiguous() || bytes > int.MaxValue) return false;
            long start = TensorBytes.Address(t);
            ranges.Add((start, start + bytes));
        }
        if (total < MinBytes) return false;
        ranges.Sort();
        for (int i = 1; i < ranges.Count; i++) if (ranges[i].Start < ranges[i - 1].End) return false;
        return true;
    }
}
