#nullable enable
using InitCfg.Core.Configs;

namespace InitCfg.Core.Initializers;

/// <summary>The initializers InitCfg ships, registered under MMEngine's names with MMEngine's defaults.</summary>
public static class BuiltinInitializers
{
    private static readonly string[] Distributions = { "normal", "uniform" };
    private static readonly string[] Modes = { "fan_in", "fan_out" };

    /// <summary>A registry holding every built-in initializer.</summary>
    public static InitializerRegistry CreateRegistry()
    {
        var r = new InitializerRegistry();
        r.Register(new("Constant", "Fills the weight with val and the bias with bias.",
            new[] { new ArgumentSpec("val", ArgumentKind.Number, null, "Value of the weight.", Required: true) },
            a => new ConstantInit(a)));
        r.Register(new("Xavier", "Glorot/Xavier initialization (normal or uniform).",
            new[]
            {
                new ArgumentSpec("gain", ArgumentKind.Number, 1L, "Scaling factor."),
                new ArgumentSpec("distribution", ArgumentKind.Choice, "normal", "normal or uniform.", Choices: Distributions),
            },
            a => new XavierInit(a)));
        r.Register(new("Normal", "Draws the weight from N(mean, std^2).",
            new[]
            {
                new ArgumentSpec("mean", ArgumentKind.Number, 0L, "Mean."),
                new ArgumentSpec("std", ArgumentKind.Number, 1L, "Standard deviation."),
            },
            a => new NormalInit(a)));
        r.Register(new("TruncNormal", "Draws the weight from N(mean, std^2) truncated to the absolute range [a, b].",
            new[]
            {
                new ArgumentSpec("mean", ArgumentKind.Number, 0L, "Mean."),
                new ArgumentSpec("std", ArgumentKind.Number, 1L, "Standard deviation."),
                new ArgumentSpec("a", ArgumentKind.Number, -2L, "Lower cutoff (absolute, not in stds)."),
                new ArgumentSpec("b", ArgumentKind.Number, 2L, "Upper cutoff (absolute, not in stds)."),
            },
            a => new TruncNormalInit(a)));
        r.Register(new("Uniform", "Draws the weight from U(a, b).",
            new[]
            {
                new ArgumentSpec("a", ArgumentKind.Number, 0L, "Lower bound."),
                new ArgumentSpec("b", ArgumentKind.Number, 1L, "Upper bound."),
            },
            a => new UniformInit(a)));
        r.Register(new("Kaiming", "He/Kaiming initialization (normal or uniform).",
            new[]
            {
                new ArgumentSpec("a", ArgumentKind.Number, 0L, "Negative slope of the rectifier (leaky_relu)."),
                new ArgumentSpec("mode", ArgumentKind.Choice, "fan_out", "fan_in or fan_out.", Choices: Modes),
                new ArgumentSpec("nonlinearity", ArgumentKind.Choice, "relu", "Nonlinearity whose gain is used.", Choices: InitMath.Nonlinearities),
                new ArgumentSpec("distribution", ArgumentKind.Choice, "normal", "normal or uniform.", Choices: Distributions),
            },
            a => new KaimingInit(a)));
        r.Register(new("Caffe2Xavier", "Caffe2's Xavier: Kaiming uniform with a=1, fan_in, leaky_relu.",
            Array.Empty<ArgumentSpec>(), a => new Caffe2XavierInit(a)));
        r.Register(new("Orthogonal", "A (semi-)orthogonal weight times gain, as torch.nn.init.orthogonal_.",
            new[] { new ArgumentSpec("gain", ArgumentKind.Number, 1L, "Scaling factor.") },
            a => new OrthogonalInit(a)));
        r.Register(new("Dirac", "Identity-preserving convolution weights, as torch.nn.init.dirac_.",
            new[] { new ArgumentSpec("groups", ArgumentKind.Number, 1L, "Number of convolution groups.") },
            a => new DiracInit(a)));
        r.Register(new("Eye", "The identity matrix for 2-dimensional (linear) weights, as torch.nn.init.eye_.",
            Array.Empty<ArgumentSpec>(), a => new EyeInit(a)));
        r.Register(new("Pretrained", "Loads a checkpoint (path, torchvision://, open-mmlab://, http(s)://) into the module, non-strictly.",
            new[]
            {
                new ArgumentSpec("checkpoint", ArgumentKind.Text, null, "Checkpoint path or URI (.pth/.pt, .safetensors, .dat).", Required: true),
                new ArgumentSpec("prefix", ArgumentKind.Text, null, "Load only keys under this prefix, with the prefix removed.", Nullable: true),
                new ArgumentSpec("map_location", ArgumentKind.Text, "cpu", "Device to map tensors to (cpu)."),
            },
            a => new PretrainedInit(a), runsAfterChildren: true, takesBiasArguments: false));
        return r;
    }
}
