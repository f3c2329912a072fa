using InitCfg.Core.Configs;

namespace InitCfg.Core.Tests.Configs.Python;

public class PythonConfigBaseTests
{
    [Fact]
    public void ReadFile_BaseChain_MergesDictsReplacesOthersAndAddsNewKeys()
    {
        using var files = new PyConfigFiles(
            ("_base_/models/net.py", "model = dict(type='Net', backbone=dict(type='ResNet', depth=50, out_indices=(0, 1)), head=dict(num_classes=80))\nlr = 0.01\n"),
            ("_base_/runtime.py", "log_level = 'INFO'\n"),
            ("configs/net/base.py", "_base_ = ['../../_base_/models/net.py', '../../_base_/runtime.py']\nlr = 0.02\n"),
            ("configs/net/child.py", "_base_ = './base.py'\nmodel = dict(backbone=dict(depth=101, out_indices=[3]), neck=dict(type='FPN'))\nextra = True\n"));
        var cfg = files.Read("configs/net/child.py");
        Assert.Equal("""{"type":"Net","backbone":{"type":"ResNet","depth":101,"out_indices":[3]},"head":{"num_classes":80},"neck":{"type":"FPN"}}""", PyConfigFiles.Json(cfg["model"]));
        Assert.Equal(0.02, cfg["lr"]);
        Assert.Equal("INFO", cfg["log_level"]);
        Assert.Equal(new[] { "model", "lr", "log_level", "extra" }, cfg.Keys);
    }

    [Fact]
    public void ReadFile_DeleteKey_ReplacesTheBaseDictAndStaysWhereTheBaseHasNone()
    {
        using var files = new PyConfigFiles(
            ("base.py", "model = dict(norm=dict(type='BN', requires_grad=True), head=dict(a=1))\n"),
            ("child.py", "_base_ = 'base.py'\nmodel = dict(norm=dict(_delete_=True, type='GN', num_groups=32), neck=dict(_delete_=True, type='FPN'))\n"));
        var cfg = files.Read("child.py");
        // MMEngine pops _delete_ only where the base has the key; a new key keeps it (as MMEngine's dump shows).
        Assert.Equal("""{"norm":{"type":"GN","num_groups":32},"head":{"a":1},"neck":{"_delete_":true,"type":"FPN"}}""", PyConfigFiles.Json(cfg["model"]));
    }

    [Fact]
    public void ReadFile_BasePlaceholders_KeepTypeAsWholeValueAndBecomeTextInStrings()
    {
        using var files = new PyConfigFiles(
            ("base.py", "num_classes = 20\nscales = [(1333, 800)]\ndata_root = 'data/voc/'\nmodel = dict(head=dict(num_classes=80))\n"),
            ("child.py", """
                _base_ = 'base.py'
                classes = {{_base_.num_classes}}
                img_scales = {{ _base_.scales }}
                ann = '{{_base_.data_root}}annotations.json'
                head = {{_base_.model.head}}
                direct = _base_.model.head.num_classes + 1
                """));
        var cfg = files.Read("child.py");
        Assert.Equal(20L, cfg["classes"]);
        Assert.Equal("""[[1333,800]]""", PyConfigFiles.Json(cfg["img_scales"]));
        Assert.Equal("data/voc/annotations.json", cfg["ann"]);
        Assert.Equal("""{"num_classes":80}""", PyConfigFiles.Json(cfg["head"]));
        Assert.Equal(81L, cfg["direct"]);
    }

    [Fact]
    public void ReadFile_BaseValueMutated_ChangesTheMergedConfig()
    {
        using var files = new PyConfigFiles(
            ("base.py", "model = dict(backbone=dict(depth=50, frozen_stages=1))\n"),
            ("child.py", "_base_ = 'base.py'\nbackbone = _base_.model.backbone\nbackbone.depth = 101\nmodel = dict(backbone=backbone)\n"));
        Assert.Equal("""{"backbone":{"depth":101,"frozen_stages":1}}""", PyConfigFiles.Json(files.Read("child.py")["model"]));
    }

