using InitCfg.Core.Configs;
using InitCfg.Core.Configs.Python;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Configs.Python;

public class ConfigPrettyTextTests
{
    // Expected texts: MMEngine 0.11.0rc0's Config.fromfile(...).pretty_text (yapf 0.32, MMEngine's style) for these
    // configs, written for this test.
    [Fact]
    public void Format_SmallConfig_IsMmenginesPrettyText()
    {
        var cfg = PyConfigFiles.One("model = dict(type='Net', depth=50, strides=[1, 2], names=['a'], cfgs=[dict(k=1)], maps={'a b': 1}, empty=[], none=None)\nlr = 0.02\n");
        Assert.Equal("""
            lr = 0.02
            model = dict(
                cfgs=[
                    dict(k=1),
                ],
                depth=50,
                empty=[],
                maps=dict({'a b': 1}),
                names=[
                    'a',
                ],
                none=None,
                strides=[
                    1,
                    2,
                ],
                type='Net')

            """.ReplaceLineEndings("\n"), ConfigPrettyText.Format(cfg));
    }

    [Fact]
    public void Format_LongValues_SplitAsYapfDoes()
    {
        var cfg = PyConfigFiles.One("""
            optimizer = dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001, nesterov=False, dampening=0.0)
            model = dict(
                type='SomeVeryLongDetectorName',
                backbone=dict(type='ResNet', depth=50, norm_cfg=dict(type='BN', requires_grad=True), out_indices=[0, 1, 2, 3],
                              init_cfg=dict(type='Pretrained', checkpoint='https://download.example.org/models/resnet50_with_a_long_name-0123456789abcdef.pth')),
                head=dict(loss=dict(type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25, loss_weight=1.0),
                          init_cfg=dict(type='Normal', layer='Conv2d', std=0.01, override=dict(type='Normal', name='conv_cls', std=0.01, bias_prob=0.01))),
                coder=dict(type='mmdet.models.task_modules.coders.delta_xywh_bbox_coder.DeltaXYWHBBoxCoder'))
            pipeline = [dict(type='LoadImageFromFile'), dict(type='PackDetInputs', meta_keys=['img_id', 'img_path', 'ori_shape', 'img_shape'])]
            """);
        Assert.Equal("""
            model = dict(
                backbone=dict(
                    depth=50,
                    init_cfg=dict(
                        checkpoint=
                        'https://download.example.org/models/resnet50_with_a_long_name-0123456789abcdef.pth',
                        type='Pretrained'),
                    norm_cfg=dict(requires_grad=True, type='BN'),
                    out_indices=[
                        0,
                        1,
                        2,
                        3,
                    ],
                    type='ResNet'),
                coder=dict(
                    type=
                    'mmdet.models.task_modules.coders.delta_xywh_bbox_coder.DeltaXYWHBBoxCoder'
                ),
                head=dict(
                    init_cfg=dict(
                        layer='Conv2d',
                        override=dict(
                            bias_prob=0.01, name='conv_cls', std=0.01, type='Normal'),
                        std=0.01,
                        type='Normal'),
                    loss=dict(
                        alpha=0.25,
                        gamma=2.0,
                        loss_weight=1.0,
                        type='FocalLoss',
                        use_sigmoid=True)),
                type='SomeVeryLongDetectorName')
            optimizer = dict(
                dampening=0.0,
                lr=0.02,
                momentum=0.9,
                nesterov=False,
                type='SGD',
                weight_decay=0.0001)
            pipeline = [
                dict(type='LoadImageFromFile'),
                dict(
                    meta_keys=[
                        'img_id',
                        'img_path',
                        'ori_shape',
                        'img_shape',
                    ],
                    type='PackDetInputs'),
            ]

            """.ReplaceLineEndings("\n"), ConfigPrettyText.Format(cfg));
    }

