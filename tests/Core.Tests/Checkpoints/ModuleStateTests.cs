using InitCfg.Core.Checkpoints;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public class ModuleStateTests
{
    [Fact]
    public void Entries_Resnet18_FollowPyTorchStateDictOrder()
    {
        var names = ModuleState.Entries(TorchSharp.torchvision.models.resnet18()).Select(e => e.Name).ToArray();
        // PyTorch 1.13 / torchvision 0.14: len(resnet18().state_dict()) == 122, per module its parameters then its buffers.
        Assert.Equal(122, names.Length);
        Assert.Equal(new[]
        {
            "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
            "layer1.0.conv1.weight", "layer1.0.bn1.weight",
        }, names[..8]);
        Assert.Equal(new[] { "layer4.1.bn2.running_var", "layer4.1.bn2.num_batches_tracked", "fc.weight", "fc.bias" }, names[^4..]);
        Assert.Contains("layer2.0.downsample.1.running_mean", names);
    }

    [Fact]
    public void Entries_DifferFromTorchSharpStateDictOrder_ButHoldTheSameKeys()
    {
        var model = nn.Sequential(("conv", nn.Conv2d(1, 2, 1)), ("bn", nn.BatchNorm2d(2)), ("fc", nn.Linear(2, 2)));
        var ours = ModuleState.Entries(model).Select(e => e.Name).ToArray();
        Assert.Equal(new[]
        {
            "conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
            "fc.weight", "fc.bias",
        }, ours);
        Assert.Equal(model.state_dict().Keys.OrderBy(k => k), ours.OrderBy(k => k));
    }

    [Fact]
    public void Entries_MarkParametersAndBuffers_AndAreTheLiveTensors()
    {
        var bn = nn.BatchNorm1d(3);
        var entries = ModuleState.Entries(bn);
        Assert.Equal(new[] { true, true, false, false, false }, entries.Select(e => e.IsParameter));
        Assert.Same(bn.named_parameters().First().parameter, entries[0].Tensor);
    }

    [Fact]
    public void Entries_NonPersistentBuffer_IsLeftOut()
    {
        var m = new WithBuffers();
        Assert.Equal(new[] { "w", "kept" }, ModuleState.Entries(m).Select(e => e.Name));
    }

    [Fact]
    public void Entries_ParameterlessChildren_AddNothing()
    {
        var model = nn.Sequential(("relu", nn.ReLU()), ("fc", nn.Linear(1, 1)), ("flatten", nn.Flatten()));
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, ModuleState.Entries(model).Select(e => e.Name));
    }

    [Fact]
    public void Entries_SharedModule_ListedUnderEachName()
    {
        var lin = nn.Linear(2, 2);
        var model = Fixtures.Net("Net", ("a", lin), ("b", lin));
        Assert.Equal(new[] { "a.weight", "a.bias", "b.weight", "b.bias" }, ModuleState.Entries(model).Select(e => e.Name));
    }

    [Fact]
    public void ForExport_GivesNameTensorPairsInEntryOrder()
    {
        var bn = nn.BatchNorm1d(2);
        var export = ModuleState.ForExport(bn);
        Assert.Equal(ModuleState.Entries(bn).Select(e => e.Name), export.Select(p => p.Key));
    }

    private sealed class WithBuffers : nn.Module
    {
        public WithBuffers() : base(nameof(WithBuffers))
        {
            register_parameter("w", nn.Parameter(ones(1)));
            register_buffer("kept", zeros(1));
            register_buffer("scratch", zeros(1), persistent: false);
        }
    }

    // The model is built and dropped inside a method the JIT cannot inline, so only the entries can keep it alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IReadOnlyList<ModuleState.Entry> EntriesOfADroppedModel() =>
        ModuleState.Entries(nn.Sequential(("conv", nn.Conv2d(3, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("gn", nn.GroupNorm(2, 4)), ("ln", nn.LayerNorm(4))));

    [Fact]
    public void Entries_ModelDroppedAndCollected_TensorsStayValid()
    {
        // TorchSharp 0.107's norm layers dispose their tensors from their finalizer: an entry must keep its owner.
        var entries = EntriesOfADroppedModel();
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.All(entries, e => Assert.False(e.Tensor.IsInvalid, $"{e.Name} was freed with its module"));
        Assert.All(entries, e => Assert.NotNull(e.Owner));
        using var _ = no_grad();
        foreach (var e in entries) e.Tensor.sum().Dispose();
    }
}
