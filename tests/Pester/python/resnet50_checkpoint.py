"""torchvision resnet50 checkpoints for PyTorchInterop.Tests.ps1.

usage: resnet50_checkpoint.py save FILE.pth
         torch.save of a seeded torchvision.models.resnet50().state_dict() (non-default BatchNorm statistics too),
         as torch.hub caches resnet50-0676ba61.pth.
       resnet50_checkpoint.py check EXPORT.pth ORIGINAL.pth
         loads InitCfg's export of an MMDetection ResNet-50 backbone into torchvision.models.resnet50() with
         strict=False and prints JSON: missing and unexpected keys, keys (torch.load order), and the keys whose
         values differ from ORIGINAL.pth.
"""
import json
import sys

import torch
import torchvision

if sys.argv[1] == 'save':
    torch.manual_seed(0)
    m = torchvision.models.resnet50()
    with torch.no_grad():
        for name, b in m.named_buffers():
            if name.endswith('running_mean'):
                b.normal_()
            elif name.endswith('running_var'):
                b.uniform_(0.5, 2)
            else:
                b.fill_(9)
    torch.save(m.state_dict(), sys.argv[2])
else:
    export = torch.load(sys.argv[2], map_location='cpu')
    original = torch.load(sys.argv[3], map_location='cpu')
    result = torchvision.models.resnet50().load_state_dict(export, strict=False)
    print(json.dumps({
        'missing': list(result.missing_keys),
        'unexpected': list(result.unexpected_keys),
        'keys': list(export.keys()),
        'different': [k for k, v in export.items() if not torch.equal(v, original[k])],
    }))
