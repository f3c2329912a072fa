using InitCfg.Core.Checkpoints;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public class StateLoaderTests
{
    private static nn.Module Net() => Fixtures.ToyNet("Net");

    private static NamedTensors Checkpoint(params (string Name, Tensor Value)[] items)
    {
        var s = new NamedTensors { Source = "/ckpt/x.pth", Format = CheckpointFormat.PyTorch };
        foreach (var (n, v) in items) s.Add(n, v);
        return s;
    }

    [Fact]
    public void Plan_MixedCheckpoint_SortsKeysIntoLoadedMissingUnexpectedMismatched()
    {
        var net = Net();
        using var ckpt = Checkpoint(
            ("conv.weight", full(4, 3, 3, 3, 2f)),
            ("bn.running_mean", full(4, 7f)),
            ("fc.weight", ones(3, 4)), // model: [2, 4]
            ("head.weight", ones(1)),
            ("conv.bias", full(4, 5f)));

        var plan = StateLoader.Plan(net, ckpt.AsIndex(""), "torchvision://x", null, "");

        Assert.Equal(new[] { "conv.weight", "conv.bias", "bn.running_mean" }, plan.Loaded);
        Assert.Equal(new[] { "bn.weight", "bn.bias", "bn.running_var", "bn.num_batches_tracked", "fc.bias" }, plan.Missing);
        Assert.Equal(new[] { "head.weight" }, plan.Unexpected);
        var m = Assert.Single(plan.ShapeMismatched);
        Assert.Equal("fc.weight", m.Name);
        Assert.Equal(new long[] { 3, 4 }, m.CheckpointShape);
        Assert.Equal(new long[] { 2, 4 }, m.ModelShape);
        Assert.Equal("fc.weight: checkpoint [3, 4] vs model [2, 4]", m.ToString());
        Assert.False(plan.IsComplete);
        Assert.Equal("/ckpt/x.pth", plan.File);
        Assert.Equal("torchvision://x", plan.Checkpoint);
    }

    [Fact]
    public void Plan_ChangesNothing()
    {
        var net = Net();
        var before = Fixtures.Snapshot(net);
        using var ckpt = Checkpoint(("conv.weight", full(4, 3, 3, 3, 2f)));
        StateLoader.Plan(net, ckpt.AsIndex(""), "c", null, "");
        Fixtures.AssertUnchanged(net, before);
    }

    [Fact]
    public void Load_CopiesLoadedKeysOnly_MismatchedLeftAsTheyWere()
    {
        var net = Net();
        var fcBefore = Fixtures.CopyOf(Fixtures.Param(net, "fc.weight"));
        using var ckpt = Checkpoint(
            ("conv.weight", full(4, 3, 3, 3, 2f)),
            ("bn.running_mean", full(4, 7f)),
            ("bn.num_batches_tracked", tensor(11L)),
            ("fc.weight", ones(3, 4)));
        var plan = StateLoader.Plan(net, ckpt.AsIndex(""), "c", null, "");

        var (written, _) = StateLoader.Load(net, ckpt.AsIndex(""), plan);

        Assert.True(Fixtures.AllEqual(Fixtures.Param(net, "conv.weight"), 2));
        Assert.True(Fixtures.Param(net, "fc.weight").Equals(fcBefore));
        var buffers = net.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        Assert.True(Fixtures.AllEqual(buffers["bn.running_mean"], 7));
        Assert.Equal(11L, buffers["bn.num_batches_tracked"].item<long>());
        // Only parameters count as written (buffers are loaded but have no init record).
        Assert.Same(Fixtures.Param(net, "conv.weight"), Assert.Single(written));
    }

    [Fact]
    public void Load_OtherFloatDType_IsConvertedAsPyTorchCopyDoes()
    {
        var net = Net();
        using var ckpt = Checkpoint(("fc.bias", tensor(new[] { 0.5, -1.25 })));
        StateLoader.Load(net, ckpt.AsIndex(""), StateLoader.Plan(net, ckpt.AsIndex(""), "c", null, ""));
        Assert.Equal(new[] { 0.5f, -1.25f }, Fixtures.Values(Fixtures.Param(net, "fc.bias")));
        Assert.Equal(ScalarType.Float32, Fixtures.Param(net, "fc.bias").dtype);
    }

    [Fact]
    public void Plan_EveryKeyFits_IsComplete()
    {
        var lin = nn.Linear(2, 2);
        using var ckpt = Checkpoint(("weight", zeros(2, 2)), ("bias", zeros(2)));
        var plan = StateLoader.Plan(lin, ckpt.AsIndex(""), "c", "backbone.", "backbone");
        Assert.True(plan.IsComplete);
        Assert.Equal("loaded 2 keys from c (prefix 'backbone.')", plan.ToString());
        Assert.Equal("backbone", plan.ModulePath);
    }

    [Fact]
    public void Load_NonFiniteValues_AreListed()
    {
        var lin = nn.Linear(2, 2);
        using var ckpt = Checkpoint(("weight", tensor(new[] { 1f, float.NaN, 0f, 0f }).reshape(2, 2)), ("bias", tensor(new[] { float.PositiveInfinity, 0f })));
        var (_, report) = StateLoader.Load(lin, ckpt.AsIndex(""), StateLoader.Plan(lin, ckpt.AsIndex(""), "c", null, ""));
        Assert.Equal(new[] { "weight", "bias" }, report.NonFinite);
        Assert.Contains("NaN/Inf values in: weight, bias", report.ToString());
    }

    [Fact]
    public void ToString_ListsEveryProblemByName()
    {
        var net = Net();
        using var ckpt = Checkpoint(("fc.weight", ones(3, 4)), ("extra", ones(1)));
        var text = StateLoader.Plan(net, ckpt.AsIndex(""), "ck.pth", null, "").ToString();
        Assert.StartsWith("loaded 0 keys from ck.pth", text);
        Assert.Contains("missing in checkpoint: conv.weight, conv.bias,", text);
        Assert.Contains("unexpected in checkpoint: extra", text);
        Assert.Contains("shape mismatch (skipped): fc.weight: checkpoint [3, 4] vs model [2, 4]", text);
    }
}
