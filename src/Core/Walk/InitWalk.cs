#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Walk;

/// <summary>
/// Plans and runs MMEngine's <c>BaseModule.init_weights</c> over a module tree
/// (mmengine/model/base_module.py): a module's configs, then every child not yet initialized, then its
/// Pretrained-like configs last. Planning touches no tensor, so every config problem is found before any write.
/// </summary>
internal sealed class InitWalk
{
    private readonly InitializerRegistry _registry;
    private readonly object? _rootConfig;
    private readonly bool _force;
    private readonly Dictionary<nn.Module, ModuleNode> _nodes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<nn.Module, IReadOnlyList<string>> _layerNames = new(ReferenceEqualityComparer.Instance);
    private readonly IProgress<InitProgress>? _progress;
    private long _elementsTotal, _elementsDone;

    private readonly InitEnvironment _environment;
    private readonly Dictionary<ModuleNode, IReadOnlyList<InitConfig>> _configs = new();
    private readonly Dictionary<WholeTargetInitializer, PreparedInit?> _prepared = new(ReferenceEqualityComparer.Instance);

    /// <summary>Frees what the whole-target initializers read while planning (checkpoints).</summary>
    public void Release()
    {
        foreach (var p in _prepared.Values) p?.Dispose();
        _prepared.Clear();
    }

    // rootConfig: the model's init_cfg for this call as given (parsed InitConfig objects are used as they are),
    // or null for the one attached to the model.
    public InitWalk(ModuleNode root, object? rootConfig, bool force, InitializerRegistry registry, IProgress<InitProgress>? progress,
        InitEnvironment environment)
    {
        _environment = environment;
        Root = root;
        _rootConfig = rootConfig ?? InitAttachment.GetConfig(root.Module);
        _force = force;
        _registry = registry;
        _progress = progress;
        RootClass = LayerTypeNames.ClassName(root.Module);
        foreach (var n in root.PostOrder()) _nodes[n.Module] = n;
    }

    public ModuleNode Root { get; }
    public string RootClass { get; }
    public ProblemList Problems { get; } = new();
    public List<InitWarning> Warnings { get; } = new();

    /// <summary>Warnings about checkpoint loads (not made errors by strict mode: partial loads are normal).</summary>
    public List<InitWarning> LoadWarnings { get; } = new();
    public InitContext? Context { get; set; }

    /// <summary>The whole plan, starting at the root.</summary>
    public List<InitStep> PlanAll()
    {
        var steps = new List<InitStep>();
        Plan(Root, steps);
        WarnUnreached();
        return steps;
    }

    /// <summary>Also walk into children MMEngine would not reach (plain layers and plain PyTorch containers).</summary>
    public bool IncludeUnreached { get; init; }

    private readonly HashSet<nn.Module> _reached = new(ReferenceEqualityComparer.Instance);

    // MMEngine recurses only into children that have an init_weights of their own: its BaseModules (here every
    // BaseModule: MMEngine's containers, config composites, classes with their own InitWeights) and, in InitCfg,
    // any module given an init_cfg. A plain layer or plain container (nn.ModuleList) hides what is inside it.
    private bool Reaches(ModuleNode child) =>
        IncludeUnreached || child.Module is BaseModule || InitAttachment.GetConfig(child.Module) is not null;

    private void WarnUnreached()
    {
        foreach (var n in Root.PostOrder())
        {
            if (_reached.Contains(n.Module) || InitAttachment.GetConfig(n.Module) is null) continue;
            if (!_force && InitAttachment.IsInitialized(n.Module)) continue;
            var hider = n.Parent;
            while (hider is not null && (hider.Module is BaseModule || InitAttachment.GetConfig(hider.Module) is not null)) hider = hider.Parent;
            Warnings.Add(new InitWarning(InitWarning.ModuleNotReached, n.DisplayPath,
                $"{LayerTypeNames.ClassName(n.Module)} has an init_cfg, but the walk does not reach it" +
                (hider is not null ? $": it is inside {hider.DisplayPath} ({LayerTypeNames.ClassName(hider.Module)}), which has no init_weights of its own" : "") +
                ", as in MMEngine; its init_cfg does not run (use -IncludeUnreached to run it)."));
        }
    }

    private void Plan(ModuleNode node, List<InitStep> steps)
    {
        _reached.Add(node.Module);
        if (node.Module is BaseModule { HasUserInitWeights: true })
        {
            steps.Add(new InitStep(InitStepKind.UserInit, node, null, node, null));
            PlanDefault(node, new List<InitStep>()); // validate what it may run, before any change
            return;
        }
        PlanDefault(node, steps);
    }

