using InitCfg.Core;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>One lock per model, never held across a confirmation; disposed models refused.</summary>
public class ModelLockTests
{
    private static nn.Module Toy() => Net("ToyNet", ("conv", nn.Conv2d(3, 4, 3)), ("fc", nn.Linear(4, 2)));

    [Fact]
    public void Initialize_DisposedModel_IsModelDisposed()
    {
        var model = Toy();
        model.Dispose();
        var e = Assert.Throws<InitCfgException>(() => Init(model, Cfg("type", "Constant", "val", 1, "layer", "Linear")));
        Assert.Equal(ErrorIds.ModelDisposed, e.ErrorId);
    }

    [Fact]
    public void Initialize_ModelWithADisposedTensor_IsModelDisposed()
    {
        var model = Toy();
        var w = Param(model, "fc.weight");
        w.Dispose();
        Assert.True(w.IsInvalid);
        Assert.True(ModelLock.IsDisposed(model));
        Assert.Equal(ErrorIds.ModelDisposed, Assert.Throws<InitCfgException>(() => Init(model, null)).ErrorId);
    }

    [Fact]
    public void Initialize_InitializerUsesItsOwnModel_IsModelBusyAndModelRestored()
    {
        var registry = BuiltinInitializers.CreateRegistry();
        var model = Toy();
        registry.RegisterDelegate("Reenter", Array.Empty<ArgumentSpec>(), (m, w, a, g) =>
        {
            w.Fill(3);
            new InitEngine(registry).Plan(model, new InitOptions());
        });
        var before = ModelFingerprint.Take(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, Cfg("type", "Reenter", "layer", "Linear"), engine: new InitEngine(registry)));
        Assert.Equal(ErrorIds.ModelBusy, e.ErrorId);
        Assert.Equal(before, ModelFingerprint.Take(model));
    }

    [Fact]
    public void Initialize_WhileConfirming_LockIsFreeForOthers()
    {
        var model = Toy();
        bool freeDuringPrompt = false;
        new InitEngine().Initialize(model, new InitOptions { InitCfg = Cfg("type", "Constant", "val", 1, "layer", "Linear") }, _ =>
        {
            var thread = new Thread(() =>
            {
                using var held = ModelLock.TryAcquire(model, TimeSpan.Zero);
                freeDuringPrompt = held is not null;
            });
            thread.Start();
            thread.Join();
            return true;
        });
        Assert.True(freeDuringPrompt);
        Assert.True(AllEqual(Param(model, "fc.weight"), 1));
    }

    [Fact]
    public void Initialize_AnotherRunCommitsDuringTheConfirmation_IsModelBusyAndKeepsTheOtherRun()
    {
        var model = Toy();
        var e = Assert.Throws<InitCfgException>(() => new InitEngine().Initialize(model,
            new InitOptions { InitCfg = Cfg("type", "Constant", "val", 1, "layer", "Linear") }, _ =>
            {
                Task.Run(() => Init(Net("Other"), null)).Wait(); // another model: no conflict
                Task.Run(() => Init(model, Cfg("type", "Constant", "val", 2, "layer", "Linear"), force: true)).Wait();
                return true;
            }));
        Assert.Equal(ErrorIds.ModelBusy, e.ErrorId);
        Assert.True(AllEqual(Param(model, "fc.weight"), 2));
    }

    [Fact]
    public void TryAcquire_HeldByAnotherThread_TimesOut()
    {
        var model = Toy();
        using var held = ModelLock.Acquire(model);
        IDisposable? other = new MemoryStream();
        var thread = new Thread(() => other = ModelLock.TryAcquire(model, TimeSpan.FromMilliseconds(10)));
        thread.Start();
        thread.Join();
        Assert.Null(other);
    }
}
