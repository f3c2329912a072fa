"""MMDetection's own build + init_weights of a config, dumped as ../shared/mmdet-models/<config>.json is.

Run it with Debian's python3-torch (1.13) and the sources of MMDetection 3.3, MMCV 2.1 (pure Python parts),
MMEngine 0.11 and addict on PYTHONPATH (see tests/Core.Tests/MMDet/References/README.md). Procedure, as the
shared references: Config.fromfile(config); every Pretrained init_cfg removed from cfg.model; torch.manual_seed(1);
MODELS.build(cfg.model); torch.manual_seed(0); model.init_weights(); one thread.

Stubs (nothing that holds a parameter or draws a random number at construction):
- mmcv._ext, MMCV's compiled kernels: a module whose functions raise when called. Every mmcv.ops class
  (RoIAlign, DeformConv2dPack, ModulatedDeformConv2dPack, nms...) is MMCV's real Python class; only its
  forward would reach the kernels, and no forward runs here.
- pycocotools (mask, coco, cocoeval): imported by mmdet.structures and mmdet.evaluation at module level,
  used only on data; not packaged by Debian.
Usage: python3 bench/mmdet_reference.py <mmdet root> <config relative to it> <out.json>
"""
import ast
import collections
import copy
import hashlib
import json
import logging
import os
import sys
import types


