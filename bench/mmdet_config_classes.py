"""Per-config module classes of every MMDetection 3.3 model config, as MMDetection itself builds them.

For each configs/**/*.py (bases excluded) with a `model`: Config.fromfile, MODELS.build(cfg.model) with PyTorch's
random fills and nn.init functions replaced by no-ops (the classes built do not depend on the values; this makes
900 builds take minutes), and the qualified class of every module in model.modules(). Prints one TSV row per config:
config, status (ok or the exception's class), classes joined by ','. Same Python setup and stubs as
bench/mmdet_reference.py (see tests/Core.Tests/MMDet/References/README.md).
Usage: python3 bench/mmdet_config_classes.py <mmdet root> > classes_per_config.tsv
"""
import glob
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmdet_reference import _qual, _stub_modules  # noqa: E402


def _no_random(torch):
    def same(t, *args, **kwargs):
        return t
    for name in ('uniform_', 'normal_', 'kaiming_uniform_', 'kaiming_normal_', 'xavier_uniform_', 'xavier_normal_',
                 'trunc_normal_', 'orthogonal_', 'constant_', 'zeros_', 'ones_'):
        if hasattr(torch.nn.init, name):
            setattr(torch.nn.init, name, same)
    for name in ('uniform_', 'normal_'):
        setattr(torch.Tensor, name, same)


def main(root):
    _stub_modules()
    warnings.filterwarnings('ignore')
    import logging
    import torch
    _no_random(torch)
    torch.set_num_threads(1)
    from mmengine.config import Config
    from mmengine.logging import MMLogger
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules
    register_all_modules()
    MMLogger.get_current_instance().setLevel(logging.ERROR)
    configs = sorted(p for p in glob.glob(os.path.join(root, 'configs', '**', '*.py'), recursive=True)
                     if '/_base_/' not in p)
    for path in configs:
        rel = os.path.relpath(path, root)
        try:
            cfg = Config.fromfile(path)
        except Exception as e:  # noqa: BLE001 - reported per config
            print(f'{rel}\tconfig:{type(e).__name__}\t', flush=True)
            continue
        if 'model' not in cfg:
            continue
        try:
            model = MODELS.build(cfg.model)
        except Exception as e:  # noqa: BLE001
            print(f'{rel}\tbuild:{type(e).__name__}\t', flush=True)
            continue
        classes = sorted({_qual(type(m)) for m in model.modules()})
        print(f'{rel}\tok\t{",".join(classes)}', flush=True)
        del model


if __name__ == '__main__':
    main(sys.argv[1])
