using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Building;

/// <summary>Every built-in layer type builds from PyTorch argument names, with PyTorch's parameter names and shapes.</summary>
public class BuiltinModulesTests
{
    private static nn.Module Build(string json) => new ModelBuilder().Build(ConfigReader.FromJson(json, ConfigPath.Root("model")));

    private static string Parameters(nn.Module m) =>
        string.Join(";", m.named_parameters().Select(p => $"{p.name}:[{string.Join(",", p.parameter.shape)}]"));

    [Theory]
    [InlineData("""{"type": "Conv1d", "in_channels": 2, "out_channels": 4, "kernel_size": 3}""", "weight:[4,2,3];bias:[4]")]
    [InlineData("""{"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel_size": 3}""", "weight:[8,3,3,3];bias:[8]")]
    [InlineData("""{"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel_size": [3, 1], "bias": false}""", "weight:[8,3,3,1]")]
    [InlineData("""{"type": "Conv2d", "in_channels": 4, "out_channels": 8, "kernel_size": 3, "groups": 2}""", "weight:[8,2,3,3];bias:[8]")]
    [InlineData("""{"type": "Conv3d", "in_channels": 2, "out_channels": 4, "kernel_size": 3}""", "weight:[4,2,3,3,3];bias:[4]")]
    [InlineData("""{"type": "ConvTranspose1d", "in_channels": 2, "out_channels": 4, "kernel_size": 3}""", "weight:[2,4,3];bias:[4]")]
    [InlineData("""{"type": "ConvTranspose2d", "in_channels": 3, "out_channels": 8, "kernel_size": 3}""", "weight:[3,8,3,3];bias:[8]")]
    [InlineData("""{"type": "ConvTranspose3d", "in_channels": 2, "out_channels": 4, "kernel_size": 3}""", "weight:[2,4,3,3,3];bias:[4]")]
    [InlineData("""{"type": "Linear", "in_features": 4, "out_features": 2}""", "weight:[2,4];bias:[2]")]
    [InlineData("""{"type": "Linear", "in_features": 4, "out_features": 2, "bias": false}""", "weight:[2,4]")]
    [InlineData("""{"type": "BatchNorm1d", "num_features": 4}""", "weight:[4];bias:[4]")]
    [InlineData("""{"type": "BatchNorm2d", "num_features": 4}""", "weight:[4];bias:[4]")]
    [InlineData("""{"type": "BatchNorm3d", "num_features": 4, "affine": false}""", "")]
    [InlineData("""{"type": "InstanceNorm2d", "num_features": 4}""", "")]
    [InlineData("""{"type": "InstanceNorm1d", "num_features": 4, "affine": true}""", "weight:[4];bias:[4]")]
    [InlineData("""{"type": "GroupNorm", "num_groups": 2, "num_channels": 4}""", "weight:[4];bias:[4]")]
    [InlineData("""{"type": "LayerNorm", "normalized_shape": [4, 5]}""", "weight:[4,5];bias:[4,5]")]
    [InlineData("""{"type": "LayerNorm", "normalized_shape": 6}""", "weight:[6];bias:[6]")]
    [InlineData("""{"type": "Embedding", "num_embeddings": 10, "embedding_dim": 3}""", "weight:[10,3]")]
    [InlineData("""{"type": "MultiheadAttention", "embed_dim": 8, "num_heads": 2}""", "in_proj_weight:[24,8];in_proj_bias:[24];out_proj.weight:[8,8];out_proj.bias:[8]")]
    [InlineData("""{"type": "ReLU", "inplace": true}""", "")]
    [InlineData("""{"type": "GELU"}""", "")]
    [InlineData("""{"type": "SiLU"}""", "")]
    [InlineData("""{"type": "Sigmoid"}""", "")]
    [InlineData("""{"type": "Tanh"}""", "")]
    [InlineData("""{"type": "Identity"}""", "")]
    [InlineData("""{"type": "Dropout", "p": 0.1}""", "")]
    [InlineData("""{"type": "MaxPool2d", "kernel_size": 2, "stride": 2}""", "")]
    [InlineData("""{"type": "AvgPool2d", "kernel_size": [2, 2]}""", "")]
    [InlineData("""{"type": "AdaptiveAvgPool2d", "output_size": 1}""", "")]
    [InlineData("""{"type": "Flatten"}""", "")]
    public void Build_Layer_HasPyTorchParameterNamesAndShapes(string json, string expected) =>
        Assert.Equal(expected, Parameters(Build(json)));

    [Fact]
    public void Build_BatchNorm2d_HasRunningStatBuffers()
    {
        var bn = Build("""{"type": "BatchNorm2d", "num_features": 4, "momentum": 0.01, "eps": 0.001}""");
        Assert.IsType<TorchSharp.Modules.BatchNorm2d>(bn);
        var buffers = bn.named_buffers().ToDictionary(b => b.name, b => b.buffer.shape);
        Assert.Equal(new long[] { 4 }, buffers["running_mean"]);
        Assert.Equal(new long[] { 4 }, buffers["running_var"]);
        Assert.True(buffers.ContainsKey("num_batches_tracked"));
    }

    [Fact]
    public void Build_Conv2dStrideAndPadding_ArePassedThrough()
    {
        var conv = (nn.Module<Tensor, Tensor>)Build("""{"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel_size": 3, "stride": 2, "padding": 1}""");
        using var y = conv.call(zeros(1, 3, 8, 8));
        Assert.Equal(new long[] { 1, 8, 4, 4 }, y.shape);
    }

    [Fact]
    public void Build_TypeName_IsCaseInsensitive() => Assert.IsType<TorchSharp.Modules.Linear>(Build("""{"type": "linear", "in_features": 1, "out_features": 1}"""));

    [Fact]
    public void CreateRegistry_ListsEveryLayerTheSpecNames()
    {
        var names = BuiltinModules.CreateRegistry().Names;
        foreach (var t in new[] { "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Linear",
                     "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm", "LayerNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d",
                     "Embedding", "MultiheadAttention", "ReLU", "GELU", "SiLU", "Sigmoid", "Tanh", "Identity", "Dropout", "MaxPool2d",
                     "AvgPool2d", "AdaptiveAvgPool2d", "Flatten", "Sequential", "ModuleList", "ModuleDict", "Module" })
            Assert.Contains(t, names);
    }

    [Fact]
    public void Build_GroupNorm_HasPyTorchDefaultsOnesAndZeros()
    {
        // TorchSharp 0.107 leaves them as torch.empty: garbage that differed between two seeded builds.
        using var gn = Build("""{"type": "GroupNorm", "num_groups": 2, "num_channels": 64}""");
        var p = gn.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.True(Fixtures.AllEqual(p["weight"], 1));
        Assert.True(Fixtures.AllEqual(p["bias"], 0));
    }
}