    private void PlanDefault(ModuleNode node, List<InitStep> steps)
    {
        var root = ConfigPath.Root(node.Path.Length == 0 ? ConfigKeys.InitCfg : node.Path + "." + ConfigKeys.InitCfg);
        // Each module's configs are parsed once per call, even when a user-defined init runs its default procedure.
        if (!_configs.TryGetValue(node, out var configs))
            _configs[node] = configs = InitConfig.ParseList(node == Root ? _rootConfig : InitAttachment.GetConfig(node.Module), root, _registry, Problems);
        for (int i = 0; i < configs.Count; i++)
            if (!RunsAfterChildren(configs[i])) PlanConfig(node, configs[i], root.Index(i), steps);
        foreach (var child in node.Children)
            if ((_force || !InitAttachment.IsInitialized(child.Module)) && Reaches(child)) Plan(child, steps);
        for (int i = 0; i < configs.Count; i++)
            if (RunsAfterChildren(configs[i])) PlanConfig(node, configs[i], root.Index(i), steps);
        steps.Add(new InitStep(InitStepKind.Mark, node, null, node, null));
    }

    private static bool RunsAfterChildren(InitConfig config) => config.Initializer!.Arguments.Descriptor.RunsAfterChildren;

    private void PlanConfig(ModuleNode node, InitConfig config, ConfigPath path, List<InitStep> steps)
    {
        var init = config.Initializer!;
        if (init is WholeTargetInitializer whole)
        {
            AddWhole(node, whole, node, path, steps);
        }
        else if (init is InitializerBase layered)
        {
            if (config.Layer.Count == 0 && config.Override.Count == 0 && !init.Arguments.Descriptor.RunsAfterChildren)
                Warnings.Add(new InitWarning(InitWarning.ConfigDoesNothing, path.ToString(),
                    $"{PyRepr.Short(config.ToConfigTree())} has neither layer nor override, so it initializes nothing."));
            WarnUnmatchedLayers(node, config, path);
            foreach (var sub in node.PostOrder())
                if (layered.Matches(NamesOf(sub.Module))) AddApply(sub, layered, node, path, steps);
        }

        for (int j = 0; j < config.Override.Count; j++)
        {
            var ov = config.Override[j];
            var ovPath = path.Key(ConfigKeys.Override).Index(j);
            var effective = ov.EffectiveOverride(config);
            var target = ov.Name is null ? null : node.Find(ov.Name);
            if (target is null)
            {
                if (ov.Name is not null)
                    Problems.Add(ErrorIds.OverrideNameNotFound, ovPath.Key(ConfigKeys.Name),
                        $"module {LayerTypeNames.ClassName(node.Module)} did not have attribute {ov.Name}, but init_cfg is {PyRepr.Short(((ConfigMap)effective.ToConfigTree()).Without(ConfigKeys.Name))}.{Nearest.Hint(ov.Name, node.DescendantNames())}");
                continue;
            }
            switch (effective.Initializer)
            {
                case WholeTargetInitializer wholeTarget:
                    AddWhole(target, wholeTarget, node, ovPath, steps);
                    break;
                case InitializerBase layered:
                    foreach (var sub in target.PostOrder()) AddApply(sub, layered, node, ovPath, steps);
                    break;
            }
        }
    }

    private void AddWhole(ModuleNode target, WholeTargetInitializer init, ModuleNode owner, ConfigPath path, List<InitStep> steps)
    {
        // Read once per call (a user-defined init planning its default again reuses it); a failure is a config problem.
        if (!_prepared.TryGetValue(init, out var prepared))
        {
            try { prepared = init.Prepare(_environment, path); }
            catch (InitCfgException e) { Problems.Add(e); }
            _prepared[init] = prepared;
        }
        if (prepared is null) return;
        LoadWarnings.AddRange(prepared.PlanWarnings(target.Module, target.Path, path.ToString()));
        steps.Add(new InitStep(InitStepKind.Apply, target, init, owner, path.ToString())
        {
            Prepared = prepared,
            Elements = target.Module.parameters().Sum(p => p.numel()),
        });
    }

