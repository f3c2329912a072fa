#nullable enable
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Checkpoints.Sharding;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using InitCfg.Core.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// init_weights of a lazy model, streamed into a sharded checkpoint. The walk runs the same steps in the same order
/// as in memory (so every draw comes from the same place in the generator's stream), but before a step its target's
/// tensors get storage, and once no later step writes a tensor, its bytes go to their place in their shard, its
/// record is kept on the lazy tensor (and where its bytes are, for the report's statistics), and the storage is freed. So at most the tensors of the modules
/// being written are held. Shards are temporary files until the last step ran, then renamed, the index last; a
/// failure or stop removes them and leaves the model as it was.
/// </summary>
internal sealed class StreamedInit : ITensorStream
{
    private readonly record struct Slot(nn.Module Owner, string Name, bool IsParameter);

    /// <summary>
    /// Refuses, before any work, what a lazy model cannot do: code that reads values (user-defined init methods,
    /// registered initializers), whole-module initializers other than Pretrained, and tensors no step writes (they
    /// would keep constructor values a lazy model never had, or miss from the checkpoint loaded).
    /// </summary>
    public static void Check(nn.Module model, IReadOnlyList<InitStep> steps)
    {
        var problems = new List<ConfigProblem>();
        var className = LayerTypeNames.ClassName(model);
        foreach (var step in steps)
        {
            if (step.Kind == InitStepKind.UserInit)
                problems.Add(new ConfigProblem(ErrorIds.LazyInitUnsupported, step.Target.DisplayPath,
                    $"{LayerTypeNames.ClassName(step.Target.Module)} has its own InitWeights method, which reads the values it changes; a lazy model has none. Build {className} without -Lazy."));
            else if (step.Kind == InitStepKind.Apply && !(step.Initializer is PretrainedInit || step.Initializer is InitializerBase && !InitWalk.IsUserCode(step.Initializer)))
                problems.Add(new ConfigProblem(ErrorIds.LazyInitUnsupported, step.ConfigPath,
                    $"{step.Initializer!.Type} cannot initialize a lazy model: only the built-in initializers and Pretrained stream into shards. Build {className} without -Lazy."));
        }
        var written = new HashSet<Tensor>(steps.SelectMany(Writes).Select(Current), ReferenceEqualityComparer.Instance);
        var missing = ModuleState.Entries(model).Where(e => !written.Contains(e.Tensor)).Select(e => e.Name).ToList();
        if (missing.Count > 0)
            problems.Add(new ConfigProblem(ErrorIds.LazyInitUnsupported, ConfigKeys.InitCfg,
                $"the init_cfg leaves {missing.Count} tensor(s) of the lazy {className} at the values its constructors would give, which a lazy model never had: " +
                $"{string.Join(", ", missing.Take(6))}{(missing.Count > 6 ? ", ..." : "")}. Give them an init_cfg (for example a Constant for the norms) or a checkpoint that has them, or build the model without -Lazy."));
        if (problems.Count > 0) throw new InitCfgException(problems);
    }

    // The tensors an Apply step writes: its target's own weight and bias, or what a checkpoint load reads into it.
    private static IReadOnlyList<Slot> Writes(InitStep step)
    {
        if (step.Kind != InitStepKind.Apply) return Array.Empty<Slot>();
        var target = step.Target.Module;
        if (step.Prepared is { } load)
        {
            var loaded = load.PlannedWrites(target).ToHashSet(StringComparer.Ordinal);
            return ModuleState.Entries(target).Where(e => loaded.Contains(e.Name)).Select(SlotOf).ToList();
        }
        return target.named_parameters(recurse: false).Where(p => p.name is "weight" or "bias").Select(p => new Slot(target, p.name, true)).ToList();
    }

    private static Slot SlotOf(ModuleState.Entry e) => new(e.Owner!, e.Name[(e.Name.LastIndexOf('.') + 1)..], e.IsParameter);

    private static Tensor Current(Slot s) => s.IsParameter
        ? s.Owner.named_parameters(recurse: false).First(p => p.name == s.Name).parameter
        : s.Owner.named_buffers(recurse: false).First(b => b.name == s.Name).buffer;

    private readonly ShardWriter _writer;
    private readonly SpareStorage _spare;
    private readonly Dictionary<Slot, List<int>> _where = new();
    private readonly Dictionary<Slot, int> _last = new();
    private readonly Dictionary<Slot, Tensor> _lazy; // the meta tensors, registered again once written
    private readonly Dictionary<Slot, Tensor> _live = new();
    private readonly List<(Tensor Meta, int Index)> _sources = new();
    private int _step;
    private int _tensorsWritten;
    private long _elements;

