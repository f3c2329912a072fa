using InitCfg.Core.Building;
using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Layers;
using InitCfg.Core.Reports;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Building;

public class ClassModuleFactoryTests
{
    private readonly ModuleRegistry _registry = BuiltinModules.CreateRegistry();

    private nn.Module Build(object config) => new ModelBuilder(_registry).Build(config);

    [Fact]
    public void Describe_ConstructorParameters_BecomeSnakeCaseArguments()
    {
        var d = ClassModuleFactory.CreateDescriptor(typeof(TinyBlock));
        Assert.Equal("TinyBlock", d.Type);
        Assert.Equal(new[] { "in_channels", "out_channels", "scale", "use_bias", "mode", "dims" }, d.Arguments.Select(a => a.Name));
        Assert.Equal(new[] { true, true, false, false, false, false }, d.Arguments.Select(a => a.Required));
        Assert.Equal(new[] { ArgumentKind.Int, ArgumentKind.Int, ArgumentKind.Number, ArgumentKind.Bool, ArgumentKind.Text, ArgumentKind.IntList },
            d.Arguments.Select(a => a.Kind));
        Assert.Equal(0.5, d.Arguments[2].Default);
        Assert.Equal(true, d.Arguments[3].Default);
        Assert.Equal("same", d.Arguments[4].Default);
        Assert.True(d.Arguments[5].Nullable);
        Assert.Equal("User module " + typeof(TinyBlock).FullName + ".", d.Description);
    }

    [Fact]
    public void Build_RegisteredClass_ReceivesConfigValues()
    {
        _registry.RegisterClass(typeof(TinyBlock));
        var m = Assert.IsType<TinyBlock>(Build(Cfg("type", "TinyBlock", "in_channels", 3, "out_channels", 5, "scale", 2, "use_bias", false, "mode", "valid", "dims", List(1, 2))));
        Assert.Equal((3L, 5, 2.0, false, "valid"), (m.InChannels, m.OutChannels, m.Scale, m.UseBias, m.Mode));
        Assert.Equal(new[] { 1, 2 }, m.Dims);
        Assert.Equal(new long[] { 5, 3, 3, 3 }, Param(m, "conv.weight").shape);
    }

    [Fact]
    public void Build_Defaults_AreTheConstructorDefaults()
    {
        _registry.RegisterClass(typeof(TinyBlock));
        var m = Assert.IsType<TinyBlock>(Build(Cfg("type", "TinyBlock", "in_channels", 1, "out_channels", 2)));
        Assert.Equal((0.5, true, "same"), (m.Scale, m.UseBias, m.Mode));
        Assert.Null(m.Dims);
    }

    [Fact]
    public void Build_WrongValueType_IsInvalidArgumentTypeAtItsPath()
    {
        _registry.RegisterClass(typeof(TinyBlock));
        var e = Assert.Throws<InitCfgException>(() => Build(Cfg("type", "TinyBlock", "in_channels", "three", "out_channels", 2)));
        Assert.Contains(e.Problems, p => p.ErrorId == ErrorIds.InvalidArgumentType && p.Path == "model.in_channels");
    }

    [Fact]
    public void Build_CamelCaseKey_MatchesTheSameArgument()
    {
        _registry.RegisterClass(typeof(TinyBlock));
        var m = Assert.IsType<TinyBlock>(Build(Cfg("type", "TinyBlock", "InChannels", 4, "out_channels", 2)));
        Assert.Equal(4, m.InChannels);
    }

    [Fact]
    public void Build_ConstructorThrows_IsInvalidArgumentValueWithItsMessage()
    {
        _registry.RegisterClass(typeof(TinyBlock));
        var e = Assert.Throws<InitCfgException>(() => Build(Cfg("type", "TinyBlock", "in_channels", -1, "out_channels", 2)));
        Assert.Equal(ErrorIds.InvalidArgumentValue, e.ErrorId);
        Assert.Contains("could not be constructed", e.Message);
        Assert.Contains("in_channels must be positive", e.Message);
    }

    [Fact]
    public void Describe_PicksTheLongestUsableConstructor()
    {
        var d = ClassModuleFactory.CreateDescriptor(typeof(TwoCtors));
        Assert.Equal(new[] { "width", "depth" }, d.Arguments.Select(a => a.Name));
    }

    [Fact]
    public void Describe_InitModuleAttribute_NamesTypeAndDescription()
    {
        var d = ClassModuleFactory.CreateDescriptor(typeof(MarkedBlock));
        Assert.Equal("Marked_Block", d.Type);
        Assert.Equal("A block with a registered name.", d.Description);
        Assert.Equal("Renamed", ClassModuleFactory.CreateDescriptor(typeof(MarkedBlock), "Renamed").Type);
    }

