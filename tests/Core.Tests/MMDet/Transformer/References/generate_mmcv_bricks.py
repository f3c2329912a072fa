"""Builds MMCV 2.1's transformer bricks (and MMDetection 3.3's LearnedPositionalEncoding) as MMEngine does and
writes mmcv_bricks.json: per case, torch.manual_seed(1), build, torch.manual_seed(0), init_weights() on a
top-level MMEngine ModuleList holding the brick (so the brick is a child, as in every model), then every
state_dict() entry's name, shape, dtype, SHA-256 of its raw bytes, float64 sum and largest magnitude and MMEngine's init_info label (parameters).

usage: PYTHONPATH=ADDICT:MMENGINE:MMCV python3 generate_mmcv_bricks.py MMDET_SOURCE_ROOT OUT.json
    (MMEngine 0.10.3 and MMCV v2.1.0 source trees; MMCV's compiled ops are absent: a stand-in for mmcv._ext
    answers every op name MMCV checks at import, and no op runs; the addict package can be a minimal Dict.)
"""
import hashlib
import importlib.util
import json
import sys
import types

import torch

torch.set_num_threads(1)


class CompiledOpsStandIn(types.ModuleType):
    # mmcv.ops checks that every compiled op exists at import; none of them is called here.
    def __getattr__(self, name):
        return None


sys.modules['mmcv._ext'] = CompiledOpsStandIn('mmcv._ext')

import mmcv  # noqa: E402
from mmcv.cnn.bricks.transformer import FFN, MultiheadAttention, PatchEmbed, PatchMerging  # noqa: E402
from mmcv.ops.multi_scale_deform_attn import MultiScaleDeformableAttention  # noqa: E402
from mmengine.model import BaseModule, ModuleList  # noqa: E402
from mmengine.registry import MODELS  # noqa: E402

# MMDetection's positional_encoding.py, loaded alone: its two imports from mmdet are a registry and type aliases.
mmdet_root = sys.argv[1]
for name in ('mmdet', 'mmdet.registry', 'mmdet.utils'):
    sys.modules[name] = types.ModuleType(name)
sys.modules['mmdet.registry'].MODELS = MODELS.__class__('mmdet_stand_in', parent=MODELS, scope='mmdet_stand_in')
sys.modules['mmdet.utils'].MultiConfig = sys.modules['mmdet.utils'].OptMultiConfig = object
spec = importlib.util.spec_from_file_location('positional_encoding', mmdet_root + '/mmdet/models/layers/positional_encoding.py')
pe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pe)

# MMDetection's swin.py, loaded alone: its PatchEmbed/PatchMerging (mmdet.models.layers) are MMCV's (same code, other
# docstrings), and swin_converter (only used to convert a checkpoint) is not needed.
for name in ('mmdet.models', 'mmdet.models.layers', 'mmdet.models.utils', 'mmdet.models.utils.ckpt_convert'):
    sys.modules[name] = types.ModuleType(name)
sys.modules['mmdet.models.layers'].PatchEmbed = PatchEmbed
sys.modules['mmdet.models.layers'].PatchMerging = PatchMerging
sys.modules['mmdet.models.utils.ckpt_convert'].swin_converter = None
spec = importlib.util.spec_from_file_location('mmdet.models.backbones.swin', mmdet_root + '/mmdet/models/backbones/swin.py')
swin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(swin)
SWIN_T = dict(embed_dims=96, depths=[2, 2, 6, 2], num_heads=[3, 6, 12, 24], window_size=7, mlp_ratio=4, qkv_bias=True, qk_scale=None,
              drop_rate=0., attn_drop_rate=0., drop_path_rate=0.2, patch_norm=True, out_indices=(0, 1, 2, 3), with_cp=False,
              convert_weights=True)

