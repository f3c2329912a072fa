"""Checks InitCfg's export of an MMDetection detector whose backbone loaded torchvision://resnet50.

usage: mmdet_export_check.py EXPORT.pth ORIGINAL.pth
Prints JSON: keys (torch.load order), shapes, and the backbone keys whose values differ from ORIGINAL.pth
(the torchvision checkpoint, fc excluded), so a test can compare names/shapes with MMDetection's state_dict.
"""
import json
import sys

import torch

export = torch.load(sys.argv[1], map_location='cpu')
original = torch.load(sys.argv[2], map_location='cpu')
different = [k for k, v in original.items()
             if not k.startswith('fc.') and not torch.equal(export['backbone.' + k], v)]
print(json.dumps({
    'keys': list(export.keys()),
    'shapes': {k: list(v.shape) for k, v in export.items()},
    'different': different,
}))
