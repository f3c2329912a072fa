"""Times MMDetection's own build + init_weights of RetinaNet R50-FPN, for the mmdet-retinanet case.

Run by bench/InitCfg.Bench when MMDET_SRC names an MMDetection 3.3 source tree (the folder with `mmdet` and
`configs` in it) and PYTHONPATH holds MMCV 2.1's and MMEngine's sources and addict (bench/README.md). Same
procedure and stubs as bench/mmdet_reference.py: Pretrained backbone init removed, torch.manual_seed(1), build,
torch.manual_seed(0), init_weights(), one thread. One warm-up pass (imports, registry), then the medians.
Usage: python3 mmdet_build_init.py <mmdet root> <repetitions>
Prints one JSON line: build_s, init_s, versions.
"""
import copy
import json
import logging
import os
import statistics
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmdet_reference import _strip_pretrained, _stub_modules  # noqa: E402


def main(root, reps):
    _stub_modules()
    warnings.filterwarnings('ignore')
    import torch
    torch.set_num_threads(1)
    import mmdet
    from mmengine.config import Config
    from mmengine.logging import MMLogger
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules
    register_all_modules()
    MMLogger.get_current_instance().setLevel(logging.ERROR)
    cfg = Config.fromfile(os.path.join(root, 'configs/retinanet/retinanet_r50_fpn_1x_coco.py'))
    builds, inits = [], []
    for i in range(reps + 1):
        model_cfg = copy.deepcopy(cfg.model)
        _strip_pretrained(model_cfg, 'model', [], [])
        torch.manual_seed(1)
        t0 = time.perf_counter()
        model = MODELS.build(model_cfg)
        t1 = time.perf_counter()
        torch.manual_seed(0)
        model.init_weights()
        t2 = time.perf_counter()
        if i:
            builds.append(t1 - t0)
            inits.append(t2 - t1)
        del model
    print(json.dumps({'build_s': statistics.median(builds), 'init_s': statistics.median(inits),
                      'mmdet': mmdet.__version__, 'torch': torch.__version__, 'python': sys.version.split()[0]}))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]))
