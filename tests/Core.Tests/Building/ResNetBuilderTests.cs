using InitCfg.Core.Building;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Building;

public class ResNetBuilderTests
{
    private static nn.Module Build(params object?[] keysAndValues) => new ModelBuilder().Build(Cfg(keysAndValues));

    private static ParameterInitRecord Rec(nn.Module model, string name) => InitReport.For(model).First(r => r.Name == name);

    [Fact]
    public void Build_Depth50_HasTorchvisionNamesAndShapesExceptFc()
    {
        var ours = ModuleState.Entries(Build("type", "ResNet", "depth", 50)).ToDictionary(e => e.Name, e => e.Tensor.shape);
        var torchvision = ModuleState.Entries(TorchSharp.torchvision.models.resnet50())
            .Where(e => !e.Name.StartsWith("fc.", StringComparison.Ordinal)).ToArray();

        Assert.Equal(torchvision.Select(e => e.Name), ours.Keys);
        foreach (var e in torchvision) Assert.Equal(e.Tensor.shape, ours[e.Name]);
        Assert.Equal(318, ours.Count); // torchvision resnet50 state_dict: 320 keys, fc.weight and fc.bias left out
        Assert.Contains("layer3.5.bn3.running_var", ours.Keys);
        Assert.Contains("layer4.0.downsample.0.weight", ours.Keys);
    }

    [Fact]
    public void Build_Depth18_UsesBasicBlocks()
    {
        var m = Build("type", "ResNet", "depth", 18);
        var names = m.named_parameters().Select(p => p.name).ToArray();
        Assert.Contains("layer1.1.conv2.weight", names);
        Assert.DoesNotContain(names, n => n.Contains("conv3"));
        Assert.Equal("BasicBlock", LayerTypeNames.ClassName(Sub(m, "layer2.0")));
        Assert.Equal("ResNet", LayerTypeNames.ClassName(m));
    }

    [Fact]
    public void Init_NoInitCfg_UsesMmdetectionDefaultsWithZeroedLastNorm()
    {
        var m = Build("type", "ResNet", "depth", 50);
        new InitEngine().Initialize(m, new InitOptions { Seed = 0 });

        Assert.Equal("KaimingInit: a=0, mode=fan_out, nonlinearity=relu, distribution =normal, bias=0", Rec(m, "conv1.weight").InitInfo);
        Assert.Equal("Kaiming", Rec(m, "layer4.2.conv2.weight").Initializer);
        Assert.Equal("ConstantInit: val=1, bias=0", Rec(m, "bn1.weight").InitInfo);
        Assert.True(AllEqual(Param(m, "layer1.0.bn1.weight"), 1));
        Assert.True(AllEqual(Param(m, "layer1.0.downsample.1.weight"), 1));
        foreach (var block in new[] { "layer1.0", "layer2.3", "layer3.5", "layer4.2" })
        {
            Assert.True(AllEqual(Param(m, block + ".bn3.weight"), 0), block);
            Assert.Equal("ConstantInit: val=0, bias=0", Rec(m, block + ".bn3.weight").InitInfo);
        }
        // Kaiming fan_out, relu: std = sqrt(2 / (64 * 7 * 7)).
        AssertWithin(Math.Sqrt(2.0 / (64 * 49)), Moments(Param(m, "conv1.weight")).Std, 0.05);
    }

    [Fact]
    public void Init_Depth18_ZeroesBn2OfEachBlock()
    {
        var m = Build("type", "ResNet", "depth", 18);
        new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        Assert.True(AllEqual(Param(m, "layer3.1.bn2.weight"), 0));
        Assert.True(AllEqual(Param(m, "layer3.1.bn1.weight"), 1));
    }

    [Fact]
    public void Init_ZeroInitResidualFalse_LeavesLastNormAtOne()
    {
        var m = Build("type", "ResNet", "depth", 50, "zero_init_residual", false);
        new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        Assert.True(AllEqual(Param(m, "layer1.0.bn3.weight"), 1));
        Assert.Equal("ConstantInit: val=1, bias=0", Rec(m, "layer1.0.bn3.weight").InitInfo);
    }

