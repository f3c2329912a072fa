"""Loads a sharded safetensors checkpoint through its model.safetensors.index.json with torch alone (safetensors is not
packaged for Debian 12), reading each shard by the format's documented layout: an 8-byte little-endian header length,
a JSON header (dtype, shape, data_offsets per tensor, optional __metadata__), then the data. Compares every tensor
with a .pth export of the same model and checks the index as transformers reads it. Prints one JSON line."""
import json
import os
import re
import struct
import sys

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
          "BOOL": torch.bool}


def read_shard(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = memoryview(data)[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        raw = bytearray(body[begin:end])
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"])
    return header.get("__metadata__", {}), out


def main(index_path, pth_path):
    folder = os.path.dirname(index_path)
    with open(index_path) as f:
        index = json.load(f)
    weight_map = index["weight_map"]
    files = sorted(set(weight_map.values()))
    pattern = re.compile(r"^model-(\d{5})-of-(\d{5})\.safetensors$")
    for i, name in enumerate(files):
        m = pattern.match(name)
        assert m and int(m.group(1)) == i + 1 and int(m.group(2)) == len(files), name
    state = {}
    for name in files:
        metadata, tensors = read_shard(os.path.join(folder, name))
        assert metadata.get("format") == "pt", metadata
        assert set(tensors) == {k for k, v in weight_map.items() if v == name}, name
        state.update(tensors)
    total = sum(t.numel() * t.element_size() for t in state.values())
    assert index["metadata"]["total_size"] == total, (index["metadata"], total)
    expected = torch.load(pth_path)
    assert list(sorted(expected)) == list(sorted(state)), (sorted(expected), sorted(state))
    for k, v in expected.items():
        assert state[k].dtype == v.dtype and torch.equal(state[k], v), k
    print(json.dumps({"shards": len(files), "tensors": len(state), "total_size": total}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
