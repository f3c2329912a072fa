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
internal static class StreamedInit
{
    private readonly record struct Slot(nn.Module Owner, string Name);

    /// <summary>
    /// Refuses, before any work, what a lazy model cannot do: code that reads values (user-defined init methods,
    /// registered initializers), checkpoint loads, and tensors no step writes (they would keep constructor values a
    /// lazy model never had).
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
            else if (step.Kind == InitStepKind.Apply && (step.Initializer is not InitializerBase || InitWalk.IsUserCode(step.Initializer!)))
                problems.Add(new ConfigProblem(ErrorIds.LazyInitUnsupported, step.ConfigPath,
                    $"{step.Initializer!.Type} cannot initialize a lazy model: only the built-in layer initializers stream into shards. Build {className} without -Lazy."));
        }
        var written = new HashSet<Tensor>(steps.SelectMany(Writes).Select(Current), ReferenceEqualityComparer.Instance);
        var missing = ModuleState.Entries(model).Where(e => !written.Contains(e.Tensor)).Select(e => e.Name).ToList();
        if (missing.Count > 0)
            problems.Add(new ConfigProblem(ErrorIds.LazyInitUnsupported, ConfigKeys.InitCfg,
                $"the init_cfg leaves {missing.Count} tensor(s) of the lazy {className} at the values its constructors would give, which a lazy model never had: " +
                $"{string.Join(", ", missing.Take(6))}{(missing.Count > 6 ? ", ..." : "")}. Give them an init_cfg (for example a Constant for the norms), or build the model without -Lazy."));
        if (problems.Count > 0) throw new InitCfgException(problems);
    }

    // The tensors an Apply step writes: its target's own weight and bias (Check allows nothing else).
    private static IEnumerable<Slot> Writes(InitStep step) =>
        step.Kind != InitStepKind.Apply ? Array.Empty<Slot>()
            : step.Target.Module.named_parameters(recurse: false).Where(p => p.name is "weight" or "bias").Select(p => new Slot(step.Target.Module, p.name)).ToList();

    private static Tensor Current(Slot s) => s.Owner.named_parameters(recurse: false).First(p => p.name == s.Name).parameter;

    /// <summary>Runs <paramref name="steps"/> (checked by <see cref="Check"/>) and writes the result to <see cref="InitOptions.OutputPath"/>.</summary>
    public static InitResult Run(InitWalk walk, nn.Module model, InitOptions options, List<InitStep> steps, List<InitWarning> warnings, out string written)
    {
        var entries = ModuleState.Entries(model);
        var layout = entries.Select(e => new KeyValuePair<string, Tensor>(e.Name, e.Tensor)).ToList();
        var where = new Dictionary<Slot, List<int>>();
        for (int i = 0; i < entries.Count; i++)
        {
            var key = new Slot(entries[i].Owner!, entries[i].Name[(entries[i].Name.LastIndexOf('.') + 1)..]);
            if (!where.TryGetValue(key, out var list)) where[key] = list = new List<int>();
            list.Add(i);
        }
        var order = new Dictionary<InitStep, int>(ReferenceEqualityComparer.Instance);
        var last = new Dictionary<Slot, int>();
        for (int k = 0; k < steps.Count; k++)
        {
            order[steps[k]] = k;
            foreach (var s in Writes(steps[k])) last[s] = k;
        }
        var lazy = last.Keys.ToDictionary(s => s, Current); // the meta tensors, registered again once written
        var live = new Dictionary<Slot, Tensor>();
        var sources = new List<(Tensor Meta, int Index)>();
        using var spare = new SpareStorage(options.OutputShardSize);
        int tensorsWritten = 0;
        long elements = 0;

        using var transaction = new InitTransaction(walk.Root, 0, options.UndoFolder); // no copies: marks, records and the meta tensors
        using var writer = new ShardWriter(options.OutputPath!, layout, options.OutputShardSize, options.Force, options.OutputProgress);
        walk.BeforeApply = step =>
        {
            options.Cancellation.ThrowIfCancellationRequested();
            foreach (var s in Writes(step))
            {
                if (live.ContainsKey(s)) continue;
                var meta = lazy[s];
                var p = spare.Take(meta) ?? new TorchSharp.Modules.Parameter(LazyModel.EmptyLike(meta, onMeta: false), meta.requires_grad);
                live[s] = p;
                TensorSlots.Replace(s.Owner, s.Name, p, isParameter: true);
            }
        };
        walk.AfterApply = step =>
        {
            int k = order[step];
            foreach (var s in Writes(step))
            {
                if (last[s] != k || !live.Remove(s, out var values)) continue;
                var meta = lazy[s];
                foreach (var i in where[s]) writer.Write(i, values);
                sources.Add((meta, where[s][0]));
                if (ParameterWrites.Get(values) is { } record) ParameterWrites.Set(meta, record);
                TensorSlots.Replace(s.Owner, s.Name, meta, isParameter: true);
                tensorsWritten++;
                elements += meta.numel();
                spare.Give(values);
            }
        };
        try
        {
            if (options.Force)
                foreach (var n in walk.Root.PostOrder()) InitAttachment.SetInitialized(n.Module, false);
            if (options.InitCfg is not null) InitAttachment.SetConfig(model, options.InitCfg);
            using var generator = options.Seed is long seed ? new Generator(unchecked((ulong)seed)) : null;
            var context = new InitContext(generator, walk.RunDefault, ParameterWrites.Record);
            walk.Context = context;
            if (generator is null) GlobalGenerator.Use(() => { walk.Execute(steps); return 0; });
            else walk.Execute(steps);
            ParameterWrites.SetLoads(model, context.LoadReports.ToArray());
            ParameterWrites.SetWarnings(model, warnings);
            written = writer.Commit();
            foreach (var (meta, index) in sources) LazyModel.SetSource(meta, writer.PlaceOf(index));
            transaction.Commit();
            ModelLock.Changed(model);
            return new InitResult(false, warnings, tensorsWritten, elements, steps, context.LoadReports);
        }
        catch
        {
            foreach (var values in live.Values) values.Dispose(); // the spare ones go with the pool
            transaction.Rollback(); // registers the meta tensors again, with their records
            throw;
        }
        finally
        {
            walk.BeforeApply = null;
            walk.AfterApply = null;
        }
    }

    // Storage written and freed is kept for the next tensor of the same shape (a Llama has a few shapes, each
    // hundreds of times): fresh memory would be page-faulted in again for every tensor, which costs about as much as
    // drawing its values. At most the bytes of one shard are kept, the shard buffer the memory bound allows.
    private sealed class SpareStorage : IDisposable
    {
        private readonly long _limit;
        private readonly Dictionary<string, Stack<Tensor>> _free = new();
        private long _bytes;

        public SpareStorage(long limit) => _limit = limit;

        private static string Key(Tensor t) => $"{t.dtype}:{t.requires_grad}:{string.Join("x", t.shape)}";

        public Tensor? Take(Tensor like)
        {
            if (!_free.TryGetValue(Key(like), out var stack) || stack.Count == 0) return null;
            var t = stack.Pop();
            _bytes -= t.numel() * t.element_size();
            ParameterWrites.Clear(t); // the record of the tensor it held before
            return t;
        }

        public void Give(Tensor t)
        {
            long bytes = t.numel() * t.element_size();
            if (_bytes + bytes > _limit) { t.Dispose(); return; }
            var key = Key(t);
            if (!_free.TryGetValue(key, out var stack)) _free[key] = stack = new Stack<Tensor>();
            stack.Push(t);
            _bytes += bytes;
        }

        public void Dispose()
        {
            foreach (var t in _free.Values.SelectMany(s => s)) t.Dispose();
            _free.Clear();
        }
    }
}
