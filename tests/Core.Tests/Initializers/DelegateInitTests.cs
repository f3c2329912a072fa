using InitCfg.Core;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Initializers;

public class DelegateInitTests
{
    private readonly InitializerRegistry _registry = BuiltinInitializers.CreateRegistry();


    private static readonly ArgumentSpec[] ScaleArgs = { new("scale", ArgumentKind.Number, 2.0, "Fill value.") };

    private static void FillScale(nn.Module module, Tensor weight, InitArguments args, Generator? generator) => weight.Fill(args.Number("scale"));

    private InitResult Init(nn.Module model, object cfg, long seed = 0) =>
        new InitEngine(_registry).Initialize(model, new InitOptions { InitCfg = cfg, Seed = seed });

    [Fact]
    public void RegisterDelegate_FillsMatchedWeights_AndTheEngineFillsBias()
    {
        _registry.RegisterDelegate("Scaled", ScaleArgs, FillScale);
        var model = ToyNet();
        Init(model, Cfg("type", "Scaled", "scale", 4, "bias", 0.5, "layer", "Conv2d"));
        Assert.True(AllEqual(Param(model, "conv.weight"), 4));
        Assert.True(AllEqual(Param(model, "conv.bias"), 0.5));
        Assert.False(AllEqual(Param(model, "fc.weight"), 4));
    }

    [Fact]
    public void RegisterDelegate_Defaults_ComeFromTheSpecs()
    {
        _registry.RegisterDelegate("Scaled", ScaleArgs, FillScale);
        var model = ToyNet();
        Init(model, Cfg("type", "Scaled", "layer", "Linear"));
        Assert.True(AllEqual(Param(model, "fc.weight"), 2));
        Assert.True(AllEqual(Param(model, "fc.bias"), 0));
    }

    [Fact]
    public void Describe_ListsOwnArgumentsThenBias()
    {
        _registry.RegisterDelegate("Scaled", ScaleArgs, FillScale);
        var model = ToyNet();
        Init(model, Cfg("type", "Scaled", "scale", 3, "layer", "Linear", "bias_prob", 0.01));
        var r = InitReport.For(model).First(x => x.Name == "fc.weight");
        Assert.Equal("ScaledInit: scale=3, bias=-4.59511985013459", r.InitInfo);
        Assert.Equal("Scaled", r.Initializer);
    }

    [Fact]
    public void RegisterDelegate_WorksInOverrides()
    {
        _registry.RegisterDelegate("Scaled", ScaleArgs, FillScale);
        var model = ToyNet();
        Init(model, Cfg("type", "Constant", "val", 1, "layer", "Conv2d", "override", Cfg("name", "bn", "type", "Scaled", "scale", 6)));
        Assert.True(AllEqual(Param(model, "bn.weight"), 6));
        Assert.True(AllEqual(Param(model, "conv.weight"), 1));
    }

    [Fact]
    public void RegisterDelegate_ReceivesTheModuleAndASeededGenerator()
    {
        var seen = new List<string>();
        _registry.RegisterDelegate("Noise", Array.Empty<ArgumentSpec>(), (m, w, a, g) =>
        {
            seen.Add(m.GetType().Name);
            Assert.NotNull(g);
            w.normal_(0, 1, g);
        });
        var a = ToyNet();
        var b = ToyNet();
        Init(a, Cfg("type", "Noise", "layer", List("Conv2d", "Linear")), seed: 11);
        Init(b, Cfg("type", "Noise", "layer", List("Conv2d", "Linear")), seed: 11);
        Assert.Equal(new[] { "Conv2d", "Linear", "Conv2d", "Linear" }, seen);
        Assert.True(Param(a, "fc.weight").Equals(Param(b, "fc.weight")));
        Assert.True(Param(a, "conv.weight").Equals(Param(b, "conv.weight")));
    }

    [Fact]
    public void RegisterDelegate_FillThrows_IsUserInitFailedNamingTheModule()
    {
        _registry.RegisterDelegate("Broken", Array.Empty<ArgumentSpec>(), (m, w, a, g) => throw new InvalidOperationException("boom"));
        var e = Assert.Throws<InitCfgException>(() => Init(ToyNet(), Cfg("type", "Broken", "layer", "Linear")));
        Assert.Equal(ErrorIds.UserInitFailed, e.ErrorId);
        Assert.Contains("Broken", e.Message);
        Assert.Contains("fc", e.Message);
        Assert.Contains("boom", e.Message);
    }

