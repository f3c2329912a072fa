#nullable enable
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using static TorchSharp.torch;

namespace InitCfg.Core.Initializers;

/// <summary>
/// Loads a checkpoint into the module that holds the config (MMEngine <c>PretrainedInit</c>), non-strictly, with
/// an optional key prefix. The file is read and matched while planning (<see cref="Prepare"/>), so a missing or
/// broken file stops the whole call before any weight changes; the copy happens when the walk reaches it (after
/// the children).
/// </summary>
public sealed class PretrainedInit : WholeTargetInitializer
{
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
    public override PreparedInit Prepare(InitEnvironment environment, ConfigPath configPath)
    {
        var where = configPath.Key("checkpoint").ToString();
        var file = environment.Checkpoints.Resolve(Checkpoint, where);
        var stamp = FileStamp.Of(file);
        CheckpointIndex index;
        try { index = CheckpointFile.Open(file); }
        catch (InitCfgException e) when (e.ConfigPath != where)
        {
            // Name the config entry, as every other config error does; the message names the file.
            throw new InitCfgException(e.ErrorId, where, e.Message, e);
        }
        // As MMEngine's _load_checkpoint_with_prefix: 'backbone' means 'backbone.'.
        var view = Prefix is null ? index : index.WithPrefix(Prefix.EndsWith('.') ? Prefix : Prefix + ".");
        return new Load(this, index, view, file, stamp, where);
    }

    /// <inheritdoc />
    public override string Describe() => $"{InfoName}: load from {Checkpoint}";

    /// <summary>One run's open checkpoint, with the name and shape matching done once per target module.</summary>
    private sealed class Load : PreparedInit
    {
        private readonly PretrainedInit _init;
        private readonly CheckpointIndex _index;
        private readonly CheckpointIndex _view;
        private readonly string _file;
        private readonly FileStamp? _stamp;
        private readonly string _configPath;
        private readonly Dictionary<nn.Module, LoadReport> _plans = new(ReferenceEqualityComparer.Instance);

        public Load(PretrainedInit init, CheckpointIndex index, CheckpointIndex view, string file, FileStamp? stamp, string configPath)
        {
            _init = init;
            _index = index;
            _view = view;
            _file = file;
            _stamp = stamp;
            _configPath = configPath;
        }

        // The index was read from the file as it was when planned; a file changed since (by an earlier config of
        // the same call, or by another process) no longer matches it: refuse (the run is undone) rather than load
        // bytes that belong to another file.
        private void ThrowIfChanged()
        {
            if (FileStamp.Of(_file) == _stamp) return;
            throw new InitCfgException(ErrorIds.CheckpointChanged, _configPath,
                $"checkpoint '{_file}' changed between planning and loading (size or modification time); nothing was loaded. Run the call again.");
        }

        // Asked for the warnings, the plan rows and the load itself: match names and shapes once per module.
        private LoadReport Plan(nn.Module module, string modulePath)
        {
            if (_plans.TryGetValue(module, out var plan)) return plan;
            return _plans[module] = StateLoader.Plan(module, _view, _init.Checkpoint, _init.Prefix, modulePath);
        }

        public override IReadOnlyList<string> PlannedWrites(nn.Module target) => Plan(target, "").Loaded;

        public override IEnumerable<InitWarning> PlanWarnings(nn.Module target, string targetPath, string configPath)
        {
            var load = Plan(target, targetPath);
            if (CheckpointFile.NamedFormatIfOther(_index.Source, _index.Format) is { } named)
                yield return new InitWarning(InitWarning.CheckpointNameMismatch, configPath,
                    $"{_init.Checkpoint} is named {Path.GetExtension(_index.Source)} ({named}) but holds a {_index.Format} checkpoint; it was read as its content says.");
            // A prefix no key has is a typo, not 122 missing keys: say which prefix the file does have.
            var prefix = _init.Prefix;
            var near = prefix is null || _view.Entries.Count > 0 ? null : _index.SuggestPrefix(prefix.EndsWith('.') ? prefix : prefix + ".");
            if (load.Loaded.Count == 0)
                yield return new InitWarning(InitWarning.CheckpointLoadsNothing, configPath, $"{_init.Checkpoint} has no key that fits {LayerTypeNames.ClassName(target)}" +
                    (prefix is null ? "." : $" under prefix '{prefix}'.") + (near is null ? "" : $" Did you mean '{near}'?"));
            if (near is not null) yield break;
            if (load.Missing.Count > 0)
                yield return new InitWarning(InitWarning.CheckpointMissingKeys, configPath, $"missing keys in source state_dict: {string.Join(", ", load.Missing)}");
            if (load.Unexpected.Count > 0)
                yield return new InitWarning(InitWarning.CheckpointUnexpectedKeys, configPath, $"unexpected key in source state_dict: {string.Join(", ", load.Unexpected)}");
            if (load.ShapeMismatched.Count > 0)
                yield return new InitWarning(InitWarning.CheckpointShapeMismatch, configPath, $"size mismatch, skipped: {string.Join("; ", load.ShapeMismatched)}");
        }

        public override void Apply(nn.Module target, InitContext context)
        {
            ThrowIfChanged();
            IReadOnlyList<Tensor> written;
            LoadReport report;
            try { (written, report) = StateLoader.Load(target, _view, Plan(target, context.CurrentTargetPath ?? ""), context.TensorStream); }
            catch (InitCfgException e) when (e.ErrorId == ErrorIds.CheckpointUnreadable && FileStamp.Of(_file) != _stamp)
            {
                ThrowIfChanged();
                throw;
            }
            ThrowIfChanged(); // changed while it was read: some bytes may be the new file's
            foreach (var p in written) context.Record(p, _init);
            context.AddLoadReport(report);
        }

        public override void Dispose()
        {
            _index.Dispose();
            _plans.Clear();
        }
    }
}
