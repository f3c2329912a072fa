#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// The engine's entry point: MMEngine's <c>init_weights</c> over any TorchSharp module, with the whole config
/// validated first (MMEngine applies part of a list and then throws; we refuse before any change).
/// </summary>
public sealed class InitEngine
{
    private readonly InitializerRegistry _registry;

    /// <summary>Uses <paramref name="registry"/>, or the default registry.</summary>
    public InitEngine(InitializerRegistry? registry = null) => _registry = registry ?? InitializerRegistry.Default;

    /// <summary>Validates and plans without changing anything (for -WhatIf and plans).</summary>
    public InitResult Plan(nn.Module model, InitOptions options) => Initialize(model, options, null, planOnly: true);

    /// <summary>Runs init_weights on <paramref name="model"/>.</summary>
    public InitResult Initialize(nn.Module model, InitOptions options) => Initialize(model, options, null);

    /// <summary>
    /// Plans, then asks <paramref name="confirm"/> (for ShouldProcess) before writing anything; a false answer
    /// returns the plan. The plan is made once, so a checkpoint is read once.
    /// </summary>
    public InitResult Initialize(nn.Module model, InitOptions options, Func<InitResult, bool>? confirm) =>
        Initialize(model, options, confirm, planOnly: false);

    private InitResult Initialize(nn.Module model, InitOptions options, Func<InitResult, bool>? confirm, bool planOnly)
    {
        if (!planOnly && options.OutputPath is null && LazyModel.IsLazy(model))
            throw new InitCfgException(ErrorIds.OutputPathRequired, null,
                $"{LayerTypeNames.ClassName(model)} is a lazy model (no storage), so it is initialized only into a checkpoint folder: give one (-OutputPath), and each tensor is written there and freed. Nothing was done.");
        if (!planOnly && options.OutputPath is { } output) Checkpoints.Sharding.ShardWriter.ThrowIfUnusable(output, options.Force);
        var gate = new LockHolder(model, options.Cancellation);
        try
        {
            var walk = CreateWalk(model, options);
            try { return Run(walk, model, options, planOnly ? null : confirm, gate, planOnly); }
            finally { walk.Release(); }
        }
        finally { gate.Dispose(); }
    }

    // The model's lock, let go while a -Confirm prompt waits for the user.
    private sealed class LockHolder : IDisposable
    {
        private readonly nn.Module _model;
        private readonly CancellationToken _token;
        private IDisposable? _held;

        public LockHolder(nn.Module model, CancellationToken token)
        {
            _model = model;
            _token = token;
            _held = ModelLock.Acquire(model, token);
        }

        public bool Released(Func<bool> action)
        {
            long version = ModelLock.Version(_model);
            Dispose();
            if (!action()) return false;
            _held = ModelLock.Acquire(_model, _token);
            if (ModelLock.Version(_model) != version)
                throw new InitCfgException(ErrorIds.ModelBusy, null,
                    $"{LayerTypeNames.ClassName(_model)} was initialized by another call while this one waited for confirmation; nothing was changed. Run it again.");
            return true;
        }

        public void Dispose()
        {
            _held?.Dispose();
            _held = null;
        }
    }

