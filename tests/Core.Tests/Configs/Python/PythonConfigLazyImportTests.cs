using InitCfg.Core.Initializers;
using InitCfg.Core.Building;
using InitCfg.Core.Configs;

namespace InitCfg.Core.Tests.Configs.Python;

public class PythonConfigLazyImportTests
{
    private static PyConfigFiles Tree() => new(
        ("mmdet/configs/_base_/models/retinanet.py", """
            from mmdet.models import RetinaNet, ResNet
            from mmengine.model.weight_init import PretrainedInit
            model = dict(type=RetinaNet, backbone=dict(type=ResNet, depth=50,
                init_cfg=dict(type=PretrainedInit, checkpoint='torchvision://resnet50')))
            """),
        ("mmdet/configs/retinanet/retinanet_r101.py", """
            from mmengine.config import read_base

            with read_base():
                from .._base_.models.retinanet import *

            from torch.nn import SyncBatchNorm
            import torch.nn as nn

            model.update(dict(backbone=dict(depth=101, norm_cfg=dict(type=SyncBatchNorm), act=dict(type=nn.ReLU))))
            """));

    [Fact]
    public void ReadFile_LazyImportStyle_ReadsBasesAndImportedClassNames()
    {
        using var files = Tree();
        var cfg = files.Read("mmdet/configs/retinanet/retinanet_r101.py");
        Assert.Equal("""{"type":"mmdet.models.RetinaNet","backbone":{"type":"mmdet.models.ResNet","depth":101,"init_cfg":{"type":"mmengine.model.weight_init.PretrainedInit","checkpoint":"torchvision://resnet50"},"norm_cfg":{"type":"torch.nn.SyncBatchNorm"},"act":{"type":"torch.nn.ReLU"}}}""",
            PyConfigFiles.Json(cfg["model"]));
        // Imported names are not config keys, as in MMEngine's dump.
        Assert.Equal(new[] { "model" }, cfg.Keys);
    }

    [Fact]
    public void InitializerRegistry_LazyClassName_FindsTheRegisteredType()
    {
        using var files = Tree();
        var initCfg = ConfigKeyPath.Select(files.Read("mmdet/configs/retinanet/retinanet_r101.py"), "model.backbone.init_cfg", "test");
        var config = Assert.Single(InitConfig.ParseList(initCfg, ConfigPath.Root("init_cfg")));
        Assert.True(InitCfg.Core.Initializers.InitializerRegistry.Default.TryGet(config.Type!, out var d));
        Assert.Equal("Pretrained", d.Type);
    }

    [Fact]
    public void ModelBuilder_LazyClassNameOfALayer_BuildsIt()
    {
        using var files = new PyConfigFiles(("net.py", "from torch.nn import Linear\nmodel = dict(type=Linear, in_features=4, out_features=2)\n"));
        var model = new ModelBuilder().BuildFile(Path.Combine(files.Root, "net.py"));
        Assert.Equal("Linear", model.GetType().Name);
    }
}
