#nullable enable
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using InitCfg.Core.Reports;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// The engine's entry point: MMEngine's <c>init_weights</c> over any TorchSharp module, with the whole config
/// validated first (MMEngine applies part of a list and then throws; we refuse before any change).
/// </summary>
public sealed class WeightInitializer
{
    private readonly InitializerRegistry _registry;

    /// <summary>Uses <paramref name="registry"/>, or the default registry.</summary>
    public WeightInitializer(InitializerRegistry? registry = null) => _registry = registry ?? InitializerRegistry.Default;

    /// <summary>Validates and plans without changing anything (for -WhatIf and plans).</summary>
    public InitResult Plan(nn.Module model, InitOptions options) => Initialize(model, options, _ => false, planning: true);

    /// <summary>Runs init_weights on <paramref name="model"/>.</summary>
    public InitResult Initialize(nn.Module model, InitOptions options) => Initialize(model, options, null);

    /// <summary>
    /// Plans, then asks <paramref name="confirm"/> (for ShouldProcess) before writing anything; a false answer
    /// returns the plan. The plan is made once, so a checkpoint is read once.
    /// </summary>
    public InitResult Initialize(nn.Module model, InitOptions options, Func<InitResult, bool>? confirm) =>
        Initialize(model, options, confirm, planning: false);

    private InitResult Initialize(nn.Module model, InitOptions options, Func<InitResult, bool>? confirm, bool planning)
    {
        lock (InitAttachment.LockFor(model))
        {
            var walk = CreateWalk(model, options);
            try { return Run(walk, model, options, confirm, planning); }
            finally { walk.Release(); }
        }
    }

    private static InitResult Run(InitWalk walk, nn.Module model, InitOptions options, Func<InitResult, bool>? confirm, bool planning)
    {
        var steps = walk.PlanAll();
        walk.Problems.ThrowIfAny();

        // A call that changes nothing says only that: the plan's warnings are about steps that will not run, and
        // would repeat the first call's warnings on every later call (or make -Strict fail a call that does nothing).
        if (!options.Force && InitAttachment.IsInitialized(model))
        {
            var skipped = new InitResult(true, new[] { AlreadyInitialized(walk, planning) }, 0, 0, Array.Empty<InitStep>());
            skipped.PlanRows = InitPlan.Rows(skipped);
            return skipped;
        }
        ThrowIfStrict(walk, options);
        var warnings = walk.Warnings.Concat(walk.LoadWarnings).ToList();
        var plan = new InitResult(false, warnings, 0, 0, steps);
        plan.PlanRows = InitPlan.Rows(plan); // while checkpoints are still in memory
        if (confirm is not null && !confirm(plan)) return plan;

        if (options.Force)
            foreach (var n in walk.Root.PostOrder()) InitAttachment.SetInitialized(n.Module, false);
        if (options.InitCfg is not null) InitAttachment.SetConfig(model, options.InitCfg);

        using var generator = options.Seed is long seed ? new Generator(unchecked((ulong)seed)) : null;
        var context = new InitContext(walk, generator);
        walk.Context = context;
        walk.Execute(steps);

        var unchanged = InitRecords.UnchangedText(walk.RootClass);
        foreach (var p in model.parameters())
            if (InitRecords.Get(p) is null)
                InitRecords.Set(p, new ParameterWrite(unchanged, null, null, null, null, false));

        // Non-finite values are seen only as the bytes arrive (they are read straight into the model's tensors).
        foreach (var load in context.LoadReports.Where(l => l.NonFinite.Count > 0))
            warnings.Add(new InitWarning(InitWarning.CheckpointNonFinite, null,
                $"NaN or infinite values loaded from {load.Checkpoint} into: {string.Join(", ", load.NonFinite)}"));
        InitRecords.SetLoads(model, context.LoadReports.ToArray());
        InitRecords.SetWarnings(model, warnings);
        long elements = context.Written.Sum(t => t.numel());
        return new InitResult(false, warnings, context.Written.Count, elements, steps, context.LoadReports);
    }

    private static void ThrowIfStrict(InitWalk walk, InitOptions options)
    {
        if (options.Strict && walk.Warnings.Count > 0)
            throw new InitCfgException(walk.Warnings
                .Select(w => new ConfigProblem(ErrorIds.StrictWarning, w.Path, w.Message + " (strict mode makes this an error)")).ToList());
    }

    private InitWalk CreateWalk(nn.Module model, InitOptions options)
    {
        var root = ModuleNode.Build(model);
        var config = options.InitCfg is null
            ? InitAttachment.GetConfig(model)
            : ConfigReader.FromObject(options.InitCfg, ConfigPath.Root(ConfigKeys.InitCfg));
        return new InitWalk(root, config, options.Force, _registry, options.Progress, options.Environment ?? InitEnvironment.Default)
        {
            IncludeUnreached = options.IncludeUnreached,
        };
    }

    private static InitWarning AlreadyInitialized(InitWalk walk, bool planning) =>
        new(InitWarning.AlreadyInitialized, null, planning
            ? $"init_weights of {walk.RootClass} has already been called, so calling it again would change nothing; {Hints.Force} to initialize it again."
            : $"init_weights of {walk.RootClass} has been called more than once; nothing was changed ({Hints.Force} to initialize it again).");
}
