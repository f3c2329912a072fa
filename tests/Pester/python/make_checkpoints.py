"""Writes checkpoints with PyTorch's own torch.save for PyTorchInterop.Tests.ps1.

usage: make_checkpoints.py OUT_DIR MARKER_FILE

The model is the ToyNet of TestHelpers.psm1 (conv: Conv2d(3, 8, 3), bn: BatchNorm2d(8), fc: Linear(8, 4)) with seeded
values and non-default BatchNorm statistics. Writes plain.pth (the state dict), wrapped.pth ({'state_dict'} with
DataParallel 'module.' keys, plus meta and optimizer), model.pth ({'model': sd}), detector.pth (backbone./neck./head.
keys), flat.pth (views into one storage), legacy.pth (pre-1.6 format), evil.pth (a pickle whose __reduce__ calls os.system to create MARKER_FILE), and
expected.json: SHA-256 of each tensor's bytes (little-endian, C order, own dtype) by state-dict key.
"""
import collections
import hashlib
import json
import os
import sys

import torch
from torch import nn

out, marker = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
net = nn.Sequential(collections.OrderedDict(
    conv=nn.Conv2d(3, 8, 3), bn=nn.BatchNorm2d(8), fc=nn.Linear(8, 4)))
with torch.no_grad():
    for p in net.parameters():
        p.normal_(0, 0.5)
    net.bn.running_mean.uniform_(-1, 1)
    net.bn.running_var.uniform_(0.5, 2)
    net.bn.num_batches_tracked.fill_(5)
sd = net.state_dict()


def path(name):
    return os.path.join(out, name)


class Evil:
    def __reduce__(self):
        return os.system, ('touch ' + marker,)


torch.save(sd, path('plain.pth'))
torch.save({'meta': {'epoch': 12, 'mmdet_version': '2.28.2', 'CLASSES': ('cat', 'dog')},
            'state_dict': collections.OrderedDict(('module.' + k, v) for k, v in sd.items()),
            'optimizer': {'state': {}, 'param_groups': [{'lr': 0.02, 'params': [0, 1, 2]}]}}, path('wrapped.pth'))
torch.save({'model': sd}, path('model.pth'))
detector = collections.OrderedDict(('backbone.' + k, v) for k, v in sd.items())
detector['neck.conv.weight'] = torch.ones(8, 8, 1, 1)
detector['head.fc_cls.weight'] = torch.zeros(3, 8)
torch.save({'meta': {'epoch': 1}, 'state_dict': detector}, path('detector.pth'))
torch.save(sd, path('legacy.pth'), _use_new_zipfile_serialization=False)
torch.save({'x': Evil()}, path('evil.pth'))

# flat.pth: every float tensor a view into ONE storage (as flat-parameter checkpoints are), fc.weight a transposed
# (non-contiguous) view; torch.save writes the shared storage once.
floats = [(k, v) for k, v in sd.items() if v.is_floating_point()]
flat = torch.empty(sum(v.numel() for _, v in floats))
flat_sd, at = collections.OrderedDict(), 0
with torch.no_grad():
    for k, v in floats:
        n = v.numel()
        if k == 'fc.weight':
            flat[at:at + n].copy_(v.t().reshape(-1))
            flat_sd[k] = flat[at:at + n].view(v.shape[1], v.shape[0]).t()
        else:
            flat[at:at + n].copy_(v.reshape(-1))
            flat_sd[k] = flat[at:at + n].view(v.shape)
        at += n
flat_sd['bn.num_batches_tracked'] = sd['bn.num_batches_tracked']
assert not flat_sd['fc.weight'].is_contiguous()
torch.save(flat_sd, path('flat.pth'))

with open(path('expected.json'), 'w') as f:
    json.dump({k: hashlib.sha256(v.contiguous().numpy().tobytes()).hexdigest() for k, v in sd.items()}, f)
