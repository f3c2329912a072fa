#nullable enable
using InitCfg.Core.Modules;
using InitCfg.Core.Initializers;
using InitCfg.Core.Configs;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static TorchSharp.torch;

namespace InitCfg.Core.MMDet;

/// <summary>
/// An MMDetection <c>BaseModule</c> (a detector, backbone, neck, head or block): named children in MMDetection's
/// order and class name, plus the parts of its config that create no parameters (<c>data_preprocessor</c>,
/// <c>train_cfg</c>, losses, coders...), kept as given.
/// </summary>
public class MMDetModule : BaseModule, INamedModuleClass
{
    /// <summary>Creates the module and registers its children in order.</summary>
    public MMDetModule(string className, IEnumerable<KeyValuePair<string, nn.Module>> children, ConfigMap? settings = null,
        IReadOnlyList<string>? baseClassNames = null) : base(className)
    {
        ClassName = className;
        BaseClassNames = baseClassNames ?? new[] { "BaseModule" };
        Settings = settings ?? new ConfigMap();
        foreach (var (name, child) in children) register_module(name, child);
    }

    /// <inheritdoc />
    public string ClassName { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> BaseClassNames { get; }

    /// <summary>Config entries kept without building anything (read where they decide a shape).</summary>
    public ConfigMap Settings { get; }
}