    private StreamedInit(IReadOnlyList<ModuleState.Entry> entries, List<InitStep> steps, ShardWriter writer, long spareBytes)
    {
        _writer = writer;
        // Spare storage and storage waiting for the disk share one budget: a shard's bytes, at most 1 GiB. The queue
        // only has to cover the disk while a module draws; more would sit in memory above the process's baseline.
        _spare = new SpareStorage(Math.Min(spareBytes, 1L << 30));
        for (int i = 0; i < entries.Count; i++)
        {
            var key = SlotOf(entries[i]);
            if (!_where.TryGetValue(key, out var list)) _where[key] = list = new List<int>();
            list.Add(i);
        }
        for (int k = 0; k < steps.Count; k++)
            foreach (var s in Writes(steps[k])) _last[s] = k;
        _lazy = _last.Keys.ToDictionary(s => s, Current);
    }

    /// <summary>Runs <paramref name="steps"/> (checked by <see cref="Check"/>) and writes the result to <see cref="InitOptions.OutputPath"/>.</summary>
    public static InitResult Run(InitWalk walk, nn.Module model, InitOptions options, List<InitStep> steps, List<InitWarning> warnings, out string written)
    {
        var entries = ModuleState.Entries(model);
        var layout = entries.Select(e => new KeyValuePair<string, Tensor>(e.Name, e.Tensor)).ToList();
        var order = new Dictionary<InitStep, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < steps.Count; k++) order[steps[k]] = k;