    private void AddApply(ModuleNode target, InitializerBase init, ModuleNode owner, ConfigPath path, List<InitStep> steps)
    {
        var (weight, bias) = ModuleParameters.WeightAndBias(target.Module);
        if (weight is null && bias is null) return;
        if (weight is not null && init.CheckWeight(weight) is { } why)
            Problems.Add(ErrorIds.TensorNotSupported, path, $"{init.Type} cannot initialize {Join(target.Path, "weight")}: {why}");
        steps.Add(new InitStep(InitStepKind.Apply, target, init, owner, path.ToString())
        {
            Elements = (weight?.numel() ?? 0) + (bias?.numel() ?? 0),
        });
    }

    private void WarnUnmatchedLayers(ModuleNode node, InitConfig config, ConfigPath path)
    {
        if (config.Layer.Count == 0) return;
        var present = node.PostOrder().SelectMany(n => NamesOf(n.Module)).Distinct().ToArray();
        foreach (var layer in config.Layer)
        {
            if (LayerMatcher.Intersects(new[] { layer }, present)) continue;
            var near = Nearest.Find(layer, present);
            Warnings.Add(new InitWarning(InitWarning.LayerMatchesNothing, path.Key(ConfigKeys.Layer).ToString(),
                near is not null
                    ? $"'{layer}' matches no layer; did you mean '{near}'?"
                    : $"'{layer}' matches no layer of {LayerTypeNames.ClassName(node.Module)}."));
        }
    }

    private IReadOnlyList<string> NamesOf(nn.Module m)
    {
        if (!_layerNames.TryGetValue(m, out var names)) _layerNames[m] = names = LayerTypeNames.Of(m);
        return names;
    }

    /// <summary>Runs planned steps in order.</summary>
    public void Execute(List<InitStep> steps)
    {
        var ctx = Context ?? throw new InvalidOperationException("No context.");
        _elementsTotal += steps.Sum(s => s.Elements);
        // The outermost call draws different tensors at once (a user init's nested call draws in order).
        bool outer = _draws is null;
        if (outer) _draws = new DrawQueue(ctx.Generator);
        try
        {
            foreach (var step in steps) Execute(step, ctx);
            if (outer) _draws!.Flush();
        }
        catch
        {
            if (outer) _draws!.Drain(); // nothing may still write while the transaction puts values back
            throw;
        }
        finally
        {
            if (outer) _draws = null;
        }
    }

    private DrawQueue? _draws;

    private void Execute(InitStep step, InitContext ctx)
    {
        switch (step.Kind)
        {
            case InitStepKind.Apply:
                ctx.CurrentModulePath = step.Owner.Path;
                ctx.CurrentTargetPath = step.Target.Path;
                ctx.CurrentConfigPath = step.ConfigPath;
                var init = step.Initializer!;
                bool userCode = IsUserCode(init);
                SaveForUndo(step.Target.Module, init, userCode);
                BeforeApply?.Invoke(step);
                if (!TryQueue(step, init, userCode, ctx))
                {
                    _draws?.Flush(); // what runs in order sees every earlier value and the generator where it stands
                    try { if (step.Prepared is { } prepared) prepared.Apply(step.Target.Module, ctx); else ((InitializerBase)init).Apply(step.Target.Module, ctx); }
                    catch (System.Runtime.InteropServices.ExternalException e) { throw Refused(step, init, e); }
                }
                if (userCode) ThrowIfBroken(step.ConfigPath ?? step.Target.DisplayPath, $"the {init.Type} initializer");
                if (AfterApply is { } afterApply)
                {
                    _draws?.Flush(); // a streamed init writes and frees the step's tensors, so their draws must be done
                    afterApply(step);
                }
                _elementsDone += step.Elements;
                _progress?.Report(new InitProgress($"Initializing {RootClass}", step.Target.DisplayPath, _elementsDone, _elementsTotal));
                break;
            case InitStepKind.UserInit:
                _draws?.Flush();
                RunUserInit(step.Target, ctx);
                break;
            case InitStepKind.Mark:
                InitAttachment.SetInitialized(step.Target.Module, true);
                break;
        }
    }

    // A built-in initializer whose draws are a known function of the weight's size runs on a worker from its
    // exact stream position (DrawQueue); its records are made here, in step order, as Apply makes them.
    private bool TryQueue(InitStep step, Initializer init, bool userCode, InitContext ctx)
    {
        if (_draws is null || userCode || step.Prepared is not null || ctx.UserInitDepth > 0 || init is not InitializerBase layered) return false;
        var (weight, bias) = ModuleParameters.WeightAndBias(step.Target.Module);
        long? draws = weight is null ? 0 : layered.StreamDraws(weight);
        if (draws is null) return false;
        var writes = new[] { weight, bias }.OfType<Tensor>().ToArray();
        if (!_draws.TryRun(writes, draws.Value, generator =>
            {
                try { layered.FillValues(weight, bias, generator); }
                catch (System.Runtime.InteropServices.ExternalException e) { throw Refused(step, init, e); }
            }))
            return false;
        if (weight is not null) ctx.Record(weight, layered);
        if (bias is not null) ctx.Record(bias, layered);
        return true;
    }

