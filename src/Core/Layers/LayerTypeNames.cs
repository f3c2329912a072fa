#nullable enable
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.Layers;

/// <summary>
/// The names a <c>layer</c> entry can match for a module: its class name and the names of its direct bases in
/// PyTorch's terms (MMEngine's <c>_get_bases_name</c> looks at direct bases only, so <c>_ConvNd</c> matches
/// Conv1d/2d/3d but not ConvTranspose2d, whose direct base is <c>_ConvTransposeNd</c>), plus the .NET class and
/// direct base names (<c>Convolution</c>, <c>BatchNorm</c>). Never <c>Module.GetName()</c>, which is unreliable.
/// </summary>
public static class LayerTypeNames
{
    // PyTorch class -> its direct bases in torch.nn (PyTorch 1.13).
    private static readonly Dictionary<Type, string[]> TorchBases = new()
    {
        [typeof(Conv1d)] = new[] { "_ConvNd" },
        [typeof(Conv2d)] = new[] { "_ConvNd" },
        [typeof(Conv3d)] = new[] { "_ConvNd" },
        [typeof(ConvTranspose1d)] = new[] { "_ConvTransposeNd" },
        [typeof(ConvTranspose2d)] = new[] { "_ConvTransposeNd" },
        [typeof(ConvTranspose3d)] = new[] { "_ConvTransposeNd" },
        [typeof(BatchNorm1d)] = new[] { "_BatchNorm" },
        [typeof(BatchNorm2d)] = new[] { "_BatchNorm" },
        [typeof(BatchNorm3d)] = new[] { "_BatchNorm" },
        [typeof(InstanceNorm1d)] = new[] { "_InstanceNorm" },
        [typeof(InstanceNorm2d)] = new[] { "_InstanceNorm" },
        [typeof(InstanceNorm3d)] = new[] { "_InstanceNorm" },
        [typeof(MaxPool2d)] = new[] { "_MaxPoolNd" },
        [typeof(AvgPool2d)] = new[] { "_AvgPoolNd" },
        [typeof(AdaptiveAvgPool2d)] = new[] { "_AdaptiveAvgPoolNd" },
        [typeof(Dropout)] = new[] { "_DropoutNd" },
    };

    /// <summary>Names of the PyTorch private bases and the .NET classes that stand for them, for documentation and hints.</summary>
    public static readonly IReadOnlyDictionary<string, string> PyTorchAliases = new Dictionary<string, string>
    {
        ["_ConvNd"] = "Convolution",
        ["_ConvTransposeNd"] = "ConvolutionTranspose",
        ["_BatchNorm"] = "BatchNorm",
        ["_InstanceNorm"] = "InstanceNorm",
        ["_NormBase"] = "NormBase",
    };

    /// <summary>The class name of a module as reports print it.</summary>
    public static string ClassName(nn.Module module) =>
        module is INamedModuleClass named ? named.ClassName : ClrName(module.GetType());

    /// <summary>Every name a layer filter can match for this module (class first).</summary>
    public static IReadOnlyList<string> Of(nn.Module module)
    {
        var names = new List<string>();
        if (module is INamedModuleClass named)
        {
            names.Add(named.ClassName);
            names.AddRange(named.BaseClassNames);
            return names.Distinct().ToArray();
        }
        var type = module.GetType();
        names.Add(ClrName(type));
        if (TorchBases.TryGetValue(type, out var bases)) names.AddRange(bases);
        else if (IsTorchSharpType(type)) names.Add("Module");
        if (type.BaseType is { } baseType && baseType != typeof(object))
            names.Add(ClrName(baseType));
        return names.Distinct().ToArray();
    }

    private static bool IsTorchSharpType(Type t) => t.Namespace is "TorchSharp.Modules";

    /// <summary>A .NET type name without generic arity (<c>Module`2</c> is <c>Module</c>).</summary>
    public static string ClrName(Type type)
    {
        var name = type.Name;
        int tick = name.IndexOf('`');
        return tick >= 0 ? name[..tick] : name;
    }
}