TN = dict(type='TruncNormal', std=0.02, layer='Linear', bias=0.)
CASES = [
    ('mmcv_multihead_attention', dict(type='mmcv.MultiheadAttention', embed_dims=32, num_heads=4,
                                      init_cfg=dict(type='Xavier', layer='Linear', distribution='uniform')),
     lambda c: MultiheadAttention(**c)),
    ('mmcv_multihead_attention_kdim_bias_kv', dict(type='mmcv.MultiheadAttention', embed_dims=32, num_heads=4, batch_first=True,
                                                   dropout_layer=dict(type='DropPath', drop_prob=0.1), kdim=16, vdim=24,
                                                   add_bias_kv=True),
     lambda c: MultiheadAttention(**c)),
    ('ffn', dict(type='FFN', embed_dims=32, feedforward_channels=64, num_fcs=3, act_cfg=dict(type='GELU'),
                 dropout_layer=dict(type='DropPath', drop_prob=0.1), layer_scale_init_value=0.5, init_cfg=TN),
     lambda c: FFN(**c)),
    ('ffn_defaults', dict(type='FFN'), lambda c: FFN(**c)),
    ('patch_embed', dict(type='PatchEmbed', in_channels=3, embed_dims=32, kernel_size=4, stride=4, norm_cfg=dict(type='LN'),
                         init_cfg=[dict(type='TruncNormal', std=0.02, layer='Conv2d'),
                                   dict(type='Constant', val=1., bias=0., layer='LayerNorm')]),
     lambda c: PatchEmbed(**c)),
    ('patch_embed_int_padding', dict(type='PatchEmbed', in_channels=3, embed_dims=16, kernel_size=7, stride=4, padding=3),
     lambda c: PatchEmbed(**c)),
    ('patch_merging', dict(type='PatchMerging', in_channels=32, out_channels=64,
                           init_cfg=[TN, dict(type='Constant', val=1., bias=0., layer='LayerNorm')]),
     lambda c: PatchMerging(**c)),
    ('multi_scale_deformable_attention', dict(type='MultiScaleDeformableAttention', embed_dims=32, num_heads=4, num_levels=2,
                                              num_points=3),
     lambda c: MultiScaleDeformableAttention(**c)),
    ('multi_scale_deformable_attention_under_xavier', dict(type='MultiScaleDeformableAttention', embed_dims=32, num_heads=8,
                                                           init_cfg=dict(type='Xavier', layer='Linear')),
     lambda c: MultiScaleDeformableAttention(**c)),
    ('learned_positional_encoding', dict(type='LearnedPositionalEncoding', num_feats=16, row_num_embed=10, col_num_embed=12),
     lambda c: pe.LearnedPositionalEncoding(**c)),
    ('swin_small_abs_pos_embed', dict(type='SwinTransformer', pretrain_img_size=32, embed_dims=32, depths=[2, 2], num_heads=[2, 4],
                                      window_size=4, strides=[4, 2], out_indices=[0, 1], use_abs_pos_embed=True, drop_path_rate=0.2),
     lambda c: swin.SwinTransformer(**c)),
    # configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py's backbone, its Pretrained init_cfg removed.
    ('swin_t_mask_rcnn_backbone', dict(type='SwinTransformer', **SWIN_T), lambda c: swin.SwinTransformer(**c)),
]


LABELS = {}


def keep_init_info(self):
    # MMEngine logs each parameter's init_info at the end of the top-level init_weights; keep it instead.
    LABELS.update({name: self._params_init_info[p]['init_info'] for name, p in self.named_parameters()})


BaseModule._dump_init_info = keep_init_info


def sha(t):
    return hashlib.sha256(t.detach().contiguous().numpy().tobytes()).hexdigest()


cases = []
for name, cfg, build in CASES:
    kwargs = {k: v for k, v in cfg.items() if k != 'type'}
    torch.manual_seed(1)
    model = ModuleList([build(kwargs)])
    torch.manual_seed(0)
    LABELS.clear()
    model.init_weights()
    state = [{'name': k, 'shape': list(v.shape), 'dtype': str(v.dtype).replace('torch.', ''), 'sha256': sha(v),
              'sum': float(v.double().sum()), 'abs_max': float(v.double().abs().max()) if v.numel() else 0.0,
              'init_info': LABELS.get(k)} for k, v in model.state_dict().items()]
    cases.append({'name': name, 'config': cfg, 'build_seed': 1, 'seed': 0, 'state': state})
with open(sys.argv[2], 'w') as f:
    json.dump({'versions': {'mmcv': mmcv.__version__, 'torch': torch.__version__}, 'wrapper': 'mmengine.model.ModuleList',
               'cases': cases}, f, indent=1)
