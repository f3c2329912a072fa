"""PyTorch's side of the peer cases of bench/InitCfg.Bench (build-resnet152-pytorch, load-resnet50-pytorch).

Run by the bench with Debian's python3-torch and python3-torchvision (PYTORCH_PYTHON picks the interpreter, default
/usr/bin/python3). Usage: python3 pytorch_peer.py build <repetitions>
                          python3 pytorch_peer.py load <repetitions> <resnet50 .pth written by InitCfg>

Prints one JSON line with the median seconds after one warm-up (the interpreter start and the imports are not
counted, as the .NET side does not count its own start): `build` times torchvision.models.resnet152() (PyTorch's
default init included, as InitCfg's build includes its construction draws); `load` times
model.load_state_dict(torch.load(file)) into an existing torchvision resnet50 (strict, the file's keys are
torchvision's).
"""
import json
import statistics
import sys
import time

import torch
import torchvision


def timed(reps, fn):
    fn()
    xs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        xs.append(time.perf_counter() - t)
    return statistics.median(xs)


def main(argv):
    task, reps = argv[1], int(argv[2])
    if task == 'build':
        seconds = timed(reps, torchvision.models.resnet152)
    elif task == 'load':
        model = torchvision.models.resnet50()
        seconds = timed(reps, lambda: model.load_state_dict(torch.load(argv[3])))
    else:
        raise SystemExit(f'unknown task {task}')
    print(json.dumps({'seconds': seconds, 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                      'python': sys.version.split()[0]}))


if __name__ == '__main__':
    main(sys.argv)
