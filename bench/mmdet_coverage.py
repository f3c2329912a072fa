"""Share of MMDetection 3.3's 690 buildable configs whose module classes InitCfg builds.

classes.tsv (../shared/mmdet-models) gives, per class, the number of configs that use it, not the list of
configs, so the exact share cannot be read from it: this prints the bounds it allows. A config is covered
when every class it uses is covered; at least 690 - sum(uncovered counts) and at most
690 - max(uncovered count) configs are.
Given a second file, the per-config class sets that bench/mmdet_config_classes.py prints (MMDetection's own
builds), it prints the exact share over the configs that built, and checks them against classes.tsv's counts.
Usage: python3 bench/mmdet_coverage.py [path/to/classes.tsv] [classes_per_config.tsv]
"""
import csv
import sys

TOTAL = 690
COVERED = {
    # plain PyTorch layers the builders make
    'torch.nn.modules.conv.Conv2d', 'torch.nn.modules.container.ModuleList', 'torch.nn.modules.container.Sequential',
    'torch.nn.modules.activation.ReLU', 'torch.nn.modules.pooling.MaxPool2d', 'torch.nn.modules.batchnorm.BatchNorm2d',
    'torch.nn.modules.normalization.GroupNorm', 'torch.nn.modules.pooling.AvgPool2d',
    'mmengine.utils.dl_utils.parrots_wrapper.SyncBatchNorm', 'torch.nn.modules.linear.Linear',
    'torch.nn.modules.linear.Identity', 'torch.nn.modules.dropout.Dropout', 'torch.nn.modules.normalization.LayerNorm',
    'torch.nn.modules.sparse.Embedding', 'torch.nn.modules.activation.GELU', 'torch.nn.modules.pooling.AdaptiveAvgPool2d',
    # MMEngine's containers and MMCV's wrappers (same parameters as the PyTorch layers)
    'mmengine.model.base_module.ModuleList', 'mmengine.model.base_module.Sequential',
    'mmcv.cnn.bricks.wrappers.Conv2d', 'mmcv.cnn.bricks.wrappers.ConvTranspose2d', 'mmcv.cnn.bricks.wrappers.Linear',
    # parameter-free parts, kept as config
    'mmdet.models.data_preprocessors.data_preprocessor.DetDataPreprocessor',
    # families of this issue
    'mmcv.cnn.bricks.conv_module.ConvModule', 'mmcv.cnn.bricks.scale.Scale',
    'mmdet.models.layers.res_layer.ResLayer', 'mmdet.models.backbones.resnet.ResNet',
    'mmdet.models.backbones.resnet.ResNetV1d',
    'mmdet.models.backbones.resnet.Bottleneck', 'mmdet.models.backbones.resnet.BasicBlock',
    'mmdet.models.necks.fpn.FPN', 'mmdet.models.necks.channel_mapper.ChannelMapper',
    'mmdet.models.dense_heads.anchor_head.AnchorHead', 'mmdet.models.dense_heads.retina_head.RetinaHead',
    'mmdet.models.dense_heads.rpn_head.RPNHead', 'mmdet.models.dense_heads.fcos_head.FCOSHead',
    'mmdet.models.dense_heads.atss_head.ATSSHead',
    'mmdet.models.detectors.retinanet.RetinaNet', 'mmdet.models.detectors.fcos.FCOS',
    'mmdet.models.detectors.atss.ATSS', 'mmdet.models.detectors.rpn.RPN',
    'mmdet.models.backbones.resnext.ResNeXt', 'mmdet.models.backbones.resnext.Bottleneck',
    'mmdet.models.detectors.faster_rcnn.FasterRCNN', 'mmdet.models.detectors.mask_rcnn.MaskRCNN',
    'mmdet.models.detectors.fast_rcnn.FastRCNN', 'mmdet.models.detectors.two_stage.TwoStageDetector',
    'mmdet.models.roi_heads.standard_roi_head.StandardRoIHead',
    'mmdet.models.roi_heads.roi_extractors.single_level_roi_extractor.SingleRoIExtractor',
    'mmcv.ops.roi_align.RoIAlign',  # no parameters: kept as the extractor's config
    'mmdet.models.roi_heads.bbox_heads.bbox_head.BBoxHead',
    'mmdet.models.roi_heads.bbox_heads.convfc_bbox_head.ConvFCBBoxHead',
    'mmdet.models.roi_heads.bbox_heads.convfc_bbox_head.Shared2FCBBoxHead',
    'mmdet.models.roi_heads.bbox_heads.convfc_bbox_head.Shared4Conv1FCBBoxHead',
    'mmdet.models.roi_heads.mask_heads.fcn_mask_head.FCNMaskHead',
    'torch.nn.modules.conv.ConvTranspose2d', 'torch.nn.modules.upsampling.Upsample',
    # issue 13, second round
    'mmdet.models.detectors.cascade_rcnn.CascadeRCNN', 'mmdet.models.roi_heads.cascade_roi_head.CascadeRoIHead',
    'mmdet.models.backbones.regnet.RegNet',
    'mmcv.ops.deform_conv.DeformConv2d', 'mmcv.ops.deform_conv.DeformConv2dPack',
    'mmcv.ops.modulated_deform_conv.ModulatedDeformConv2d', 'mmcv.ops.modulated_deform_conv.ModulatedDeformConv2dPack',
    # issue 14: attention in PyTorch's layout, MMCV's transformer bricks, Swin, DETR and Deformable DETR
    'torch.nn.modules.activation.MultiheadAttention', 'torch.nn.modules.linear.NonDynamicallyQuantizableLinear',
    'torch.nn.modules.activation.Softmax', 'torch.nn.modules.fold.Unfold',
    'mmcv.cnn.bricks.drop.Dropout', 'mmcv.cnn.bricks.drop.DropPath', 'mmcv.cnn.bricks.transformer.FFN',
    'mmcv.cnn.bricks.transformer.MultiheadAttention', 'mmcv.ops.multi_scale_deform_attn.MultiScaleDeformableAttention',
    'mmdet.models.layers.positional_encoding.SinePositionalEncoding',
    'mmdet.models.layers.positional_encoding.LearnedPositionalEncoding',
    'mmdet.models.layers.transformer.utils.AdaptivePadding', 'mmdet.models.layers.transformer.utils.PatchEmbed',
    'mmdet.models.layers.transformer.utils.PatchMerging',
    'mmdet.models.backbones.swin.SwinTransformer', 'mmdet.models.backbones.swin.SwinBlockSequence',
    'mmdet.models.backbones.swin.SwinBlock', 'mmdet.models.backbones.swin.ShiftWindowMSA',
    'mmdet.models.backbones.swin.WindowMSA',
    'mmdet.models.detectors.detr.DETR', 'mmdet.models.dense_heads.detr_head.DETRHead',
    'mmdet.models.layers.transformer.detr_layers.DetrTransformerEncoder',
    'mmdet.models.layers.transformer.detr_layers.DetrTransformerEncoderLayer',
    'mmdet.models.layers.transformer.detr_layers.DetrTransformerDecoder',
    'mmdet.models.layers.transformer.detr_layers.DetrTransformerDecoderLayer',
    'mmdet.models.detectors.deformable_detr.DeformableDETR',
    'mmdet.models.dense_heads.deformable_detr_head.DeformableDETRHead',
    'mmdet.models.layers.transformer.deformable_detr_layers.DeformableDetrTransformerEncoder',
    'mmdet.models.layers.transformer.deformable_detr_layers.DeformableDetrTransformerEncoderLayer',
    'mmdet.models.layers.transformer.deformable_detr_layers.DeformableDetrTransformerDecoder',
    'mmdet.models.layers.transformer.deformable_detr_layers.DeformableDetrTransformerDecoderLayer',
    # issue 14: DINO
    'mmdet.models.detectors.dino.DINO', 'mmdet.models.dense_heads.dino_head.DINOHead',
    'mmdet.models.layers.transformer.dino_layers.DinoTransformerDecoder',
    'mmdet.models.layers.transformer.dino_layers.CdnQueryGenerator', 'mmdet.models.layers.transformer.utils.MLP',
}


