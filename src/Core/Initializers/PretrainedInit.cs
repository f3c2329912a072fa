#nullable enable
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Loads a checkpoint into the module that holds the config (MMEngine <c>PretrainedInit</c>), non-strictly, with
/// an optional key prefix. The file is read and matched while planning, so a missing or broken file stops the
/// whole call before any weight changes; the copy happens when the walk reaches it (after the children).
/// </summary>
public sealed class PretrainedInit : InitializerBase
{
    private CheckpointIndex? _index;
    private CheckpointIndex? _view;
    private string? _file;

    /// <summary>Builds it from validated arguments.</summary>
    public PretrainedInit(InitArguments args) : base(args)
    {
        Checkpoint = args.Text("checkpoint");
        Prefix = args.Raw("prefix") as string;
        MapLocation = args.Raw("map_location") as string ?? "cpu";
        if (!MapLocation.StartsWith("cpu", StringComparison.OrdinalIgnoreCase))
            throw args.Invalid("map_location", $"map_location must be 'cpu' (this build of InitCfg runs on the CPU), but got '{MapLocation}'.");
    }

    /// <summary>The checkpoint as configured (path or URI).</summary>
    public string Checkpoint { get; }

    /// <summary>Only keys under this prefix are loaded, with the prefix removed.</summary>
    public string? Prefix { get; }

    /// <summary>Where tensors are mapped (always the CPU here).</summary>
    public string MapLocation { get; }

    /// <inheritdoc />
    public override bool AppliesToWholeTarget => true;

    /// <inheritdoc />
    public override void Prepare(InitEnvironment environment)
    {
        if (_view is not null) return;
        var where = Arguments.Path.Key("checkpoint").ToString();
        _file = environment.Checkpoints.Resolve(Checkpoint, where);
        _stamp = Stamp(_file);
        try { _index = CheckpointFile.Open(_file); }
        catch (Errors.InitCfgException e) when (e.ConfigPath != where)
        {
            // Name the config entry, as every other config error does; the message names the file.
            throw new Errors.InitCfgException(e.ErrorId, where, e.Message, e);
        }
        // As MMEngine's _load_checkpoint_with_prefix: 'backbone' means 'backbone.'.
        _view = Prefix is null ? _index : _index.WithPrefix(Prefix.EndsWith('.') ? Prefix : Prefix + ".");
    }

    private (long Length, DateTime Written)? _stamp;

    private static (long, DateTime)? Stamp(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    // The index was read from the file as it was when planned; a file changed since (by an earlier config of
    // the same call, or by another process) no longer matches it: refuse (the run is undone) rather than load
    // bytes that belong to another file.
    private void ThrowIfChanged()
    {
        if (_file is null || Stamp(_file) == _stamp) return;
        throw new Errors.InitCfgException(Errors.ErrorIds.CheckpointChanged, Arguments.Path.Key("checkpoint").ToString(),
            $"checkpoint '{_file}' changed between planning and loading (size or modification time); nothing was loaded. Run the call again.");
    }

    /// <inheritdoc />
    public override void Release()
    {
        _index?.Dispose();
        _index = _view = null;
        _plans.Clear();
    }

    /// <summary>The load this initializer will do on <paramref name="module"/> (after <see cref="Prepare"/>).</summary>
    public LoadReport PlanLoad(nn.Module module, string modulePath)
    {
        // Asked for the warnings, the plan rows and the load itself: match names and shapes once per module.
        if (_plans.TryGetValue(module, out var plan)) return plan;
        return _plans[module] = StateLoader.Plan(module, _view ?? throw new InvalidOperationException("Prepare first."), Checkpoint, Prefix, modulePath);
    }

    private readonly Dictionary<nn.Module, LoadReport> _plans = new(ReferenceEqualityComparer.Instance);

    /// <inheritdoc />
    public override IReadOnlyList<string> PlannedWrites(nn.Module target) => PlanLoad(target, "").Loaded;

    /// <inheritdoc />
    public override IEnumerable<InitWarning> PlanWarnings(nn.Module target, string targetPath, string configPath)
    {
        var load = PlanLoad(target, targetPath);
        // A prefix no key has is a typo, not 122 missing keys: say which prefix the file does have.
        var near = Prefix is null || _view!.Entries.Count > 0 ? null : _index!.SuggestPrefix(Prefix.EndsWith('.') ? Prefix : Prefix + ".");
        if (load.Loaded.Count == 0)
            yield return new InitWarning(InitWarning.CheckpointLoadsNothing, configPath, $"{Checkpoint} has no key that fits {InitCfg.Core.Layers.LayerTypeNames.ClassName(target)}" +
                (Prefix is null ? "." : $" under prefix '{Prefix}'.") + (near is null ? "" : $" Did you mean '{near}'?"));
        if (near is not null) yield break;
        if (load.Missing.Count > 0)
            yield return new InitWarning(InitWarning.CheckpointMissingKeys, configPath, $"missing keys in source state_dict: {string.Join(", ", load.Missing)}");
        if (load.Unexpected.Count > 0)
            yield return new InitWarning(InitWarning.CheckpointUnexpectedKeys, configPath, $"unexpected key in source state_dict: {string.Join(", ", load.Unexpected)}");
        if (load.ShapeMismatched.Count > 0)
            yield return new InitWarning(InitWarning.CheckpointShapeMismatch, configPath, $"size mismatch, skipped: {string.Join("; ", load.ShapeMismatched)}");
    }

    /// <inheritdoc />
    public override void Apply(nn.Module module, InitContext context)
    {
        ThrowIfChanged();
        IReadOnlyList<Tensor> written;
        LoadReport report;
        try { (written, report) = StateLoader.Load(module, _view!, PlanLoad(module, context.CurrentTargetPath ?? "")); }
        catch (Errors.InitCfgException e) when (e.ErrorId == Errors.ErrorIds.CheckpointUnreadable && _file is not null && Stamp(_file) != _stamp)
        {
            ThrowIfChanged();
            throw;
        }
        ThrowIfChanged(); // changed while it was read: some bytes may be the new file's
        foreach (var p in written) context.Record(p, this);
        context.AddLoadReport(report);
    }

    /// <inheritdoc />
    protected override void FillWeight(Tensor weight, Generator? generator) =>
        throw new NotSupportedException("Pretrained loads whole modules.");

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: load from {Checkpoint}";
}
