#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Errors;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Configs;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.Reports;

/// <summary>Everything an exported report shows, gathered once from the model.</summary>
internal sealed class ReportContent
{
    private ReportContent(string modelClass, IReadOnlyList<ParameterInitRecord> records, IReadOnlyList<LoadReport> loads,
        IReadOnlyList<InitWarning> warnings, IReadOnlyList<ModuleConfig> configs)
    {
        ModelClass = modelClass;
        Records = records;
        Loads = loads;
        Warnings = warnings;
        Configs = configs;
    }

    /// <summary>A module that carries its own init_cfg, and that config as MMEngine prints it.</summary>
    public sealed record ModuleConfig(string ModulePath, string ClassName, string Config);

    /// <summary>Class name of the model.</summary>
    public string ModelClass { get; }

    /// <summary>One record per parameter, in <c>named_parameters</c> order.</summary>
    public IReadOnlyList<ParameterInitRecord> Records { get; }

    /// <summary>Checkpoint loads of the last run.</summary>
    public IReadOnlyList<LoadReport> Loads { get; }

    /// <summary>Warnings of the last run.</summary>
    public IReadOnlyList<InitWarning> Warnings { get; }

    /// <summary>Modules with an init_cfg, root first, in <c>named_modules</c> order.</summary>
    public IReadOnlyList<ModuleConfig> Configs { get; }

    /// <summary>Tensors written by init_weights.</summary>
    public int WrittenCount => Records.Count(r => r.Written);

    /// <summary>Gathers the report of <paramref name="model"/>.</summary>
    public static ReportContent Collect(nn.Module model)
    {
        var configs = new List<ModuleConfig>();
        // Depth first, in registration order: a module's config is listed just before those inside it.
        void Visit(string path, nn.Module m)
        {
            if (InitAttachment.GetConfig(m) is { } cfg) configs.Add(new ModuleConfig(path, LayerTypeNames.ClassName(m), PyRepr.Repr(cfg)));
            foreach (var (name, child) in m.named_children()) Visit(path.Length == 0 ? name : path + "." + name, child);
        }
        Visit("", model);
        return new ReportContent(LayerTypeNames.ClassName(model), InitReport.For(model), ParameterWrites.GetLoads(model),
            ParameterWrites.GetWarnings(model), configs);
    }

    /// <summary>True for a tensor the HTML page draws: written by init_weights, not a bias, not empty.</summary>
    public static bool IsPlotted(ParameterInitRecord r)
    {
        var leaf = r.Name[(r.Name.LastIndexOf('.') + 1)..];
        return r.Written && r.Elements > 0 && !leaf.EndsWith("bias", StringComparison.Ordinal);
    }
}