def covered(cls):
    # Losses hold no parameters: a head keeps their config; so do the data preprocessor and its batch augments.
    return cls in COVERED or cls.startswith('mmdet.models.losses.') or cls.startswith('mmdet.models.data_preprocessors.')


def main(path):
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    uncovered = sorted(((int(r['configs']), r['class']) for r in rows if not covered(r['class'])), reverse=True)
    low = max(0, TOTAL - sum(n for n, _ in uncovered))
    high = TOTAL - (uncovered[0][0] if uncovered else 0)
    print(f'classes: {len(rows)}, covered: {len(rows) - len(uncovered)}')
    print(f'configs fully covered: between {low} and {high} of {TOTAL} ({100 * low / TOTAL:.1f}% - {100 * high / TOTAL:.1f}%)')
    print('largest uncovered:', ', '.join(f'{c.split(".")[-1]} ({n})' for n, c in uncovered[:8]))
    return {r['class']: int(r['configs']) for r in rows}


def exact(per_config, counts):
    with open(per_config, newline='') as f:
        # A line without its three fields is one a run still writes: left out.
        rows = [r for r in (line.rstrip('\n').split('\t') for line in f if line.strip()) if len(r) == 3]
    built = [(cfg, set(classes.split(',')) if classes else set()) for cfg, status, classes in rows if status == 'ok']
    seen = {}
    for _, classes in built:
        for c in classes:
            seen[c] = seen.get(c, 0) + 1
    same = seen == counts
    ok = [cfg for cfg, classes in built if all(covered(c) for c in classes)]
    print(f'per-config class sets: {len(rows)} configs read, {len(built)} built; '
          f'per-class counts {"equal" if same else "differ from"} classes.tsv')
    if not same:
        diff = sorted(set(seen) ^ set(counts)) + sorted(c for c in set(seen) & set(counts) if seen[c] != counts[c])
        print('  differing classes:', ', '.join(f'{c.split(".")[-1]} {seen.get(c, 0)}/{counts.get(c, 0)}' for c in diff[:12]))
    print(f'configs fully covered: {len(ok)} of {len(built)} built ({100 * len(ok) / max(1, len(built)):.1f}%)')


if __name__ == '__main__':
    counts = main(sys.argv[1] if len(sys.argv) > 1 else '../shared/mmdet-models/classes.tsv')
    if len(sys.argv) > 2:
        exact(sys.argv[2], counts)
