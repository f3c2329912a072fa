using InitCfg.Core;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

/// <summary>User-registered initializers, including ones that run after the children as Pretrained does.</summary>
public class InitializerDescriptorTests
{
    private sealed class FillInit : InitializerBase
    {
        public FillInit(InitArguments args) : base(args) { }
        protected override void FillWeight(Tensor weight, Generator? generator) => weight.Fill(Arguments.Number("value"));
        public override string Describe() => $"FillInit: value={Show("value")}, {BiasText}";
    }

    private static InitializerRegistry Registry()
    {
        var r = BuiltinInitializers.CreateRegistry();
        var value = new[] { new ArgumentSpec("value", ArgumentKind.Number, 0L, "Fill value.") };
        r.Register(new InitializerDescriptor("LateFill", "Fills after the children.", value, a => new FillInit(a), runsAfterChildren: true));
        r.Register(new InitializerDescriptor("EarlyFill", "Fills before the children.", value, a => new FillInit(a)));
        r.Register(new InitializerDescriptor("BareFill", "No bias arguments.", value, a => new FillInit(a), takesBiasArguments: false));
        return r;
    }

    private static nn.Module HeadWithOwnConfig(out nn.Module fc)
    {
        fc = nn.Linear(2, 2);
        var head = Net("Head", ("fc", fc));
        head.InitCfg = Cfg("type", "Constant", "val", 1, "layer", "Linear");
        return Net("Net", ("head", head));
    }

    [Fact]
    public void Initialize_RunsAfterChildren_WinsOverChildConfigs()
    {
        var model = HeadWithOwnConfig(out var fc);
        Init(model, Cfg("type", "LateFill", "value", 5, "layer", "Linear"), engine: new InitEngine(Registry()));
        Assert.True(AllEqual(Param(fc, "weight"), 5));
        var record = InitReport.For(model)[0];
        Assert.Equal("FillInit: value=5, bias=0", record.InitInfo);
        Assert.Equal("LateFill", record.Initializer);
    }

    [Fact]
    public void Initialize_Ordinary_LosesToChildConfigs()
    {
        var model = HeadWithOwnConfig(out var fc);
        Init(model, Cfg("type", "EarlyFill", "value", 5, "layer", "Linear"), engine: new InitEngine(Registry()));
        Assert.True(AllEqual(Param(fc, "weight"), 1));
    }

    [Fact]
    public void Initialize_RunsAfterChildrenFirstInList_StillRunsAfterOrdinaryConfigs()
    {
        var fc = nn.Linear(2, 2);
        Init(Net("Net", ("fc", fc)), List(Cfg("type", "LateFill", "value", 5, "layer", "Linear"), Cfg("type", "Constant", "val", 2, "layer", "Linear")),
            engine: new InitEngine(Registry()));
        Assert.True(AllEqual(Param(fc, "weight"), 5));
    }

    [Fact]
    public void Initialize_CustomTypeWithDefaultRegistry_IsUnknown() =>
        Assert.Equal(ErrorIds.UnknownInitializerType, Assert.Throws<InitCfgException>(() =>
            Init(nn.Linear(2, 2), Cfg("type", "LateFill", "layer", "Linear"))).ErrorId);

    [Fact]
    public void Descriptor_WithoutBiasArguments_RefusesBias()
    {
        var d = Registry().Get("BareFill", ConfigPath.Root("init_cfg"));
        Assert.DoesNotContain("bias", d.Arguments.Select(a => a.Name));
        Assert.DoesNotContain("bias_prob", d.Arguments.Select(a => a.Name));
        Assert.Equal(ErrorIds.UnknownArgument, Assert.Throws<InitCfgException>(() =>
            Init(nn.Linear(2, 2), Cfg("type", "BareFill", "bias", 1), engine: new InitEngine(Registry()))).ErrorId);
    }
}
