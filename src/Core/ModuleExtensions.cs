#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core;

/// <summary>
/// The C# face of the engine: MMEngine's <c>init_weights</c>, the init report, checkpoint export and load as
/// extension methods on any TorchSharp module.
/// </summary>
/// <example>
/// <code>
/// var model = new MyNet();
/// model.InitWeights(InitConfig.Parse("- {type: Kaiming, layer: Conv2d}\n- {type: Constant, val: 1, layer: BatchNorm2d}"), seed: 0);
/// foreach (var r in model.GetInitReport()) Console.WriteLine($"{r.Name}: {r.InitInfo}");
/// model.ExportWeights("mynet.safetensors");
/// </code>
/// </example>
/// <remarks>
/// A config (<c>initCfg</c>) is any of: YAML or JSON text; <see cref="InitConfig"/> objects (from
/// <see cref="InitConfig.Parse(string, InitializerRegistry?)"/>); dictionaries and lists of them; anonymous objects such as
/// <c>new { type = "Normal", std = 0.01, layer = "Linear" }</c> (write <c>@override</c> for MMEngine's
/// <c>override</c> key). Bad input throws <see cref="InitCfgException"/> with a stable
/// <see cref="InitCfgException.ErrorId"/> before any weight changes.
/// </remarks>
public static class ModuleExtensions
{
    /// <summary>
    /// Initializes <paramref name="model"/>'s weights by <paramref name="initCfg"/> (or, when null, the configs
    /// attached to the model and its children), as MMEngine's <c>BaseModule.init_weights</c>.
    /// </summary>
    /// <param name="model">The module to initialize.</param>
    /// <param name="initCfg">The model's top-level init_cfg; see the class remarks for the accepted forms.</param>
    /// <param name="seed">Seeds a dedicated generator as <c>torch.manual_seed</c> does, so the weights equal PyTorch's.</param>
    /// <param name="force">Initialize again a model that was initialized before (otherwise a warning and no change).</param>
    /// <param name="strict">Make warnings (layer names that match nothing, configs that do nothing) errors.</param>
    /// <param name="checkpointDir">Where checkpoint URIs (<c>torchvision://</c>, ...) resolve; default: the torch hub cache.
    /// Relative checkpoint paths resolve against the current directory.</param>
    /// <param name="progress">Receives progress while tensors are written.</param>
    /// <returns>What was written, with the warnings; <see cref="InitResult.Skipped"/> when nothing was done.</returns>
    /// <exception cref="InitCfgException">The config is invalid or a checkpoint cannot be read; nothing was changed.</exception>
    public static InitResult InitWeights(this nn.Module model, object? initCfg = null, long? seed = null, bool force = false,
        bool strict = false, string? checkpointDir = null, IProgress<InitProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new InitEngine().Initialize(model, Options(initCfg, seed, force, strict, checkpointDir, progress));
    }

    /// <summary>
    /// What <see cref="InitWeights"/> would do with the same arguments, step by step, without changing anything.
    /// </summary>
    /// <param name="model">The module.</param>
    /// <param name="initCfg">The model's top-level init_cfg, as for <see cref="InitWeights"/>.</param>
    /// <param name="strict">Make warnings errors.</param>
    /// <param name="checkpointDir">Where checkpoint URIs resolve.</param>
    /// <returns>One row per planned write or warning.</returns>
    /// <exception cref="InitCfgException">The config is invalid or a checkpoint cannot be read.</exception>
    public static IReadOnlyList<InitPlanRow> GetInitPlan(this nn.Module model, object? initCfg = null, bool strict = false,
        string? checkpointDir = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new InitEngine().Plan(model, Options(initCfg, null, false, strict, checkpointDir, null)).PlanRows;
    }

    /// <summary>
    /// One record per parameter, in <c>named_parameters</c> order: which initializer wrote it last, with which
    /// arguments and config path, and the tensor's statistics now.
    /// </summary>
    /// <param name="model">The module.</param>
    /// <returns>The records.</returns>
    public static IReadOnlyList<ParameterInitRecord> GetInitReport(this nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return InitReport.For(model);
    }

    /// <summary>The init report grouped by initializer and arguments.</summary>
    /// <param name="model">The module.</param>
    /// <returns>One row per distinct initialization.</returns>
    public static IReadOnlyList<InitSummaryRow> GetInitSummary(this nn.Module model) =>
        InitReport.Summarize(model.GetInitReport());

    /// <summary>The init report as MMEngine logs it (<c>name - shape: ...</c> lines), to diff against an MMEngine run.</summary>
    /// <param name="model">The module.</param>
    /// <returns>The log text.</returns>
    public static string GetInitLog(this nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return InitReport.ToLog(model);
    }

