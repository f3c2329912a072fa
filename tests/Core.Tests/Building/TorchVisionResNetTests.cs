using InitCfg.Core.Building;
using InitCfg.Core.Checkpoints;
using InitCfg.Core.Layers;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Building;

// The builtin resnetN types skip the constructors' overwritten draws; from the same generator state they must give
// exactly TorchSharp's TorchVision model: children, class names, every tensor's bits, the generator state after,
// and the forward.
[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class TorchVisionResNetTests
{
    private static (nn.Module Ours, byte[] OursState, nn.Module Theirs, byte[] TheirsState) BuildBoth(int depth, int classes, bool zeroInit) =>
        GlobalGenerator.Use(() =>
        {
            random.manual_seed(7 + depth);
            var ours = new ModelBuilder().Build(Cfg("type", $"resnet{depth}", "num_classes", classes, "zero_init_residual", zeroInit));
            using var a = get_rng_state();
            var oursState = a.bytes.ToArray();
            random.manual_seed(7 + depth);
            nn.Module theirs = depth switch
            {
                18 => TorchSharp.torchvision.models.resnet18(classes, zeroInit),
                34 => TorchSharp.torchvision.models.resnet34(classes, zeroInit),
                50 => TorchSharp.torchvision.models.resnet50(classes, zeroInit),
                101 => TorchSharp.torchvision.models.resnet101(classes, zeroInit),
                _ => TorchSharp.torchvision.models.resnet152(classes, zeroInit),
            };
            using var b = get_rng_state();
            return (ours, oursState, theirs, b.bytes.ToArray());
        });

    [Theory]
    [InlineData(18, 1000, false)]
    [InlineData(18, 10, true)]
    [InlineData(34, 7, false)]
    [InlineData(50, 1000, true)]
    [InlineData(152, 1000, false)]
    public void Build_ResNet_EqualsTorchSharpsTorchVisionBitForBit(int depth, int classes, bool zeroInit)
    {
        var (ours, oursState, theirs, theirsState) = BuildBoth(depth, classes, zeroInit);
        Assert.NotEqual(theirs.GetType(), ours.GetType()); // the fast path ran
        var a = ours.named_modules().Prepend(("", ours)).ToArray();
        var b = theirs.named_modules().Prepend(("", theirs)).ToArray();
        Assert.Equal(b.Select(m => m.Item1), a.Select(m => m.Item1));
        foreach (var (x, y) in a.Zip(b))
            Assert.Equal(LayerTypeNames.Of(y.Item2), LayerTypeNames.Of(x.Item2));
        var sa = ModuleState.Entries(ours);
        var sb = ModuleState.Entries(theirs);
        Assert.Equal(sb.Select(e => e.Name), sa.Select(e => e.Name));
        foreach (var (x, y) in sa.Zip(sb))
        {
            Assert.Equal(y.Tensor.dtype, x.Tensor.dtype);
            Assert.Equal(y.Tensor.shape, x.Tensor.shape);
            Assert.Equal(y.Tensor.requires_grad, x.Tensor.requires_grad);
            Assert.Equal(y.IsParameter, x.IsParameter);
            Assert.True(y.Tensor.bytes.SequenceEqual(x.Tensor.bytes), $"{x.Name} differs");
        }
        Assert.Equal(theirsState, oursState);
    }

    [Fact]
    public void Forward_ResNet18_GivesTorchSharpsOutput()
    {
        var (ours, _, theirs, _) = BuildBoth(18, 10, false);
        ours.eval();
        theirs.eval();
        using var input = GlobalGenerator.Use(() => { random.manual_seed(3); return randn(2, 3, 64, 64); });
        using var _ = no_grad();
        using var x = ((nn.Module<Tensor, Tensor>)ours).call(input);
        using var y = ((nn.Module<Tensor, Tensor>)theirs).call(input);
        Assert.True(x.bytes.SequenceEqual(y.bytes));
    }
}
