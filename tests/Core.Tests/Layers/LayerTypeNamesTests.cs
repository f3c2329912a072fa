using InitCfg.Core.Layers;
using InitCfg.Core.Modules;
using InitCfg.Core.Walk;
using static InitCfg.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Layers;

public class LayerTypeNamesTests
{
    private sealed class UserBlock : BaseModule
    {
        public UserBlock() : base(nameof(UserBlock)) => RegisterComponents();
    }

    [Fact]
    public void Of_Conv2d_HasClassPrivateBaseAndDotNetBase()
    {
        var names = LayerTypeNames.Of(nn.Conv2d(3, 8, 3));
        Assert.Equal("Conv2d", names[0]);
        Assert.Contains("_ConvNd", names);
        Assert.Contains("Convolution", names);
    }

    [Fact]
    public void Of_BatchNorm2d_HasBatchNormBases()
    {
        var names = LayerTypeNames.Of(nn.BatchNorm2d(4));
        Assert.Equal("BatchNorm2d", names[0]);
        Assert.Contains("_BatchNorm", names);
        Assert.Contains("BatchNorm", names);
    }

    [Fact]
    public void Of_ConvTranspose2d_HasOnlyDirectBasesNotConvNd()
    {
        var names = LayerTypeNames.Of(nn.ConvTranspose2d(3, 8, 3));
        Assert.Contains("ConvTranspose2d", names);
        Assert.Contains("_ConvTransposeNd", names);
        Assert.DoesNotContain("_ConvNd", names);
    }

    [Fact]
    public void Of_Linear_IsLinearAndModule() => Assert.Equal(new[] { "Linear", "Module" }, LayerTypeNames.Of(nn.Linear(2, 2)));

    [Fact]
    public void Of_ConfigModule_UsesItsClassName()
    {
        var m = Net("RetinaHead", ("cls", nn.Linear(2, 2)));
        Assert.Equal("RetinaHead", LayerTypeNames.ClassName(m));
        Assert.Equal("RetinaHead", LayerTypeNames.Of(m)[0]);
        Assert.DoesNotContain("ConfigModule", LayerTypeNames.Of(m));
    }

    [Fact]
    public void Of_Containers_UseMmengineNames()
    {
        Assert.Equal("Sequential", LayerTypeNames.ClassName(new MMEngineSequential(new nn.Module[] { nn.ReLU() })));
        Assert.Equal("ModuleList", LayerTypeNames.ClassName(new MMEngineModuleList(new nn.Module[] { nn.ReLU() })));
    }

    [Fact]
    public void Of_UserClass_IsClassAndDirectBase() =>
        Assert.Equal(new[] { "UserBlock", "BaseModule" }, LayerTypeNames.Of(new UserBlock()));

    [Fact]
    public void ClrName_GenericType_DropsArity() =>
        Assert.Equal("Module", LayerTypeNames.ClrName(typeof(nn.Module<Tensor, Tensor>)));
}