    [Fact]
    public void Build_OwnInitCfg_ReplacesTheDefaultsEntirely()
    {
        var m = Build("type", "ResNet", "depth", 18, "init_cfg", Cfg("type", "Constant", "val", 2, "layer", "_BatchNorm"));
        new InitEngine().Initialize(m, new InitOptions { Seed = 0 });
        Assert.True(AllEqual(Param(m, "layer1.0.bn2.weight"), 2));
        Assert.False(Rec(m, "conv1.weight").Written);
    }

    [Fact]
    public void Build_Options_ShapeTheNetwork()
    {
        var m = Build("type", "ResNet", "depth", 50, "in_channels", 1, "base_channels", 32, "num_stages", 2,
            "out_indices", List(0, 1), "frozen_stages", 1, "norm_eval", true, "norm_cfg", Cfg("type", "BN", "requires_grad", true));
        Assert.Equal(new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2" }, m.named_children().Select(c => c.name));
        Assert.Equal(new long[] { 32, 1, 7, 7 }, Param(m, "conv1.weight").shape);
        Assert.Equal(new long[] { 256, 64, 1, 1 }, Param(m, "layer2.0.conv3.weight").shape);
    }

    [Theory]
    [InlineData("depth", 20L)]
    [InlineData("num_stages", 5L)]
    [InlineData("style", "tf")]
    public void Build_BadValue_IsInvalidArgumentValueAtItsPath(string key, object value)
    {
        var cfg = key == "depth" ? Cfg("type", "ResNet", "depth", value) : Cfg("type", "ResNet", "depth", 18, key, value);
        var e = Assert.Throws<InitCfgException>(() => new ModelBuilder().Build(cfg));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Contains(e.Problems, p => p.Path == "model." + key);
    }

    [Fact]
    public void Build_NoDepth_IsMissingArgument() =>
        Assert.Equal(ErrorIds.MissingArgument, Assert.Throws<InitCfgException>(() => Build("type", "ResNet")).ErrorId);

    [Fact]
    public void Build_TorchvisionResnet18_HasTorchvisionStateDictKeys()
    {
        var m = Build("type", "resnet18", "num_classes", 10);
        var entries = ModuleState.Entries(m);
        Assert.Equal(122, entries.Count);
        Assert.Equal(new long[] { 10, 512 }, entries.First(e => e.Name == "fc.weight").Tensor.shape);
        Assert.Equal(62, m.parameters().Count());
    }

    // SHA-256 of "name:[shape]" lines of PyTorch 1.13 / torchvision 0.14 state_dict(), in order (for ResNet: without fc.*):
    // '\n'.join(f'{k}:{list(v.shape)}' for k, v in torchvision.models.resnetN().state_dict().items()).
    [Theory]
    [InlineData("resnet18", 0L, 122, "bad4e2ca4e1bc472c614a52b121e2f7f5fe529465716af1bf2cd37bdf8bebfe8")]
    [InlineData("resnet34", 0L, 218, "70886b6aca71bbbbbcf966c32ff556ccca8c089f90329ca9bbd4205826f5893c")]
    [InlineData("resnet101", 0L, 626, "509d2f55c48305ec31346df5f821411db3ed0389cc10f06c3872c729d29644f5")]
    [InlineData("ResNet", 18L, 120, "f4809133729f4890d3bcc7139bd4dd5a2d329d02fd1a13c2ce9989a1dfb942f6")]
    [InlineData("ResNet", 50L, 318, "b50891d62b3e1c4889b6120c13cba8872d1efcd3eca045108cdc5344c02bf4b5")]
    [InlineData("ResNet", 152L, 930, "b134eae31decf8ec354ad419361409a94201b2fb3ce501c8b05e383250fbfb60")]
    public void Build_StateKeysAndShapes_MatchPyTorchTorchvision(string type, long depth, int count, string sha256)
    {
        var m = depth == 0 ? Build("type", type) : Build("type", type, "depth", depth);
        var entries = ModuleState.Entries(m);
        var text = string.Join("\n", entries.Select(e => $"{e.Name}:[{string.Join(", ", e.Tensor.shape)}]"));
        Assert.Equal(count, entries.Count);
        Assert.Equal(sha256, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant());
        m.Dispose();
    }
}
