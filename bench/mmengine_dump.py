"""Writes MMEngine's Config.dump() text of every config the export-mmdet-configs case compares, and times it.

Run by bench/InitCfg.Bench (case export-mmdet-configs) when MMENGINE_SRC names a folder holding MMEngine's
source (the folder with the `mmengine` package in it); see bench/README.md. Nothing here installs or fetches
MMEngine or yapf: the user provides them. Only `mmengine.config.Config` is imported.

Usage: python3 mmengine_dump.py <files-root> <configs.txt> <out-folder>

Writes <out-folder>/<config path> = Config.fromfile(<config>).dump() (for a .py config, its pretty_text), and
prints one JSON line: versions, the number of configs, and the seconds spent in dump() alone (the reading by
Config.fromfile is not counted, as the .NET side times its rendering of configs already read).
"""
import json
import os
import sys
import time


def main(argv):
    root, listing, out = argv[1], argv[2], argv[3]
    src = os.environ.get('MMENGINE_SRC')
    if src:
        sys.path.insert(0, src)
    from mmengine.config import Config  # noqa: E402 (the path above comes first)
    import mmengine
    import yapf

    with open(listing, encoding='utf-8') as f:
        names = [line.strip() for line in f if line.strip()]
    dump_s = 0.0
    failed = []
    for name in names:
        try:
            cfg = Config.fromfile(os.path.join(root, name))
            t = time.perf_counter()
            text = cfg.dump()
            dump_s += time.perf_counter() - t
        except Exception as e:  # noqa: BLE001 (reported per config, the others still run)
            failed.append(f'{name}: {type(e).__name__}: {e}'[:300])
            continue
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(text)
    print(json.dumps({
        'mmengine': mmengine.__version__,
        'yapf': yapf.__version__,
        'python': sys.version.split()[0],
        'configs': len(names) - len(failed),
        'dump_s': dump_s,
        'failed': failed,
    }))


if __name__ == '__main__':
    main(sys.argv)