def _stub_modules():
    ext = types.ModuleType('mmcv._ext')

    def _kernel(name):
        def missing(*args, **kwargs):
            raise RuntimeError(f'mmcv._ext.{name} is not available (stub: compiled MMCV ops are not built here)')
        return missing

    def _getattr(name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _kernel(name)

    ext.__getattr__ = _getattr
    sys.modules['mmcv._ext'] = ext
    coco = types.ModuleType('pycocotools')
    for sub, classes in (('mask', ()), ('coco', ('COCO',)), ('cocoeval', ('COCOeval', 'Params'))):
        m = types.ModuleType('pycocotools.' + sub)
        for name in classes:  # base classes of MMDetection's dataset wrappers; never instantiated here
            setattr(m, name, type(name, (), {}))
        setattr(coco, sub, m)
        sys.modules['pycocotools.' + sub] = m
    sys.modules['pycocotools'] = coco


def _bases(root, rel, seen):
    """The config file and its _base_ chain, depth first, as MMEngine reads them."""
    if rel in seen:
        return []
    seen.add(rel)
    path = os.path.join(root, rel)
    out = [rel]
    tree = ast.parse(open(path, encoding='utf-8').read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == '_base_' for t in node.targets):
            value = ast.literal_eval(node.value)
            for b in value if isinstance(value, list) else [value]:
                out += _bases(root, os.path.normpath(os.path.join(os.path.dirname(rel), b)), seen)
    return out


def _plain(x):
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _strip_pretrained(cfg, path, changes, requested):
    if isinstance(cfg, dict):
        for key in list(cfg.keys()):
            value = cfg[key]
            if key == 'init_cfg' and isinstance(value, dict) and value.get('type') == 'Pretrained':
                requested.append({'path': f'{path}.init_cfg', 'init_cfg': _plain(value)})
                changes.append({'path': f'{path}.init_cfg', 'before': _plain(value), 'after': None})
                cfg[key] = None
            else:
                _strip_pretrained(value, f'{path}.{key}', changes, requested)
    elif isinstance(cfg, list):
        for i, v in enumerate(cfg):
            _strip_pretrained(v, f'{path}[{i}]', changes, requested)


def _qual(cls):
    return f'{cls.__module__}.{cls.__qualname__}'


def _owner(m):
    if not hasattr(m, 'init_weights'):
        return None
    for cls in type(m).__mro__:
        if 'init_weights' in cls.__dict__:
            return _qual(cls)
    return None


def _stats(t):
    if not t.is_floating_point():
        return {'first4': t.detach().flatten()[:4].tolist()}
    a = t.detach().cpu().numpy().astype('float64')
    n = a.size
    return {
        'mean': float(a.mean()) if n else None,
        'std': float(a.std(ddof=1)) if n > 1 else None,
        'min': float(a.min()) if n else None,
        'max': float(a.max()) if n else None,
        'first4': a.flatten()[:4].tolist(),
    }


def _sha(t):
    return hashlib.sha256(t.detach().contiguous().cpu().numpy().tobytes()).hexdigest()


def main(root, config, out):
    _stub_modules()
    import numpy
    import torch
    torch.set_num_threads(1)
    import mmcv
    import mmdet
    import mmengine
    from mmengine.config import Config
    from mmengine.logging import MMLogger
    from mmengine.model import BaseModule
    from mmdet.registry import MODELS
    from mmdet.utils import register_all_modules

    cfg = Config.fromfile(os.path.join(root, config))
    cfg_model = _plain(cfg.model.to_dict() if hasattr(cfg.model, 'to_dict') else cfg.model)
    model_cfg = copy.deepcopy(cfg.model)
    changes, requested = [], []
    _strip_pretrained(model_cfg, 'model', changes, requested)
    register_all_modules()
    cfg_model_built = _plain(copy.deepcopy(model_cfg.to_dict() if hasattr(model_cfg, 'to_dict') else model_cfg))
    torch.manual_seed(1)
    model = MODELS.build(model_cfg)

    names = {m: n for n, m in model.named_modules()}
    calls = []
    for m, path in names.items():
        if hasattr(m, 'init_weights'):
            original = m.init_weights

            def wrapped(original=original, path=path, m=m):
                calls.append(f'{path or "<root>"} ({type(m).__name__})')
                return original()
            m.init_weights = wrapped
    init_cfg_tree = {p: _plain(copy.deepcopy(m.init_cfg)) for m, p in names.items() if isinstance(m, BaseModule)}

    logger = MMLogger.get_current_instance()
    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append((record.levelname, record.getMessage()))
    handler = Capture(level=logging.DEBUG)
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    labels = {}
    original_dump = BaseModule._dump_init_info

    def dump(self):
        for name, param in self.named_parameters():
            labels[name] = self._params_init_info[param]['init_info']
        return original_dump(self)
    BaseModule._dump_init_info = dump

    state = model.state_dict(keep_vars=True)
    versions_before = {k: v._version for k, v in state.items()}
    all_buffers = dict(model.named_buffers())
    buffer_versions = {k: v._version for k, v in all_buffers.items()}
    torch.manual_seed(0)
    model.init_weights()
    BaseModule._dump_init_info = original_dump
    logger.removeHandler(handler)
    logger.setLevel(old_level)

    logged = {}
    for level, msg in records:
        if msg.startswith('\n') and ' - torch.Size(' in msg:
            head, _, info = msg.strip('\n ').partition(': \n')
            logged[head.split(' - ')[0]] = info.strip()
    # MMEngine's own init messages (the registry's DEBUG chatter about imports and lookups is left out).
    init_logs = [[lvl, msg] for lvl, msg in records
                 if not msg.startswith('\n') and (lvl != 'DEBUG' or msg.startswith('initialize '))]

    params = dict(model.named_parameters())
    entries = []
    for name, t in model.state_dict(keep_vars=True).items():
        is_param = name in params
        e = {
            'name': name,
            'kind': 'parameter' if is_param else 'buffer',
            'shape': list(t.shape),
            'dtype': str(t.dtype).replace('torch.', ''),
            'requires_grad': t.requires_grad if is_param else None,
            'sha256': _sha(t),
            'written_by_init': t._version != versions_before[name],
            'init_info': labels.get(name) if is_param else None,
        }
        e.update(_stats(t))
        entries.append(e)
    in_state = set(model.state_dict().keys())
    non_persistent = []
    for name, b in all_buffers.items():
        if name in in_state:
            continue
        e = {'name': name, 'shape': list(b.shape), 'dtype': str(b.dtype).replace('torch.', ''), 'sha256': _sha(b)}
        e.update(_stats(b))
        e['written_by_init'] = b._version != buffer_versions[name]
        non_persistent.append(e)

    modules = []
    classes = collections.OrderedDict()
    for path, m in model.named_modules():
        direct = sum(p.numel() for p in m.parameters(recurse=False))
        row = {'path': path, 'class': _qual(type(m)), 'base_module': isinstance(m, BaseModule),
               'init_weights_owner': _owner(m), 'direct_params': direct}
        if isinstance(m, BaseModule):
            row['init_cfg'] = init_cfg_tree.get(path)
            row['is_init_after'] = bool(getattr(m, '_is_init', False))
        modules.append(row)
        c = classes.setdefault(row['class'], {'count': 0, 'base_module': row['base_module'],
                                              'init_weights_owner': row['init_weights_owner'], 'params': 0, 'init_cfgs': []})
        c['count'] += 1
        c['params'] += direct
        if isinstance(m, BaseModule) and row['init_cfg'] not in c['init_cfgs']:
            c['init_cfgs'].append(row['init_cfg'])
    not_reached = [r['path'] for r in modules if r['base_module'] and not r['is_init_after']]

    param_entries = [e for e in entries if e['kind'] == 'parameter']
    summary = {
        'parameters_total': sum(p.numel() for p in params.values()),
        'parameters_trainable': sum(p.numel() for p in params.values() if p.requires_grad),
        'parameter_tensors': len(param_entries),
        'buffer_tensors_in_state_dict': len(entries) - len(param_entries),
        'parameter_tensors_written_by_init': sum(e['written_by_init'] for e in param_entries),
        'parameter_tensors_not_written_by_init': [e['name'] for e in param_entries if not e['written_by_init']],
        'init_info_labels': dict(collections.Counter(e['init_info'] for e in param_entries)),
        'classes': classes,
    }
    doc = {
        'config': config,
        'config_files': [{'file': f, 'sha256': hashlib.sha256(open(os.path.join(root, f), 'rb').read()).hexdigest()}
                         for f in _bases(root, config, set())],
        'versions': {'mmdet': mmdet.__version__, 'mmcv': mmcv.__version__, 'mmengine': mmengine.__version__,
                     'torch': torch.__version__, 'numpy': numpy.__version__, 'python': sys.version.split()[0]},
        'seed': 0,
        'build_seed': 1,
        'procedure': [
            'cfg = mmengine.Config.fromfile(config)',
            'model_cfg = copy.deepcopy(cfg.model); Pretrained init_cfgs removed (see changes)',
            "mmdet.utils.register_all_modules()  # default scope 'mmdet'",
            'torch.manual_seed(build_seed); model = mmdet.registry.MODELS.build(model_cfg)',
            'torch.manual_seed(seed); model.init_weights()',
        ],
        'stubs': ['mmcv._ext (compiled kernels; raise when called, none is called)', 'pycocotools (data-only, not packaged by Debian)'],
        'pretrained_requested': requested,
        'changes': changes,
        'load_from': cfg.get('load_from'),
        'cfg_model': cfg_model,
        'cfg_model_built': cfg_model_built,
        'init_info_log_agrees': all(logged.get(e['name']) == e['init_info'].strip() for e in param_entries) if logged else None,
        'init_cfg_tree': init_cfg_tree,
        'modules': modules,
        'not_reached': not_reached,
        'init_weights_calls': calls,
        'init_logs': init_logs,
        'state': entries,
        'non_persistent_buffers': non_persistent,
        'summary': summary,
    }
    with open(out, 'w', encoding='utf-8') as f:
        json.dump(doc, f, indent=1)
    print(f'{config}: {len(entries)} state entries, {summary["parameter_tensors_written_by_init"]}/{len(param_entries)} parameters written')


if __name__ == '__main__':
    main(*sys.argv[1:4])