    private static InitResult Run(InitWalk walk, nn.Module model, InitOptions options, Func<InitResult, bool>? confirm, LockHolder gate, bool planOnly)
    {
        var steps = walk.PlanAll();
        walk.Problems.ThrowIfAny();

        // A call that changes nothing says only that: the plan's warnings are about steps that will not run, and
        // would repeat the first call's warnings on every later call (or make -Strict fail a call that does nothing).
        if (!options.Force && InitAttachment.IsInitialized(model))
        {
            var skipped = new InitResult(true, new[] { AlreadyInitialized(walk, planOnly) }, 0, 0, Array.Empty<InitStep>());
            skipped.PlanRows = InitPlan.Rows(skipped);
            return skipped;
        }
        ThrowIfStrict(walk, options);
        bool lazy = LazyModel.IsLazy(model);
        if (lazy && !planOnly) StreamedInit.Check(model, steps);
        var warnings = walk.Warnings.Concat(walk.LoadWarnings).ToList();
        var plan = new InitResult(false, warnings, 0, 0, steps);
        plan.PlanRows = InitPlan.Rows(plan); // while checkpoints are still in memory
        if (planOnly || (confirm is not null && !(options.ConfirmMayWait ? gate.Released(() => confirm(plan)) : confirm(plan)))) return plan;
        if (lazy)
        {
            var streamed = StreamedInit.Run(walk, model, options, steps, warnings, out var index);
            streamed.OutputFile = index;
            return streamed;
        }

        using var transaction = new InitTransaction(walk.Root, options.UndoMemoryLimit, options.UndoFolder);
        walk.Transaction = transaction;
        InitContext context;
        long undoBytes, undoSpilled;
        string? output = null;
        try
        {
            if (options.Force)
                foreach (var n in walk.Root.PostOrder()) InitAttachment.SetInitialized(n.Module, false);
            if (options.InitCfg is not null) InitAttachment.SetConfig(model, options.InitCfg);

            using var generator = options.Seed is long seed ? new Generator(unchecked((ulong)seed)) : null;
            context = new InitContext(generator, walk.RunDefault, ParameterWrites.Record);
            walk.Context = context;
            // Without a seed the initializers draw from the global generator, which seeded builds hold for themselves.
            if (generator is null) GlobalGenerator.Use(() => { walk.Execute(steps); return 0; });
            else walk.Execute(steps);

            var unchanged = ParameterWrites.UnchangedText(walk.RootClass);
            foreach (var p in model.parameters())
                if (ParameterWrites.Get(p) is null)
                    ParameterWrites.Set(p, new ParameterWrite(unchanged, null, null, null, null, false));

            // Non-finite values are seen only as the bytes arrive (they are read straight into the model's tensors).
            foreach (var load in context.LoadReports.Where(l => l.NonFinite.Count > 0))
                warnings.Add(new InitWarning(InitWarning.CheckpointNonFinite, null,
                    $"NaN or infinite values loaded from {load.Checkpoint} into: {string.Join(", ", load.NonFinite)}"));
            if (options.Seed is not null && UnseededWarning(model) is { } unseeded) warnings.Add(unseeded);
            ParameterWrites.SetLoads(model, context.LoadReports.ToArray());
            ParameterWrites.SetWarnings(model, warnings);
            undoBytes = transaction.UndoBytes;
            undoSpilled = transaction.UndoSpilledBytes;
            // Written before the commit, so a failed write puts the model back too.
            if (options.OutputPath is { } folder)
                output = Checkpoints.Sharding.ShardedSafetensors.Write(folder, Checkpoints.ModuleState.ForExport(model), options.OutputShardSize, options.Force, options.OutputProgress);
            transaction.Commit();
            ModelLock.Changed(model);
        }
        catch
        {
            // Any failure or stop (PipelineStoppedException, a throwing script block, a changed checkpoint):
            // the model is put back exactly as it was before the call.
            transaction.Rollback();
            throw;
        }
        long elements = context.Written.Sum(t => t.numel());
        return new InitResult(false, warnings, context.Written.Count, elements, steps, context.LoadReports) { UndoBytes = undoBytes, UndoSpilledBytes = undoSpilled, OutputFile = output };
    }

    // -Seed covers only what the configs write; what they leave keeps the constructor's draws, which a build
    // without a seed took from the shared generator: say once how many tensors that leaves unreproducible.
    private static InitWarning? UnseededWarning(nn.Module model)
    {
        if (!InitAttachment.BuiltUnseeded(model)) return null;
        int count = model.parameters().Count(p => ParameterWrites.Get(p) is { Written: false });
        return count == 0 ? null : new InitWarning(InitWarning.UnseededDefaults, null,
            $"{count} parameter tensor(s) no init_cfg writes keep the values their constructors drew in an unseeded build, so -Seed does not make them reproducible; build the model with New-InitModel -Seed as well.");
    }

    private static void ThrowIfStrict(InitWalk walk, InitOptions options)
    {
        if (options.Strict && walk.Warnings.Count > 0)
            throw new InitCfgException(walk.Warnings
                .Select(w => new ConfigProblem(ErrorIds.StrictWarning, w.Path, w.Message + " (strict mode makes this an error)")).ToList());
    }

    private InitWalk CreateWalk(nn.Module model, InitOptions options)
    {
        // The walk parses the configs once, straight from what the caller gave.
        return new InitWalk(ModuleNode.Build(model), options.InitCfg, options.Force, _registry, options.Progress, options.Environment ?? InitEnvironment.Default)
        {
            IncludeUnreached = options.IncludeUnreached,
        };
    }

    private static InitWarning AlreadyInitialized(InitWalk walk, bool planning) =>
        new(InitWarning.AlreadyInitialized, null, planning
            ? $"init_weights of {walk.RootClass} has already been called, so calling it again would change nothing; {Hints.Force} to initialize it again."
            : $"init_weights of {walk.RootClass} has been called more than once; nothing was changed ({Hints.Force} to initialize it again).");
}
