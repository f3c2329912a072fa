"""PyTorch 1.13 as the judge of InitCfg's MultiheadAttention, TransformerEncoderLayer and TransformerDecoderLayer.

usage: attention_check.py reference DIR    writes DIR/reference.json
       attention_check.py check DIR        loads DIR/<case>.pth (InitCfg's exports) and prints JSON

reference: per case, torch.manual_seed(build_seed) then the PyTorch module is built; its state_dict() names, shapes
and SHA-256 of every tensor's bytes, random inputs (torch.manual_seed(100 + i)), and the forward output in eval
mode with autograd on (PyTorch's reference path, not the fused inference fast path).
check: per case, a fresh PyTorch module loads <case>.pth with load_state_dict(strict=True); prints the keys in
torch.load order, the SHA-256 of every loaded tensor, and the largest absolute difference of its forward output
from the reference output.
"""
import hashlib
import json
import os
import sys

import torch
from torch import nn

CASES = [
    ('mha', dict(type='MultiheadAttention', embed_dim=16, num_heads=4), 3, 'mha'),
    ('mha_kdim_bias_kv', dict(type='MultiheadAttention', embed_dim=16, num_heads=4, add_bias_kv=True, add_zero_attn=True,
                              kdim=8, vdim=12), 4, 'mha_kv'),
    ('mha_no_bias_batch_first', dict(type='MultiheadAttention', embed_dim=16, num_heads=2, bias=False, batch_first=True), 5, 'mha_bf'),
    ('encoder', dict(type='TransformerEncoderLayer', d_model=16, nhead=4, dim_feedforward=32), 6, 'enc'),
    ('encoder_gelu_norm_first', dict(type='TransformerEncoderLayer', d_model=16, nhead=2, dim_feedforward=24,
                                     activation='gelu', batch_first=True, norm_first=True), 7, 'enc'),
    ('decoder', dict(type='TransformerDecoderLayer', d_model=16, nhead=4, dim_feedforward=32), 8, 'dec'),
]
CLASSES = {'MultiheadAttention': nn.MultiheadAttention, 'TransformerEncoderLayer': nn.TransformerEncoderLayer,
           'TransformerDecoderLayer': nn.TransformerDecoderLayer}


def build(cfg):
    args = {k: v for k, v in cfg.items() if k != 'type'}
    return CLASSES[cfg['type']](**args)


def sha(t):
    return hashlib.sha256(t.detach().contiguous().numpy().tobytes()).hexdigest()


def inputs(kind, index):
    torch.manual_seed(100 + index)
    if kind == 'mha':  # (L, N, E) query, (S, N, E) key/value, key_padding_mask, float attn_mask
        q, k, v = torch.randn(5, 2, 16), torch.randn(7, 2, 16), torch.randn(7, 2, 16)
        kpm = torch.zeros(2, 7, dtype=torch.bool)
        kpm[1, 5:] = True
        return {'query': q, 'key': k, 'value': v, 'key_padding_mask': kpm, 'attn_mask': torch.randn(5, 7)}
    if kind == 'mha_kv':
        return {'query': torch.randn(5, 2, 16), 'key': torch.randn(7, 2, 8), 'value': torch.randn(7, 2, 12)}
    if kind == 'mha_bf':  # batch first: (N, L, E); a bool causal mask
        return {'query': torch.randn(2, 5, 16), 'key': torch.randn(2, 5, 16), 'value': torch.randn(2, 5, 16),
                'attn_mask': torch.ones(5, 5, dtype=torch.bool).triu(1)}
    if kind == 'enc':
        return {'src': torch.randn(2, 6, 16) if index == 4 else torch.randn(6, 2, 16)}
    return {'tgt': torch.randn(4, 2, 16), 'memory': torch.randn(6, 2, 16)}


def forward(model, kind, x):
    if kind.startswith('mha'):
        out, weights = model(x['query'], x['key'], x['value'], key_padding_mask=x.get('key_padding_mask'),
                             need_weights=True, attn_mask=x.get('attn_mask'))
        return [out, weights]
    if kind == 'enc':
        return [model(x['src'])]
    return [model(x['tgt'], x['memory'])]


def as_json(t):
    return {'shape': list(t.shape), 'dtype': str(t.dtype).replace('torch.', ''),
            'values': [float(v) if t.dtype != torch.bool else bool(v) for v in t.flatten().tolist()]}


def reference(folder):
    cases = []
    for i, (name, cfg, seed, kind) in enumerate(CASES):
        torch.manual_seed(seed)
        model = build(cfg)
        state = [{'name': k, 'shape': list(v.shape), 'sha256': sha(v)} for k, v in model.state_dict().items()]
        x = inputs(kind, i)
        model.eval()
        outputs = [o.detach() for o in forward(model, kind, x)]
        cases.append({'name': name, 'config': cfg, 'build_seed': seed, 'kind': kind, 'state': state,
                      'inputs': {k: as_json(v) for k, v in x.items()}, 'outputs': [as_json(o) for o in outputs]})
    with open(os.path.join(folder, 'reference.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f)


def check(folder):
    result = {}
    for i, (name, cfg, seed, kind) in enumerate(CASES):
        file = os.path.join(folder, name + '.pth')
        loaded = torch.load(file)
        model = build(cfg)
        model.load_state_dict(loaded, strict=True)
        torch.manual_seed(seed)
        expected = build(cfg)
        x = inputs(kind, i)
        model.eval()
        expected.eval()
        diffs = [float((a - b).abs().max()) for a, b in zip(forward(model, kind, x), forward(expected, kind, x))]
        result[name] = {'keys': list(loaded.keys()), 'model_keys': list(model.state_dict().keys()),
                        'sha': {k: sha(v) for k, v in model.state_dict().items()}, 'max_abs_diff': max(diffs)}
    print(json.dumps(result))


if __name__ == '__main__':
    torch.set_num_threads(1)
    {'reference': reference, 'check': check}[sys.argv[1]](sys.argv[2])