    /// <summary>
    /// Writes the model's state dict to <paramref name="path"/>; the extension picks the format: <c>.safetensors</c>,
    /// <c>.pth</c>/<c>.pt</c> (PyTorch's zip format, read by <c>torch.load</c>) or <c>.dat</c> (TorchSharp's).
    /// The file is written to a temporary name and renamed when complete.
    /// </summary>
    /// <param name="model">The module.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="force">Replace an existing file.</param>
    /// <returns>The file written.</returns>
    /// <exception cref="InitCfgException">The file exists and <paramref name="force"/> is false
    /// (<see cref="ErrorIds.ExportTargetExists"/>), the extension is unknown, or the file cannot be written.</exception>
    public static FileInfo ExportWeights(this nn.Module model, string path, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var full = FullPath(path);
        CheckpointFile.Write(full, ModuleState.ForExport(model), CheckpointFile.FormatOf(full), overwrite: force);
        return new FileInfo(full);
    }

    /// <summary>
    /// Writes the init report to <paramref name="path"/>: <c>.json</c>, <c>.csv</c>, <c>.md</c>, <c>.log</c> or
    /// <c>.html</c> (with histograms against the expected distributions).
    /// </summary>
    /// <param name="model">The module.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="force">Replace an existing file.</param>
    /// <returns>The file written.</returns>
    /// <exception cref="InitCfgException">The file exists and <paramref name="force"/> is false, or the extension is unknown.</exception>
    public static FileInfo ExportInitReport(this nn.Module model, string path, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new FileInfo(ReportExporter.Export(model, FullPath(path), force));
    }

    /// <summary>
    /// Loads a checkpoint into the model by parameter and buffer names, as PyTorch's
    /// <c>load_state_dict(strict=False)</c>, and reports loaded, missing, unexpected and shape-mismatched keys.
    /// Only tensors and plain containers are read from <c>.pth</c> files: no code runs.
    /// </summary>
    /// <param name="model">The module.</param>
    /// <param name="path">A <c>.pth</c>/<c>.pt</c>, <c>.safetensors</c> or <c>.dat</c> file, or a checkpoint URI
    /// (<c>torchvision://resnet50</c>) resolved in <paramref name="checkpointDir"/>.</param>
    /// <param name="prefix">Load only the keys under this prefix (<c>backbone</c> means <c>backbone.</c>), with it removed.</param>
    /// <param name="strict">Throw, before anything is written, when a key is missing, unexpected or of another shape.</param>
    /// <param name="checkpointDir">Where checkpoint URIs resolve; default: the torch hub cache.</param>
    /// <returns>What was loaded and what did not fit.</returns>
    /// <exception cref="InitCfgException">The file is missing, unreadable or unsafe, or (with <paramref name="strict"/>)
    /// does not fit the model (<see cref="ErrorIds.StrictWarning"/>).</exception>
    public static LoadReport LoadCheckpoint(this nn.Module model, string path, string? prefix = null, bool strict = false,
        string? checkpointDir = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var file = Locator(checkpointDir).Resolve(path, path);
        using var index = CheckpointFile.Open(file);
        var view = prefix is null ? index : index.WithPrefix(prefix.EndsWith('.') ? prefix : prefix + ".");
        var plan = StateLoader.Plan(model, view, path, prefix, "");
        if (strict && !plan.IsComplete)
            throw new InitCfgException(ErrorIds.StrictWarning, path, $"the checkpoint does not fit the model (strict: true): {plan}");
        // A record failing its CRC-32 is found as its bytes are read into the model: keep copies of what the load
        // writes and put them back on any failure, as Invoke-InitWeights' transaction does.
        using var transaction = new InitTransaction(ModuleNode.Build(model), InitOptions.DefaultUndoMemoryLimit, null);
        var planned = plan.Loaded.ToHashSet();
        foreach (var e in ModuleState.Entries(model))
            if (planned.Contains(e.Name)) transaction.Save(e.Tensor);
        IReadOnlyList<Tensor> written;
        LoadReport report;
        try { (written, report) = StateLoader.Load(model, view, plan); }
        catch
        {
            transaction.Rollback();
            throw;
        }
        transaction.Commit();
        var info = $"PretrainedInit: load from {path}";
        foreach (var p in written) ParameterWrites.Set(p, new ParameterWrite(info, "Pretrained", null, "", null, true));
        ParameterWrites.SetLoads(model, new[] { report });
        return report;
    }

    private static InitOptions Options(object? initCfg, long? seed, bool force, bool strict, string? checkpointDir,
        IProgress<InitProgress>? progress) => new()
    {
        // A string is config text; a file goes through InitConfig.Load, so a path is never mistaken for YAML.
        InitCfg = initCfg is string text ? ConfigReader.FromText(text, ConfigPath.Root(ConfigKeys.InitCfg)) : initCfg,
        Seed = seed,
        Force = force,
        Strict = strict,
        Progress = progress,
        Environment = new InitEnvironment { Checkpoints = Locator(checkpointDir) },
    };

    private static CheckpointLocator Locator(string? checkpointDir) =>
        new(string.IsNullOrWhiteSpace(checkpointDir) ? null : FullPath(checkpointDir), Environment.CurrentDirectory);

    // A path the OS cannot take is bad input like any other: InitCfg's exception, not the framework's.
    private static string FullPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InitCfgException(ErrorIds.ExportFailed, path, "no file path was given.");
        try { return Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        { throw new InitCfgException(ErrorIds.ExportFailed, path, $"'{path}' is not a valid path: {e.Message}", e); }
    }
}
