"""Times MMEngine's Config.fromfile over the configs the read-mmdet-configs case reads.

Run by bench/InitCfg.Bench (case read-mmdet-configs) when MMENGINE_SRC names a folder holding MMEngine's
source (the folder with the `mmengine` package in it); see bench/README.md. Nothing here installs or fetches
MMEngine: the user provides it. Only `mmengine.config.Config` is imported.

Usage: python3 mmengine_fromfile.py <files-root> <configs.txt> <repetitions> <largest-config>

Prints one JSON line: the median seconds to read every config once (after one warm-up pass, so the
interpreter start and the import of MMEngine are not counted, as the .NET side does not count its own start),
and the median seconds to read the largest config alone.
"""
import json
import os
import statistics
import sys
import time


def main(argv):
    root, listing, reps, largest = argv[1], argv[2], int(argv[3]), argv[4]
    src = os.environ.get('MMENGINE_SRC')
    if src:
        sys.path.insert(0, src)
    from mmengine.config import Config  # noqa: E402 (the path above comes first)
    import mmengine

    with open(listing, encoding='utf-8') as f:
        configs = [os.path.join(root, line.strip()) for line in f if line.strip()]

    def read_all():
        for c in configs:
            Config.fromfile(c)

    read_all()  # warm-up: imports done lazily by MMEngine and the OS file cache
    totals = []
    for _ in range(reps):
        t = time.perf_counter()
        read_all()
        totals.append(time.perf_counter() - t)
    one = []
    for _ in range(reps):
        t = time.perf_counter()
        Config.fromfile(largest)
        one.append(time.perf_counter() - t)
    print(json.dumps({
        'mmengine': mmengine.__version__,
        'python': sys.version.split()[0],
        'configs': len(configs),
        'all_s': statistics.median(totals),
        'largest_s': statistics.median(one),
    }))


if __name__ == '__main__':
    main(sys.argv)