    // A libtorch refusal the plan did not foresee: typed, and the transaction undoes the run.
    private static InitCfgException Refused(InitStep step, Initializer init, System.Runtime.InteropServices.ExternalException e) =>
        new(ErrorIds.InvalidArgumentValue, step.ConfigPath, $"{init.Type} cannot initialize {step.Target.DisplayPath}: {FirstLine(e.Message)}", e);

    /// <summary>Called before an Apply step runs (a streamed init gives its target's tensors storage here).</summary>
    public Action<InitStep>? BeforeApply { get; set; }

    /// <summary>Called after an Apply step ran (a streamed init writes the tensors no later step writes, and frees them).</summary>
    public Action<InitStep>? AfterApply { get; set; }

    /// <summary>Undo copies for the run; null when planning only.</summary>
    public InitTransaction? Transaction { get; set; }

    // Code the engine does not know (script blocks, registered classes) may write anything under its target.
    internal static bool IsUserCode(Initializer init) =>
        init is DelegateInit || init.GetType().Assembly != typeof(InitializerBase).Assembly;

    private void SaveForUndo(nn.Module target, Initializer init, bool userCode)
    {
        if (Transaction is not { } tx) return;
        if (userCode || init is WholeTargetInitializer)
        {
            tx.SaveAll(target);
            return;
        }
        var (weight, bias) = ModuleParameters.WeightAndBias(target);
        if (weight is not null) tx.Save(weight);
        if (bias is not null) tx.Save(bias);
    }

    private void ThrowIfBroken(string where, string who)
    {
        if (Transaction?.Broken() is { } path)
            throw new InitCfgException(ErrorIds.UserInitFailed, where,
                $"{who} disposed or replaced {path}; an initializer may only write into the tensors it is given. Nothing was changed.");
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>The default procedure for one module, for user-defined init methods that call it.</summary>
    public void RunDefault(nn.Module module)
    {
        if (!_nodes.TryGetValue(module, out var node))
            throw new InvalidOperationException($"{LayerTypeNames.ClassName(module)} is not part of the model being initialized.");
        var steps = new List<InitStep>();
        PlanDefault(node, steps);
        Problems.ThrowIfAny();
        Execute(steps);
    }

    private void RunUserInit(ModuleNode node, InitContext ctx)
    {
        Transaction?.SaveAll(node.Module);
        var parameters = node.Module.parameters().ToList();
        var before = new List<Tensor>(parameters.Count);
        using (no_grad())
            foreach (var p in parameters)
            {
                using var detached = p.detach(); // kept in a variable: a temporary could be finalized inside clone
                before.Add(detached.clone());
            }
        ctx.UserInitDepth++;
        try
        {
            ((BaseModule)node.Module).InitWeights(ctx);
        }
        catch (Exception e) when (e is not InitCfgException)
        {
            throw new InitCfgException(ErrorIds.UserInitFailed, node.DisplayPath,
                $"the InitWeights method of {LayerTypeNames.ClassName(node.Module)} failed: {e.Message}", e);
        }
        finally
        {
            ctx.UserInitDepth--;
        }
        ThrowIfBroken(node.DisplayPath, $"the InitWeights method of {LayerTypeNames.ClassName(node.Module)}");
        // As MMEngine after a user-defined init_weights: a value changed since the last recorded write was
        // written by the user's code (compared exactly, not by mean).
        var className = LayerTypeNames.ClassName(node.Module);
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var reference = ctx.ValueAfterLastWrite(p) ?? before[i];
            if (!p.Equals(reference))
            {
                ParameterWrites.Set(p, new ParameterWrite(ParameterWrites.UserDefinedText(className), null, null, node.Path, null, true));
                // A user init inside another one (FCNMaskHead's ConvModules): the outer one keeps this label unless it writes again.
                if (ctx.UserInitDepth > 0) ctx.KeepValueAfterWrite(p);
            }
            before[i].Dispose();
        }
        if (ctx.UserInitDepth == 0) ctx.ForgetWrites();
        InitAttachment.SetInitialized(node.Module, true);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
