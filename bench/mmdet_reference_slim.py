"""Cuts a bench/mmdet_reference.py dump down to what the tests compare (tests/Core.Tests/MMDet/References).

Kept: the config, versions, seeds, procedure, stubs, changes, cfg_model_built, not_reached, init_weights_calls, and per
state entry name, kind, shape, dtype, requires_grad, sha256, written_by_init and init_info, plus mean, min and max of
truncated-normal draws (the tests accept those within one ulp of PyTorch 1.13's erfinv). Dropped: other value statistics,
the module table and per-class summary (regenerate the full dump for those).
Usage: python3 bench/mmdet_reference_slim.py full.json slim.json
"""
import json
import sys

KEEP = ['config', 'versions', 'seed', 'build_seed', 'procedure', 'stubs', 'changes', 'cfg_model_built', 'not_reached',
        'init_weights_calls']
STATE = ['name', 'kind', 'shape', 'dtype', 'requires_grad', 'sha256', 'written_by_init', 'init_info']

full = json.load(open(sys.argv[1], encoding='utf-8'))
slim = {k: full[k] for k in KEEP}
# Truncated-normal draws may differ from PyTorch 1.13's in the last bit (erfinv): their statistics stay so the tests
# can bound the difference.
TRUNC = ('TruncNormalInit', 'user-defined `init_weights` in SwinTransformer')
slim['state'] = [{k: e[k] for k in STATE + (['mean', 'min', 'max'] if any(t in (e['init_info'] or '') for t in TRUNC) else [])}
                 for e in full['state']]
with open(sys.argv[2], 'w', encoding='utf-8') as f:
    json.dump(slim, f, separators=(',', ':'))
    f.write('\n')
