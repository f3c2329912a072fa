using InitCfg.Core.Checkpoints;
using InitCfg.Core.Initializers;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

/// <summary>
/// A flat-parameter checkpoint (every tensor a view into one storage) leaves no tensor behind per view: each view's
/// wrapper is disposed once copied out (a <c>view.contiguous()</c> left to the finalizer held native memory for as
/// long as the garbage collector let it). Counted with TorchSharp's process-wide live-tensor count, with no garbage
/// collection during the load, so these tests run alone.
/// </summary>
[Collection(Tests.MMDet.DefaultGeneratorCollection.Name)]
public sealed class ViewLoadTensorCountTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    // Layers 0..n-1, each a Linear(4, 4): weight and bias are views at their offsets in one storage, each weight
    // transposed (so no view is a whole contiguous record).
    private string FlatCheckpoint(int layers)
    {
        var tensors = Enumerable.Range(0, layers).SelectMany(i => new[]
        {
            ($"{i}.weight", "0", 20L * layers, 20L * i, new long[] { 4, 4 }, new long[] { 1, 4 }),
            ($"{i}.bias", "0", 20L * layers, 20L * i + 16, new long[] { 4 }, new long[] { 1 }),
        }).ToArray();
        var pickle = new PickleBytes().NamedTensors(tensors).ToArray();
        var values = Enumerable.Range(0, 20 * layers).Select(i => (float)i).ToArray();
        return TorchSaveSamples.WriteTo(_dir.Path, $"flat{layers}.pth", PickleBytes.Zip(pickle, ("0", PickleBytes.Floats(values))));
    }

    // Live tensors the load leaves behind beyond the model's own.
    private long LeftBehind(int layers)
    {
        var file = FlatCheckpoint(layers);
        var model = nn.Sequential(Enumerable.Range(0, layers).Select(i => ($"{i}", (nn.Module<Tensor, Tensor>)nn.Linear(4, 4))).ToArray());
        var options = new InitOptions { InitCfg = List(Cfg("type", "Pretrained", "checkpoint", file)), Seed = 0, Strict = true };
        // Finalizers also lower the count: earlier garbage is finalized first, and no collection may run during the
        // load (one would finalize a leaked wrapper and hide it).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(GC.TryStartNoGCRegion(128L << 20), "no-GC region refused");
        long before = Tensor.TotalCount, after;
        try
        {
            new InitEngine().Initialize(model, options);
            after = Tensor.TotalCount;
        }
        finally
        {
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
        Assert.Equal(new[] { 20f * (layers - 1) + 16, 20f * (layers - 1) + 17, 20f * (layers - 1) + 18, 20f * (layers - 1) + 19 },
            Values(Param(model, $"{layers - 1}.bias")));
        Assert.Equal(20f * (layers - 1) + 4, Values(Param(model, $"{layers - 1}.weight"))[1]);
        GC.KeepAlive(model);
        return after - before;
    }

    [Fact]
    public void Init_FlatCheckpoint_LeavesNoTensorBehindPerView()
    {
        LeftBehind(2); // the first load in this process makes what every load then reuses
        long few = LeftBehind(4), many = LeftBehind(48);
        Assert.True(many == few, $"a load of 8 views left {few} tensors behind, one of 96 views {many}: a tensor per view leaks");
    }
}