    [Fact]
    public void RegisterDelegate_RequiredArgumentLeftOut_IsMissingArgumentBeforeAnyChange()
    {
        _registry.RegisterDelegate("NeedsK", new[] { new ArgumentSpec("k", ArgumentKind.Number, null, "k", Required: true) }, FillScale);
        var model = ToyNet();
        var before = Snapshot(model);
        var e = Assert.Throws<InitCfgException>(() => Init(model, List(Cfg("type", "Constant", "val", 1, "layer", "Linear"), Cfg("type", "NeedsK", "layer", "Linear"))));
        Assert.Equal(ErrorIds.MissingArgument, e.ErrorId);
        AssertUnchanged(model, before);
    }

    [Fact]
    public void RegisterDelegate_UnknownArgument_NamesTheNearest()
    {
        _registry.RegisterDelegate("Scaled", ScaleArgs, FillScale);
        var e = Assert.Throws<InitCfgException>(() => Init(ToyNet(), Cfg("type", "Scaled", "scael", 1, "layer", "Linear")));
        Assert.Equal(ErrorIds.UnknownArgument, e.ErrorId);
        Assert.Contains("'scale'", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("my-init")]
    [InlineData("a b")]
    public void RegisterDelegate_BadName_IsInvalid(string name) =>
        Assert.Equal(ErrorIds.InvalidArgumentValue,
            Assert.Throws<InitCfgException>(() => _registry.RegisterDelegate(name, ScaleArgs, FillScale)).ErrorId);

    [Fact]
    public void RegisterDelegate_TakenName_ThrowsUnlessForced()
    {
        Assert.Equal(ErrorIds.DuplicateRegistration,
            Assert.Throws<InitCfgException>(() => _registry.RegisterDelegate("kaiming", ScaleArgs, FillScale)).ErrorId);
        _registry.RegisterDelegate("Kaiming", ScaleArgs, FillScale, force: true);
        var model = ToyNet();
        Init(model, Cfg("type", "Kaiming", "layer", "Linear"));
        Assert.True(AllEqual(Param(model, "fc.weight"), 2));
    }

    [Fact]
    public void RegisterDelegate_Description_DefaultsToUserInitializer() =>
        Assert.Equal("User initializer Scaled.", _registry.RegisterDelegate("Scaled", ScaleArgs, FillScale).Description);

    [Fact]
    public void RegisterClass_AttributeNamesTypeAndArguments()
    {
        var d = _registry.RegisterClass(typeof(HalvingInit));
        Assert.Equal("Halving", d.Type);
        Assert.Equal("Sets every weight to value / 2.", d.Description);
        var value = d.Arguments.First(a => a.Name == "value");
        Assert.Equal(ArgumentKind.Number, value.Kind);
        Assert.Equal(8.0, value.Default);

        var model = ToyNet();
        Init(model, Cfg("type", "Halving", "layer", "Linear", "bias", 1));
        Assert.True(AllEqual(Param(model, "fc.weight"), 4));
        Assert.True(AllEqual(Param(model, "fc.bias"), 1));
        Assert.Equal("HalvingInit: value=8.0, bias=1", InitReport.For(model).First(x => x.Name == "fc.weight").InitInfo);
    }

    [Fact]
    public void RegisterClass_WithoutAttribute_NameIsClassNameWithoutInit() =>
        Assert.Equal("Plain", _registry.RegisterClass(typeof(PlainInit)).Type);

    [Fact]
    public void RegisterClass_ExplicitName_Wins() =>
        Assert.Equal("Other", _registry.RegisterClass(typeof(PlainInit), "Other").Type);

    [Theory]
    [InlineData(typeof(string))]
    [InlineData(typeof(InitializerBase))]
    [InlineData(typeof(NoArgsCtorInit))]
    public void RegisterClass_NotAnUsableInitializer_IsInvalidArgumentType(Type cls) =>
        Assert.Equal(ErrorIds.InvalidArgumentType, Assert.Throws<InitCfgException>(() => _registry.RegisterClass(cls)).ErrorId);

    [Initializer("Halving", Description = "Sets every weight to value / 2.")]
    [InitArgument("value", ArgumentKind.Number, Default = 8.0f)]
    public sealed class HalvingInit : InitializerBase
    {
        public HalvingInit(InitArguments args) : base(args) { }

        public override string Describe() => $"{Type}Init: value={Show("value")}, {BiasText}";

        protected override void FillWeight(Tensor weight, Generator? generator) => weight.Fill(Arguments.Number("value") / 2);
    }

    public sealed class PlainInit : InitializerBase
    {
        public PlainInit(InitArguments args) : base(args) { }

        public override string Describe() => "PlainInit";

        protected override void FillWeight(Tensor weight, Generator? generator) => weight.zero_();
    }

    public sealed class NoArgsCtorInit : InitializerBase
    {
        public NoArgsCtorInit() : base(null!) { }

        public override string Describe() => "";

        protected override void FillWeight(Tensor weight, Generator? generator) { }
    }
}