    [Fact]
    public void ReadFile_PredefinedAndEnvironmentVariables_AreSubstituted()
    {
        using var files = new PyConfigFiles(("sub/my_config.py", """
            work_dir = './work_dirs/{{ fileBasenameNoExtension }}'
            names = ['{{fileBasename}}', '{{ fileExtname }}', '{{ fileDirname }}']
            data_root = '{{$DATA_ROOT:/data/coco}}/images'
            classes = {{'$NUM_CLASSES:80'}}
            """));
        var unset = files.Read("sub/my_config.py");
        Assert.Equal("./work_dirs/my_config", unset["work_dir"]);
        var names = (IReadOnlyList<object?>)unset["names"]!;
        Assert.Equal("my_config.py", names[0]);
        Assert.Equal(".py", names[1]);
        Assert.Equal(Path.Combine(files.Root, "sub").Replace('\\', '/'), names[2]);
        Assert.Equal("/data/coco/images", unset["data_root"]);
        Assert.Equal(80L, unset["classes"]);
        var set = files.Read("sub/my_config.py", name => name switch { "DATA_ROOT" => "/mnt/coco", "NUM_CLASSES" => "3", _ => null });
        Assert.Equal("/mnt/coco/images", set["data_root"]);
        Assert.Equal(3L, set["classes"]);
    }

    [Fact]
    public void ReadFile_ScopedBasePath_IsConfigsOfTheTreeAndAddsScope()
    {
        using var files = new PyConfigFiles(
            ("configs/_base_/models/retinanet.py", "model = dict(type='RetinaNet', backbone=dict(type='ResNet', depth=50))\n"),
            ("projects/mine/configs/my.py", "_base_ = ['mmdet::_base_/models/retinanet.py']\nmodel = dict(backbone=dict(depth=18))\n"));
        var cfg = files.Read("projects/mine/configs/my.py");
        // As MMEngine's _dict_to_config_dict: the outermost dicts with a type from a scoped base get _scope_.
        Assert.Equal("""{"type":"RetinaNet","backbone":{"type":"ResNet","depth":18},"_scope_":"mmdet"}""", PyConfigFiles.Json(cfg["model"]));
    }

    [Fact]
    public void ReadFile_YamlAndJsonBases_MergeLikePythonBases()
    {
        using var files = new PyConfigFiles(
            ("base.yaml", "model:\n  type: Net\n  depth: 50\n"),
            ("base.json", "{\"optimizer\": {\"lr\": 0.1}}"),
            ("child.py", "_base_ = ['base.yaml', 'base.json']\nmodel = dict(depth=18)\n"));
        var cfg = files.Read("child.py");
        Assert.Equal("""{"type":"Net","depth":18}""", PyConfigFiles.Json(cfg["model"]));
        Assert.Equal("""{"lr":0.1}""", PyConfigFiles.Json(cfg["optimizer"]));
    }

    [Fact]
    public void ReadFile_KeysDifferingOnlyByUnderscore_StayTwoKeys()
    {
        var cfg = PyConfigFiles.One("_data_root = 'a/'\ndata_root = _data_root + 'b/'\n");
        Assert.Equal("a/", cfg["_data_root"]);
        Assert.Equal("a/b/", cfg["data_root"]);
    }

    [Fact]
    public void FromFile_YamlWithBase_InheritsAsMmengineReadsIt()
    {
        using var files = new PyConfigFiles(
            ("base.py", "model = dict(type='Net', depth=50, neck=dict(a=1))\n"),
            ("child.yaml", "_base_: base.py\nmodel:\n  depth: 18\n"));
        var cfg = (ConfigMap)ConfigReader.FromFile(Path.Combine(files.Root, "child.yaml"))!;
        Assert.Equal("""{"model":{"type":"Net","depth":18,"neck":{"a":1}}}""", PyConfigFiles.Json(cfg));
    }
}
