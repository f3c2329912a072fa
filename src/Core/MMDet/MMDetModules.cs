#nullable enable
using InitCfg.Core.Building;
using InitCfg.Core.MMDet.Backbones;
using InitCfg.Core.MMDet.Bricks;
using InitCfg.Core.MMDet.DenseHeads;
using InitCfg.Core.MMDet.Detectors;
using InitCfg.Core.MMDet.Necks;
using InitCfg.Core.MMDet.RoIHeads;

namespace InitCfg.Core.MMDet;

/// <summary>Registers MMDetection's module families under MMDetection's type names.</summary>
public static class MMDetModules
{
    /// <summary>Adds every family to <paramref name="registry"/>.</summary>
    public static void Register(ModuleRegistry registry)
    {
        registry.Register(new("ResNet", "MMDetection's ResNet backbone (depth 18-152, pytorch/caffe style, BN/GN/SyncBN), with its default init_cfg.",
            ResNet.Arguments(false), a => ResNet.Build(a, "ResNet")));
        registry.Register(new("ResNetV1d", "MMDetection's ResNetV1d: ResNet with a deep stem and avg-pool downsampling.",
            ResNet.Arguments(true), a => ResNet.Build(a, "ResNetV1d")));
        registry.Register(new("ResNeXt", "MMDetection's ResNeXt backbone (depth 50-152, groups, base_width).",
            ResNet.ResNeXtArguments(), a => ResNet.Build(a, "ResNeXt")));
        registry.Register(new("FPN", "MMDetection's feature pyramid neck (ConvModules in nn.ModuleLists; Xavier by default).", FPN.Arguments, FPN.Build));
        registry.Register(new("ChannelMapper", "MMDetection's ChannelMapper neck (Xavier by default).", ChannelMapper.Arguments, ChannelMapper.Build));
        registry.Register(new("AnchorHead", "MMDetection's AnchorHead (1x1 conv_cls/conv_reg).", AnchorHeads.AnchorHeadArguments, AnchorHeads.BuildAnchorHead));
        registry.Register(new("RetinaHead", "MMDetection's RetinaHead (cls/reg ConvModule stacks; classifier prior 0.01).", AnchorHeads.RetinaHeadArguments, AnchorHeads.BuildRetinaHead));
        registry.Register(new("RPNHead", "MMDetection's RPNHead (rpn_conv, rpn_cls, rpn_reg).", AnchorHeads.RPNHeadArguments, AnchorHeads.BuildRPNHead));
        registry.Register(new("ATSSHead", "MMDetection's ATSSHead (GN stacks, centerness, Scales).", AnchorHeads.ATSSHeadArguments, AnchorHeads.BuildATSSHead));
        registry.Register(new("FCOSHead", "MMDetection's FCOSHead (GN stacks, centerness, Scales).", FCOSHead.Arguments, FCOSHead.Build));
        foreach (var type in Detectors.Detectors.SingleStage)
            registry.Register(new(type, $"MMDetection's {type} detector: backbone, neck, bbox_head (data_preprocessor, train_cfg, test_cfg kept).",
                Detectors.Detectors.SingleStageArguments, a => Detectors.Detectors.Build(a, type, "bbox_head")));
        registry.Register(new("RPN", "MMDetection's RPN detector: backbone, neck, rpn_head.",
            Detectors.Detectors.RPNArguments, a => Detectors.Detectors.Build(a, "RPN", "rpn_head")));
        foreach (var type in Detectors.Detectors.TwoStage)
            registry.Register(new(type, $"MMDetection's {type} detector: backbone, neck, rpn_head, roi_head (data_preprocessor, train_cfg, test_cfg kept).",
                Detectors.Detectors.TwoStageArguments, a => Detectors.Detectors.BuildTwoStage(a, type)));
        registry.Register(new("StandardRoIHead", "MMDetection's StandardRoIHead: bbox/mask RoI extractors and heads.", RoIHeads.RoIHeads.StandardArguments, RoIHeads.RoIHeads.BuildStandard));
        registry.Register(new("CascadeRoIHead", "MMDetection's CascadeRoIHead: per-stage bbox_roi_extractor/bbox_head ModuleLists, mask heads in an nn.ModuleList.",
            CascadeRoIHead.Arguments, CascadeRoIHead.Build));
        registry.Register(new("SingleRoIExtractor", "MMDetection's SingleRoIExtractor (no parameters; RoIAlign kept as config).", RoIHeads.RoIHeads.ExtractorArguments, RoIHeads.RoIHeads.BuildExtractor));
        registry.Register(new("BBoxHead", "MMDetection's BBoxHead (fc_cls, fc_reg).", BBoxHeads.BBoxHeadArguments, BBoxHeads.BuildBBoxHead));
        registry.Register(new("ConvFCBBoxHead", "MMDetection's ConvFCBBoxHead.", BBoxHeads.ConvFCArguments(false), a => BBoxHeads.BuildConvFC(a, "ConvFCBBoxHead", null)));
        registry.Register(new("Shared2FCBBoxHead", "MMDetection's Shared2FCBBoxHead (two shared fcs).", BBoxHeads.ConvFCArguments(true),
            a => BBoxHeads.BuildConvFC(a, "Shared2FCBBoxHead", new long[] { 0, 2, 0, 0, 0, 0 })));
        registry.Register(new("Shared4Conv1FCBBoxHead", "MMDetection's Shared4Conv1FCBBoxHead (four shared convs, one fc).", BBoxHeads.ConvFCArguments(true),
            a => BBoxHeads.BuildConvFC(a, "Shared4Conv1FCBBoxHead", new long[] { 4, 1, 0, 0, 0, 0 })));
        foreach (var descriptor in DeformConvModules.Descriptors()) registry.Register(descriptor);
        registry.Register(new("RegNet", "MMDetection's RegNet backbone (arch string such as 'regnetx_3.2gf' or an arch dict; grouped Bottlenecks).",
            RegNet.Arguments, RegNet.Build));
        registry.Register(new("DETR", "MMDetection's DETR detector: backbone, neck, bbox_head, positional_encoding, encoder, decoder, query_embedding; its own init_weights.",
            DETR.Arguments, DETR.Build));
        registry.Register(new("DeformableDETR", "MMDetection's Deformable DETR (with_box_refine, as_two_stage): level_embed, backbone, neck, bbox_head, encoder, decoder...; its own init_weights.",
            DeformableDETR.Arguments, DeformableDETR.Build));
        registry.Register(new("DeformableDETRHead", "MMDetection's DeformableDETRHead (cls_branches, reg_branches; its own init_weights).", DeformableDETRHead.Arguments, DeformableDETRHead.Build));
        registry.Register(new("DINO", "MMDetection's DINO (refine + two-stage Deformable DETR): level_embed, ..., query_embedding, memory_trans_fc/norm, dn_query_generator; its own init_weights.",
            DINO.Arguments, DINO.Build));
        registry.Register(new("DINOHead", "MMDetection's DINOHead (a DeformableDETRHead: cls_branches, reg_branches; its init_weights).", DeformableDETRHead.Arguments,
            a => DeformableDETRHead.Build(a, "DINOHead", new[] { "DeformableDETRHead", "DETRHead", "BaseModule" })));
        registry.Register(new("CdnQueryGenerator", "MMDetection's CdnQueryGenerator (DINO's denoising queries): label_embedding.", Transformer.CdnQueryGenerator.Arguments,
            Transformer.CdnQueryGenerator.Build));
        registry.Register(new("DETRHead", "MMDetection's DETRHead (fc_cls, reg_ffn, fc_reg).", DETRHead.Arguments, DETRHead.Build));
        Transformer.DetrTransformerLayers.Register(registry);
        registry.Register(new("FCNMaskHead", "MMDetection's FCNMaskHead (convs, deconv upsample, conv_logits; its own init_weights).", FCNMaskHead.Arguments, FCNMaskHead.Build));
    }
}