        using var transaction = new InitTransaction(walk.Root, 0, options.UndoFolder); // no copies: marks, records and the meta tensors
        using var writer = new ShardWriter(options.OutputPath!, layout, options.OutputShardSize, options.Force, options.OutputProgress);
        var run = new StreamedInit(entries, steps, writer, options.OutputShardSize);
        walk.BeforeApply = step =>
        {
            options.Cancellation.ThrowIfCancellationRequested();
            run._step = order[step];
            run.Before(step);
        };
        walk.AfterApply = step =>
        {
            foreach (var s in Writes(step)) run.FinishIfLast(s);
        };
        try
        {
            if (options.Force)
                foreach (var n in walk.Root.PostOrder()) InitAttachment.SetInitialized(n.Module, false);
            if (options.InitCfg is not null) InitAttachment.SetConfig(model, options.InitCfg);
            using var generator = options.Seed is long seed ? new Generator(unchecked((ulong)seed)) : null;
            var context = new InitContext(generator, walk.RunDefault, ParameterWrites.Record) { TensorStream = run };
            walk.Context = context;
            if (generator is null) GlobalGenerator.Use(() => { walk.Execute(steps); return 0; });
            else walk.Execute(steps);
            ParameterWrites.SetLoads(model, context.LoadReports.ToArray());
            ParameterWrites.SetWarnings(model, warnings);
            written = writer.Commit();
            foreach (var (meta, index) in run._sources) LazyModel.SetSource(meta, writer.PlaceOf(index));
            transaction.Commit();
            ModelLock.Changed(model);
            return new InitResult(false, warnings, run._tensorsWritten, run._elements, steps, context.LoadReports);
        }
        catch
        {
            foreach (var values in run._live.Values) values.Dispose();
            transaction.Rollback(); // registers the meta tensors again, with their records
            throw;
        }
        finally
        {
            writer.WaitQuietly(); // queued writes hold storage the spare pool gets back
            run._spare.Dispose();
            walk.BeforeApply = null;
            walk.AfterApply = null;
        }
    }

    // A layer initializer's tensors get storage before it runs. A checkpoint load gets it tensor by tensor
    // (Open); values an earlier step left for it are dropped, since the load replaces them.
    private void Before(InitStep step)
    {
        foreach (var s in Writes(step))
        {
            if (step.Prepared is null) Materialize(s);
            else if (_live.Remove(s, out var old))
            {
                TensorSlots.Replace(s.Owner, s.Name, _lazy[s], s.IsParameter);
                _spare.Give(old);
            }
        }
    }

    private Tensor Materialize(Slot s)
    {
        if (_live.TryGetValue(s, out var values)) return values;
        var meta = _lazy[s];
        values = _spare.Take(meta, s.IsParameter) ?? (s.IsParameter
            ? new TorchSharp.Modules.Parameter(LazyModel.EmptyLike(meta, onMeta: false), meta.requires_grad)
            : LazyModel.EmptyLike(meta, onMeta: false));
        _live[s] = values;
        TensorSlots.Replace(s.Owner, s.Name, values, s.IsParameter);
        return values;
    }

    // Once no later step writes it: its bytes to its shard(s), its record to the meta tensor, registered again, storage spared.
    private void FinishIfLast(Slot s)
    {
        if (_last[s] != _step || !_live.Remove(s, out var values)) return;
        var meta = _lazy[s];
        _sources.Add((meta, _where[s][0]));
        if (ParameterWrites.Get(values) is { } record) ParameterWrites.Set(meta, record);
        TensorSlots.Replace(s.Owner, s.Name, meta, s.IsParameter);
        _tensorsWritten += s.IsParameter ? 1 : 0;
        _elements += s.IsParameter ? meta.numel() : 0;
        // Written on the writer's worker while the walk draws the next tensors; the storage is spared once written.
        // Storage waiting to be written counts against the spare budget, so memory stays within one shard's bytes.
        _spare.Reserve(values);
        var indices = _where[s];
        for (int k = 0; k < indices.Count; k++)
            _writer.WriteLater(indices[k], values, k == indices.Count - 1 ? () => _spare.Written(values) : null);
    }

    /// <inheritdoc />
    public Tensor Open(ModuleState.Entry entry) => Materialize(SlotOf(entry));

    /// <inheritdoc />
    public void Close(ModuleState.Entry entry, Tensor values) => FinishIfLast(SlotOf(entry));

    // Storage written and freed is kept for the next tensor of the same shape (a Llama has a few shapes, each
    // hundreds of times): fresh memory would be page-faulted in again for every tensor, which costs about as much as
    // drawing its values. At most the bytes of one shard are kept or waiting to be written, the shard buffer the
    // memory bound allows: a tensor queued for writing waits here for room. The writer's worker gives storage back.
    private sealed class SpareStorage : IDisposable
    {
        private readonly long _limit;
        private readonly Dictionary<string, Stack<Tensor>> _free = new();
        private readonly object _lock = new();
        private long _bytes;   // spare
        private long _pending; // queued for writing

        public SpareStorage(long limit) => _limit = limit;

        private static string Key(Tensor t, bool isParameter) => $"{isParameter}:{t.dtype}:{t.requires_grad}:{string.Join("x", t.shape)}";

        private static long Bytes(Tensor t) => t.numel() * t.element_size();

        public Tensor? Take(Tensor like, bool isParameter)
        {
            var key = Key(like, isParameter);
            lock (_lock)
            {
                if (!_free.TryGetValue(key, out var stack) || stack.Count == 0) return null;
                var t = stack.Pop();
                _bytes -= Bytes(t);
                ParameterWrites.Clear(t); // the record of the tensor it held before
                return t;
            }
        }

        public void Give(Tensor t)
        {
            long bytes = Bytes(t);
            var key = Key(t, t is TorchSharp.Modules.Parameter);
            lock (_lock)
            {
                if (_bytes + _pending + bytes > _limit) { t.Dispose(); return; }
                if (!_free.TryGetValue(key, out var stack)) _free[key] = stack = new Stack<Tensor>();
                stack.Push(t);
                _bytes += bytes;
            }
        }

        // Room for a tensor about to be queued: spare storage is dropped first, then the caller waits for writes.
        public void Reserve(Tensor t)
        {
            long bytes = Bytes(t);
            lock (_lock)
            {
                while (_bytes > 0 && _bytes + _pending + bytes > _limit) DropOne();
                while (_pending > 0 && _pending + bytes > _limit) Monitor.Wait(_lock);
                _pending += bytes;
            }
        }

        // On the writer's worker, once the tensor's bytes are in its shard (or the write was given up).
        public void Written(Tensor t)
        {
            lock (_lock)
            {
                _pending -= Bytes(t);
                Monitor.PulseAll(_lock);
            }
            Give(t);
        }

        private void DropOne()
        {
            foreach (var stack in _free.Values)
                if (stack.Count > 0)
                {
                    var t = stack.Pop();
                    _bytes -= Bytes(t);
                    t.Dispose();
                    return;
                }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                foreach (var t in _free.Values.SelectMany(s => s)) t.Dispose();
                _free.Clear();
                _bytes = 0;
            }
        }
    }
}
