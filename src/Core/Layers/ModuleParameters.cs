#nullable enable
using static TorchSharp.torch;

namespace InitCfg.Core.Layers;

/// <summary>The parameters an initializer may touch: <c>weight</c> and <c>bias</c> registered directly on a module.</summary>
public static class ModuleParameters
{
    /// <summary>The module's own weight and bias (null when absent or None).</summary>
    public static (Tensor? Weight, Tensor? Bias) WeightAndBias(nn.Module module)
    {
        Tensor? weight = null, bias = null;
        foreach (var (name, p) in module.named_parameters(recurse: false))
        {
            if (name == "weight") weight = p;
            else if (name == "bias") bias = p;
        }
        return (weight, bias);
    }

    /// <summary>True when the module has its own weight or bias.</summary>
    public static bool HasWeightOrBias(nn.Module module)
    {
        var (w, b) = WeightAndBias(module);
        return w is not null || b is not null;
    }
}