    [Theory]
    [InlineData(typeof(string))]
    [InlineData(typeof(AbstractBlock))]
    [InlineData(typeof(ModuleOnlyCtor))]
    public void Describe_UnusableClass_IsInvalidArgumentType(Type cls) =>
        Assert.Equal(ErrorIds.InvalidArgumentType, Assert.Throws<InitCfgException>(() => ClassModuleFactory.CreateDescriptor(cls)).ErrorId);

    [Fact]
    public void RegisterAssembly_RegistersOnlyMarkedClasses()
    {
        var registered = _registry.RegisterAssembly(typeof(MarkedBlock).Assembly);
        Assert.Contains(registered, d => d.Type == "Marked_Block");
        Assert.DoesNotContain(registered, d => d.Type == nameof(TinyBlock));
        Assert.True(_registry.TryGet("marked_block", out _));
    }

    [Fact]
    public void RegisterAssembly_WithoutMarkedClasses_IsUnknownModuleType() =>
        Assert.Equal(ErrorIds.UnknownModuleType,
            Assert.Throws<InitCfgException>(() => _registry.RegisterAssembly(typeof(System.Text.Json.JsonDocument).Assembly)).ErrorId);

    [Fact]
    public void RegisterClass_TakenName_ThrowsUnlessForced()
    {
        Assert.Equal(ErrorIds.DuplicateRegistration,
            Assert.Throws<InitCfgException>(() => _registry.RegisterClass(typeof(TinyBlock), "conv2d")).ErrorId);
        _registry.RegisterClass(typeof(TinyBlock), "Conv2d", force: true);
        Assert.IsType<TinyBlock>(Build(Cfg("type", "Conv2d", "in_channels", 1, "out_channels", 1)));
    }

    [Fact]
    public void Init_UserClass_MatchesByClassAndBaseNameAndCarriesInitCfg()
    {
        _registry.RegisterClass(typeof(TinyBlock));
        var m = Build(Cfg("type", "Module", "modules", Cfg(
            "a", Cfg("type", "TinyBlock", "in_channels", 1, "out_channels", 2, "init_cfg", Cfg("type", "Constant", "val", 3, "layer", "Conv2d")),
            "b", Cfg("type", "TinyBlock", "in_channels", 1, "out_channels", 2))));
        Assert.Contains("TinyBlock", LayerTypeNames.Of(Sub(m, "a")));
        new InitEngine().Initialize(m, new InitOptions { Seed = 0, InitCfg = Cfg("type", "Constant", "val", 1, "layer", "Conv2d") });
        Assert.True(AllEqual(Param(m, "a.conv.weight"), 3));
        Assert.True(AllEqual(Param(m, "b.conv.weight"), 1));
        Assert.Equal("ConstantInit: val=3, bias=0", InitReport.For(m).First(r => r.Name == "a.conv.weight").InitInfo);
    }

    public sealed class TinyBlock : nn.Module
    {
        public TinyBlock(long inChannels, int outChannels, double scale = 0.5, bool useBias = true, string mode = "same", int[]? dims = null) : base(nameof(TinyBlock))
        {
            if (inChannels <= 0) throw new ArgumentException("in_channels must be positive");
            (InChannels, OutChannels, Scale, UseBias, Mode, Dims) = (inChannels, outChannels, scale, useBias, mode, dims);
            conv = nn.Conv2d(inChannels, outChannels, 3, bias: useBias);
            RegisterComponents();
        }

        public long InChannels { get; }
        public int OutChannels { get; }
        public double Scale { get; }
        public bool UseBias { get; }
        public string Mode { get; }
        public int[]? Dims { get; }

        // Registered by RegisterComponents (field name = child name).
        private readonly nn.Module conv;
    }

    public sealed class TwoCtors : nn.Module
    {
        public TwoCtors(long width) : this(width, 1) { }
        public TwoCtors(long width, long depth) : base(nameof(TwoCtors)) { }
        public TwoCtors(long width, long depth, nn.Module extra) : base(nameof(TwoCtors)) { }
    }

    [InitModule("Marked_Block", Description = "A block with a registered name.")]
    public sealed class MarkedBlock : nn.Module
    {
        public MarkedBlock(long width = 4) : base(nameof(MarkedBlock)) => register_module("fc", nn.Linear(width, width));
    }

    public abstract class AbstractBlock : nn.Module
    {
        protected AbstractBlock() : base(nameof(AbstractBlock)) { }
    }

    public sealed class ModuleOnlyCtor : nn.Module
    {
        public ModuleOnlyCtor(nn.Module inner) : base(nameof(ModuleOnlyCtor)) { }
    }
}
