#nullable enable
namespace InitCfg.Core.Initializers;

/// <summary>
/// Caffe2's "Xavier": Kaiming uniform with a=1, fan_in, leaky_relu (MMEngine <c>Caffe2XavierInit</c>).
/// Only the bias arguments are accepted; the Kaiming ones are fixed.
/// </summary>
public sealed class Caffe2XavierInit : KaimingInit
{
    /// <summary>Builds it from validated arguments (which carry the fixed Kaiming values as defaults).</summary>
    public Caffe2XavierInit(InitArguments args) : base(args, 1L, "fan_in", "leaky_relu", "uniform") { }
}
