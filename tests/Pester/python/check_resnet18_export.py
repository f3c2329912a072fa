"""Loads InitCfg's exports of a torchvision resnet18 into torchvision.models.resnet18() with strict=True.

usage: check_resnet18_export.py WEIGHTS.pth WEIGHTS.safetensors RESAVED.pth

The .safetensors file is parsed by hand (8-byte little-endian header length, JSON header, raw bytes), since the
safetensors package may be absent. Re-saves the loaded state dict with torch.save to RESAVED.pth. Prints JSON:
model_keys (resnet18().state_dict() order), pth_keys (torch.load order), st_keys, and pth_sha / st_sha: SHA-256 of
each tensor's bytes after load_state_dict, by key.
"""
import hashlib
import json
import struct
import sys

import torch
import torchvision

pth, st, resaved = sys.argv[1:4]
DTYPES = {'F32': torch.float32, 'F64': torch.float64, 'F16': torch.float16, 'I64': torch.int64, 'I32': torch.int32,
          'U8': torch.uint8, 'I8': torch.int8, 'BOOL': torch.bool}


def read_safetensors(file):
    with open(file, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    body = bytearray(data[8 + n:])
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        begin, end = info['data_offsets']
        t = torch.frombuffer(body[begin:end], dtype=DTYPES[info['dtype']]) if end > begin \
            else torch.empty(0, dtype=DTYPES[info['dtype']])
        tensors[name] = t.reshape(info['shape']).clone()
    return list(header.keys()), tensors


def sha(model):
    return {k: hashlib.sha256(v.contiguous().numpy().tobytes()).hexdigest() for k, v in model.state_dict().items()}


try:
    sd = torch.load(pth, map_location='cpu', weights_only=True)
except TypeError:  # torch < 1.13 has no weights_only
    sd = torch.load(pth, map_location='cpu')
m1 = torchvision.models.resnet18()
m1.load_state_dict(sd, strict=True)
torch.save(m1.state_dict(), resaved)

st_keys, st_tensors = read_safetensors(st)
m2 = torchvision.models.resnet18()
m2.load_state_dict(st_tensors, strict=True)

print(json.dumps({
    'model_keys': list(torchvision.models.resnet18().state_dict().keys()),
    'pth_keys': list(sd.keys()),
    'st_keys': [k for k in st_keys if k != '__metadata__'],
    'pth_sha': sha(m1),
    'st_sha': sha(m2),
}))
