using InitCfg.Core;
using InitCfg.Core.Initializers;
using InitCfg.Core.Modules;
using InitCfg.Core.Errors;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using TorchSharp.Modules;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Walk;

/// <summary>User classes that define their own InitWeights, as a user-defined init_weights in MMEngine.</summary>
public class BaseModuleTests
{
    private sealed class UserBlock : BaseModule
    {
        public readonly Linear fc;
        public readonly Conv1d conv;
        private readonly Action<UserBlock, InitContext> _init;

        public UserBlock(Action<UserBlock, InitContext> init) : base(nameof(UserBlock))
        {
            fc = nn.Linear(2, 2);
            conv = nn.Conv1d(2, 2, 1);
            _init = init;
            RegisterComponents();
        }

        public override void InitWeights(InitContext context) => _init(this, context);
    }

    private static void Fill(Tensor t, double v)
    {
        using (no_grad()) t.Fill(v);
    }

    [Fact]
    public void InitWeights_Override_ReplacesDefaultAndIsReportedAsUserDefined()
    {
        var block = new UserBlock((b, _) => Fill(b.fc.weight!, 7));
        block.InitCfg = Cfg("type", "Constant", "val", 3, "layer", "Linear");
        var model = Net("Net", ("block", block));
        var bias = Fixtures.CopyOf(block.fc.bias!);
        Init(model, null);
        Assert.True(AllEqual(block.fc.weight!, 7));
        Assert.True(block.fc.bias!.Equals(bias));
        var r = InitReport.For(model).ToDictionary(x => x.Name);
        Assert.Equal("Initialized by user-defined `init_weights` in UserBlock ", r["block.fc.weight"].InitInfo);
        Assert.True(r["block.fc.weight"].Written);
        Assert.Equal("block", r["block.fc.weight"].ModulePath);
        Assert.Equal("The value is the same before and after calling `init_weights` of Net ", r["block.fc.bias"].InitInfo);
        Assert.True(block.IsInit);
    }

    [Fact]
    public void InitWeights_CallingInitializeDefault_RunsItsConfigToo()
    {
        var block = new UserBlock((b, ctx) => { ctx.InitializeDefault(b); Fill(b.conv.weight!, 7); });
        block.InitCfg = Cfg("type", "Constant", "val", 3, "bias", 1, "layer", "Linear");
        Init(block, null);
        Assert.True(AllEqual(block.fc.weight!, 3) && AllEqual(block.fc.bias!, 1));
        var r = InitReport.For(block).ToDictionary(x => x.Name);
        Assert.Equal("ConstantInit: val=3, bias=1", r["fc.weight"].InitInfo);
        Assert.Equal("Initialized by user-defined `init_weights` in UserBlock ", r["conv.weight"].InitInfo);
        Assert.Equal("The value is the same before and after calling `init_weights` of UserBlock ", r["conv.bias"].InitInfo);
    }

    [Fact]
    public void InitWeights_ParentConfig_RunsBeforeAndUserWritesWin()
    {
        var block = new UserBlock((b, _) => Fill(b.fc.weight!, 7));
        var model = Net("Net", ("block", block));
        Init(model, Cfg("type", "Constant", "val", 1, "bias", 2, "layer", "Linear"));
        Assert.True(AllEqual(block.fc.weight!, 7));
        Assert.True(AllEqual(block.fc.bias!, 2));
        var r = InitReport.For(model).ToDictionary(x => x.Name);
        Assert.Equal("Initialized by user-defined `init_weights` in UserBlock ", r["block.fc.weight"].InitInfo);
        Assert.Equal("ConstantInit: val=1, bias=2", r["block.fc.bias"].InitInfo);
    }

    // MMEngine relabels after a child's init_weights returns (update_init_info), so a value the user method wrote
    // last is "user-defined"; a record names the last writer. The engine keeps the label of the initializer it overwrote.
    [Fact]
    public void InitWeights_OverwritingAfterInitializeDefault_IsReportedAsUserDefined()
    {
        var block = new UserBlock((b, ctx) => { ctx.InitializeDefault(b); Fill(b.fc.bias!, 9); });
        block.InitCfg = Cfg("type", "Constant", "val", 3, "bias", 1, "layer", "Linear");
        var model = Net("Net", ("block", block));
        Init(model, null);
        Assert.True(AllEqual(block.fc.bias!, 9));
        var r = InitReport.For(model).ToDictionary(x => x.Name);
        Assert.Equal("ConstantInit: val=3, bias=1", r["block.fc.weight"].InitInfo);
        Assert.Equal("Initialized by user-defined `init_weights` in UserBlock ", r["block.fc.bias"].InitInfo);
    }

    [Fact]
    public void InitWeights_Throws_IsWrappedAsUserInitFailed()
    {
        var block = new UserBlock((_, _) => throw new InvalidOperationException("boom"));
        var e = Assert.Throws<InitCfgException>(() => Init(Net("Net", ("block", block)), null));
        Assert.Equal(ErrorIds.UserInitFailed, e.ErrorId);
        Assert.Equal("block", e.ConfigPath);
        Assert.Contains("boom", e.Message);
    }

    [Fact]
    public void InitWeights_BadConfigOnUserModule_IsRefusedBeforeItRuns()
    {
        bool ran = false;
        var block = new UserBlock((b, ctx) => { ran = true; ctx.InitializeDefault(b); });
        block.InitCfg = Cfg("type", "Constant", "layer", "Linear");
        Assert.Equal(ErrorIds.MissingArgument, Assert.Throws<InitCfgException>(() => Init(Net("Net", ("block", block)), null)).ErrorId);
        Assert.False(ran);
    }

    [Fact]
    public void InitCfg_Property_AcceptsConfigObjectsAndReadsBackAsTree()
    {
        var block = new UserBlock((_, _) => { });
        block.InitCfg = new[] { Parse("type", "Kaiming", "layer", "Conv1d") };
        Assert.Equal("dict(type='Kaiming', layer='Conv1d')", Assert.Single(Fixtures.AttachedConfigs(block)).ToString());
        Assert.False(block.IsInit);
    }
}
