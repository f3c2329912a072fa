using InitCfg.Core.Configs;
using InitCfg.Core.Errors;
using InitCfg.Core.Initializers;

namespace InitCfg.Core.Tests.Initializers;

public class InitializerRegistryTests
{
    [Fact]
    public void Default_HoldsMmengineAndExtraTypes()
    {
        var names = InitializerRegistry.Default.Names;
        foreach (var t in new[] { "Constant", "Xavier", "Normal", "TruncNormal", "Uniform", "Kaiming", "Caffe2Xavier", "Orthogonal", "Dirac", "Eye" })
            Assert.Contains(t, names);
    }

    [Fact]
    public void Register_TakenName_ThrowsUnlessForced()
    {
        var registry = BuiltinInitializers.CreateRegistry();
        var d = new InitializerDescriptor("normal", "dup", Array.Empty<ArgumentSpec>(), a => new EyeInit(a));
        var e = Assert.Throws<InitCfgException>(() => registry.Register(d));
        Assert.Equal(ErrorIds.DuplicateRegistration, e.ErrorId);
        Assert.Contains("pass force: true to replace it", e.Message);
        registry.Register(d, force: true);
        Assert.Same(d, registry.Get("Normal", ConfigPath.Root("init_cfg")));
    }

    [Fact]
    public void Get_CaseInsensitive_FindsType() =>
        Assert.Equal("Kaiming", InitializerRegistry.Default.Get("kaiming", ConfigPath.Root("init_cfg")).Type);

    [Fact]
    public void Get_Unknown_NamesNearestAndPathOfType()
    {
        var e = Assert.Throws<InitCfgException>(() => InitializerRegistry.Default.Get("Unifrom", ConfigPath.Root("init_cfg").Index(2)));
        Assert.Equal(ErrorIds.UnknownInitializerType, e.ErrorId);
        Assert.Equal("init_cfg[2].type", e.ConfigPath);
        Assert.Contains("Did you mean 'Uniform'?", e.Message);
    }

    [Fact]
    public void Descriptor_CommonArguments_AreBiasBiasProbLayer()
    {
        var d = InitializerRegistry.Default.Get("Constant", ConfigPath.Root("init_cfg"));
        Assert.Equal(new[] { "val", "bias", "bias_prob", "layer" }, d.Arguments.Select(a => a.Name));
        Assert.Equal("(required)", d.Arguments[0].DefaultText);
        Assert.Equal("0", d.Arguments[1].DefaultText);
        Assert.Equal("None", d.Arguments[2].DefaultText);
    }
}