    // Expected: MMEngine 0.11.0rc0's Config(dict(...)).pretty_text for the same values (yapf 0.32): tuples stay tuples
    // (a one-element one as `(x, )`), arguments stay on one line around an expanded tuple, plain values are packed on
    // one line, a value too long for any line goes on its own after `name=`, and non-identifier keys make a display.
    [Fact]
    public void Format_TuplesDisplaysAndPacking_IsMmenginesPrettyText()
    {
        var cfg = PyConfigFiles.One("""
            pipeline = [dict(type='Resize', scale=(1333, 800), keep_ratio=True), dict(type='Pad', pad_val=dict(img=(114.0, 114.0, 114.0)))]
            meta = dict(classes=('pedestrian', ), palette=[(220, 20, 60)], empty_tuple=(), empty_list=[], empty=dict())
            sched = dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=1000)
            opt = dict(lr=-0.5, eps=1e-08, mom=-3, big=1e16, name='a' * 90)
            custom_keys = {'backbone.norm': dict(decay_mult=0.0), 'head': dict(lr_mult=0.1, stages=[1, 2])}
            Z_last = True
            _hidden = None

            """.ReplaceLineEndings("\n"));
        Assert.Equal("""
            Z_last = True
            _hidden = None
            custom_keys = dict({
                'backbone.norm': dict(decay_mult=0.0),
                'head': dict(lr_mult=0.1, stages=[
                    1,
                    2,
                ])
            })
            meta = dict(
                classes=('pedestrian', ),
                empty=dict(),
                empty_list=[],
                empty_tuple=(),
                palette=[
                    (
                        220,
                        20,
                        60,
                    ),
                ])
            opt = dict(
                big=1e+16,
                eps=1e-08,
                lr=-0.5,
                mom=-3,
                name=
                'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
            )
            pipeline = [
                dict(keep_ratio=True, scale=(
                    1333,
                    800,
                ), type='Resize'),
                dict(pad_val=dict(img=(
                    114.0,
                    114.0,
                    114.0,
                )), type='Pad'),
            ]
            sched = dict(
                begin=0, by_epoch=False, end=1000, start_factor=0.001, type='LinearLR')

            """.ReplaceLineEndings("\n"), ConfigPrettyText.Format(cfg));
    }

    [SkippableFact]
    public void Format_EverySampleConfig_ReadsBackEqual()
    {
        var folder = MmdetSample.FindFolder();
        Skip.If(folder is null, "../shared/mmdet-configs is absent: MMDetection sample configs not round-tripped");
        using var files = new PyConfigFiles();
        foreach (var config in MmdetSample.Configs(folder!))
        {
            var cfg = PythonConfig.ReadFile(Path.Combine(folder!, "files", config));
            var written = ConfigExporter.Export(cfg, Path.Combine(files.Root, "roundtrip.py"), overwrite: true);
            var again = PythonConfig.ReadFile(written);
            Assert.True(PyConfigFiles.SortedJson(cfg) == PyConfigFiles.SortedJson(again), config);
        }
    }

    [Theory]
    [InlineData("x.yaml")]
    [InlineData("x.json")]
    [InlineData("x.py")]
    public void Export_EachFormat_ReadsBackEqualAndRefusesToOverwrite(string name)
    {
        var cfg = PyConfigFiles.One("model = dict(type='Net', std=0.01, n=3, flag=True, none=None, xs=[1.0, 2])\n");
        using var files = new PyConfigFiles();
        var path = Path.Combine(files.Root, name);
        ConfigExporter.Export(cfg, path, overwrite: false);
        Assert.Equal(PyConfigFiles.SortedJson(cfg), PyConfigFiles.SortedJson(ConfigReader.FromFile(path)));
        Assert.Equal(ErrorIds.ExportTargetExists, Assert.Throws<InitCfgException>(() => ConfigExporter.Export(cfg, path, overwrite: false)).ErrorId);
        Assert.Single(Directory.GetFiles(files.Root));
    }

    [Fact]
    public void Export_UnknownExtension_IsUnsupportedFormat()
    {
        using var files = new PyConfigFiles();
        var e = Assert.Throws<InitCfgException>(() => ConfigExporter.Export(new ConfigMap(), Path.Combine(files.Root, "x.txt"), overwrite: false));
        Assert.Equal(ErrorIds.UnsupportedFormat, e.ErrorId);
    }
}
