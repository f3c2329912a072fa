#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.MMDet.Transformer;
using static TorchSharp.torch;
using K = InitCfg.Core.Configs.ArgumentKind;
using S = InitCfg.Core.Configs.ArgumentSpec;

namespace InitCfg.Core.MMDet.DenseHeads;

/// <summary>
/// MMDetection 3.3's <c>DETRHead</c>: <c>fc_cls</c> (Linear to num_classes + 1 with a softmax loss), <c>activate</c>
/// (ReLU), <c>reg_ffn</c> (MMCV's FFN, no residual, no dropout), <c>fc_reg</c> (Linear to 4). No init_weights of its own.
/// </summary>
public static class DETRHead
{
    /// <summary>The constructor arguments, MMDetection's names and defaults.</summary>
    public static readonly S[] Arguments =
    {
        new("num_classes", K.Int, null, Required: true), new("embed_dims", K.Int, 256L), new("num_reg_fcs", K.Int, 2L),
        new("sync_cls_avg_factor", K.Bool, false),
        new("loss_cls", K.Ignored, SubConfig.Dict(("type", "CrossEntropyLoss"), ("bg_cls_weight", 0.1), ("use_sigmoid", false), ("loss_weight", 1.0), ("class_weight", 1.0)),
            "Classification loss: use_sigmoid decides the class channels."),
        new("loss_bbox", K.Ignored, SubConfig.Dict(("type", "L1Loss"), ("loss_weight", 5.0)), "Kept."),
        new("loss_iou", K.Ignored, SubConfig.Dict(("type", "GIoULoss"), ("loss_weight", 2.0)), "Kept."),
        new("train_cfg", K.Ignored, null, "Kept (its assigner).", Nullable: true), new("test_cfg", K.Ignored, null, "Kept.", Nullable: true),
    };

    /// <summary>Builds the head.</summary>
    public static nn.Module Build(ModuleArguments a)
    {
        long embed = a.Int("embed_dims"), fcs = a.Int("num_reg_fcs");
        if (fcs < 2) throw a.Invalid("num_reg_fcs", $"num_reg_fcs should be no less than 2 (MMCV's FFN), but got {fcs}.");
        var settings = new Configs.ConfigMap();
        foreach (var key in new[] { "loss_cls", "loss_bbox", "loss_iou", "train_cfg", "test_cfg" }) settings.Set(key, a.Raw(key));
        return new MMDetModule("DETRHead", new KeyValuePair<string, nn.Module>[]
        {
            new("fc_cls", nn.Linear(embed, HeadShapes.ClsOutChannels(a))),
            new("activate", nn.ReLU()),
            new("reg_ffn", TransformerBricks.CreateFFN(embed, embed, fcs, new SubConfig(SubConfig.Dict(("type", "ReLU"), ("inplace", true)), a.Path),
                0.0, nn.Identity(), 0, false)),
            new("fc_reg", nn.Linear(embed, 4)),
        }, settings);
    }
}
