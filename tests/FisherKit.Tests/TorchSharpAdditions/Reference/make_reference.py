#!/usr/bin/env python3
"""Reference values from PyTorch for the tests of FisherKit's TorchSharp additions.

Run with Debian's python3-torch (any PyTorch gives the same values; the committed ones came from 1.13):

    /usr/bin/python3 tests/FisherKit.Tests/TorchSharpAdditions/Reference/make_reference.py

It writes, next to this script:
  reference.json               a small CNN's weights, input, loss, gradient and Hessian-vector
                               product (SafeAutogradTests), five Adam steps from those weights,
                               the safetensors sample tensors (SafetensorsTests), and Adam's
                               parameters after six steps with given gradients for several
                               settings and two parameter groups (FusedAdamTests)
  python_written.safetensors   a safetensors file written by this script (by hand, following the
                               format, when Python's `safetensors` package is not installed)
and validates csharp_written.safetensors (written by FisherKit's Safetensors.Save, committed) by
parsing it independently; its SHA-256 and parsed values go into reference.json.

The tests only read the committed files; CI needs neither Python nor torch.
"""
import hashlib
import json
import math
import pathlib
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
torch.set_num_threads(1)  # deterministic reduction order


def enc(t):
    """A tensor as {dtype, shape, data} with flat row-major data (exact for float32/float64)."""
    t = t.detach().cpu()
    name = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}[t.dtype]
    flat = t.reshape(-1)
    data = flat.to(torch.int64).tolist() if t.dtype == torch.bool else flat.tolist()
    return {"dtype": name, "shape": list(t.shape), "data": data}


def gen(seed):
    return torch.Generator().manual_seed(seed)


def randn(*shape, seed, dtype=torch.float32):
    return torch.randn(*shape, generator=gen(seed), dtype=dtype)


# ---------------------------------------------------------------- a small CNN: gradient, HVP, training

def small_cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(128, 16), nn.Tanh(), nn.Linear(16, 10))


def cnn_reference():
    torch.manual_seed(99)
    model = small_cnn().double()
    x = randn(4, 1, 12, 12, seed=50, dtype=torch.float64)
    y = torch.tensor([3, 7, 0, 9])
    params = list(model.parameters())
    names = [n for n, _ in model.named_parameters()]
    loss = F.cross_entropy(model(x), y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    g = torch.Generator().manual_seed(51)
    vs = [torch.randn(p.shape, generator=g, dtype=torch.float64) for p in params]
    gv = sum((gi * vi).sum() for gi, vi in zip(grads, vs))
    hv = torch.autograd.grad(gv, params)
    state = {k: enc(v) for k, v in model.state_dict().items()}
    ref = {"state": state, "input": enc(x), "target": enc(y), "loss": loss.item(),
           "grad": {n: enc(t) for n, t in zip(names, grads)},
           "v": {n: enc(t) for n, t in zip(names, vs)},
           "hvp": {n: enc(t) for n, t in zip(names, hv)}}

    # Five Adam steps (with weight decay and amsgrad) on the same batch, from the same weights.
    opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-3, amsgrad=True)
    losses = []
    for _ in range(5):
        opt.zero_grad(set_to_none=True)
        l = F.cross_entropy(model(x), y)
        l.backward()
        opt.step()
        losses.append(l.item())
    ref["adam_losses"] = losses
    ref["state_after_adam"] = {k: enc(v) for k, v in model.state_dict().items()}
    return ref


# ---------------------------------------------------------------- Adam settings with given gradients

ADAM_SETTINGS = {
    "plain": {},
    "weight_decay": {"weight_decay": 0.05},
    "amsgrad": {"amsgrad": True, "weight_decay": 1e-3},
    "maximize": {"maximize": True, "betas": (0.8, 0.95), "eps": 1e-6},
}


def adam_reference():
    """Six Adam steps with given gradients (float32 and float64): a matrix, a vector and a 4-d tensor in
    two parameter groups (the second with its own learning rate), for each setting of ADAM_SETTINGS."""
    shapes = [(5, 7), (7,), (3, 2, 3, 3)]
    out = {"steps": 6, "lr": 0.01, "lr_group2": 0.003, "settings": {}}
    for dtype in (torch.float32, torch.float64):
        key = "float32" if dtype == torch.float32 else "float64"
        start = [randn(*s, seed=200 + i, dtype=dtype) for i, s in enumerate(shapes)]
        grads = [[randn(*s, seed=300 + 10 * t + i, dtype=dtype) * (1 + t) for i, s in enumerate(shapes)] for t in range(6)]
        out[key] = {"start": [enc(t) for t in start], "grads": [[enc(g) for g in gs] for gs in grads], "after": {}}
        for name, kw in ADAM_SETTINGS.items():
            ps = [t.clone().requires_grad_() for t in start]
            opt = torch.optim.Adam([{"params": ps[:2]}, {"params": ps[2:], "lr": out["lr_group2"]}], lr=out["lr"], **kw)
            for gs in grads:
                for p, g in zip(ps, gs):
                    p.grad = g.clone()
                opt.step()
            out[key]["after"][name] = [enc(p) for p in ps]
    out["settings"] = {k: {kk: list(vv) if isinstance(vv, tuple) else vv for kk, vv in v.items()} for k, v in ADAM_SETTINGS.items()}
    return out


# ---------------------------------------------------------------- safetensors, both directions

SAFETENSORS_CODES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.int64: "I64",
                     torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}
CODE_DTYPES = {v: k for k, v in SAFETENSORS_CODES.items()}


def sample_tensors():
    """The tensors both sides write; FisherKit's test builds the same ones."""
    return {"weight": (torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8 - 0.5),
            "bias": torch.tensor([1.0 / 3, -2.5, 1e-300], dtype=torch.float64),
            "index": torch.tensor([[0, -1], [1 << 40, 7]], dtype=torch.int64),
            "mask": torch.tensor([True, False, True]),
            "half": torch.tensor([0.5, -2.0, 65504.0], dtype=torch.float16),
            "bytes": torch.tensor([0, 1, 255], dtype=torch.uint8),
            "count": torch.tensor(42, dtype=torch.int32),
            "empty": torch.zeros(0, 3, dtype=torch.float32)}


def write_safetensors_by_hand(path, tensors, metadata):
    """The format: u64 little-endian header size N, N bytes of JSON (space padded), then the data."""
    names = sorted(tensors)  # any order is valid; this script uses name order
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for n in names:
        t = tensors[n].contiguous()
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""  # little-endian host
        header[n] = {"dtype": SAFETENSORS_CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    js = json.dumps(header, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 8)
    path.write_bytes(struct.pack("<Q", len(js)) + js + b"".join(blobs))


def read_safetensors_by_hand(path):
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    covered = sorted((v["data_offsets"][0], v["data_offsets"][1]) for v in header.values())
    pos = 0
    for b, e in covered:
        assert b == pos, f"gap or overlap at byte {b}"
        pos = e
    assert pos == len(data), "data section not fully covered"
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        dt = CODE_DTYPES[info["dtype"]]
        buf = bytearray(data[b:e])
        t = torch.frombuffer(buf, dtype=dt) if len(buf) else torch.zeros(0, dtype=dt)
        out[name] = t.reshape(info["shape"]).clone()
    return out, meta, header


def safetensors_reference():
    tensors = sample_tensors()
    meta = {"format": "pt", "source": "make_reference.py"}
    py_path = HERE / "python_written.safetensors"
    try:
        from safetensors.torch import save_file  # used when available
        save_file(tensors, str(py_path), metadata=meta)
        writer = "safetensors.torch.save_file"
    except ImportError:
        write_safetensors_by_hand(py_path, tensors, meta)
        writer = "by hand (Python safetensors package not installed)"
    # Read back our own file independently, as a check of the writer.
    back, _, _ = read_safetensors_by_hand(py_path)
    for k, v in tensors.items():
        assert torch.equal(back[k], v), k
    ref = {"python_file": py_path.name, "python_writer": writer, "python_metadata": meta,
           "tensors": {k: {"code": SAFETENSORS_CODES[v.dtype], "shape": list(v.shape),
                           "values": v.to(torch.float64).reshape(-1).tolist()} for k, v in tensors.items()}}
    cs_path = HERE / "csharp_written.safetensors"
    if cs_path.exists():
        loaded, cs_meta, header = read_safetensors_by_hand(cs_path)
        assert set(loaded) == set(tensors), f"names {sorted(loaded)}"
        for k, v in tensors.items():
            assert loaded[k].dtype == v.dtype and list(loaded[k].shape) == list(v.shape), k
            assert torch.equal(loaded[k], v), f"values of {k}"
        try:
            from safetensors.torch import load_file
            for k, v in load_file(str(cs_path)).items():
                assert torch.equal(v, tensors[k]), k
        except ImportError:
            pass
        ref["csharp_file"] = cs_path.name
        ref["csharp_file_sha256"] = hashlib.sha256(cs_path.read_bytes()).hexdigest()
        ref["csharp_metadata"] = cs_meta
        ref["csharp_validated"] = "names, dtypes, shapes and values equal the sample tensors; offsets tile the data"
    else:
        print("note: csharp_written.safetensors is missing; run the C# tests once and copy it here", file=sys.stderr)
    return ref


def main():
    ref = {"generator": "tests/FisherKit.Tests/TorchSharpAdditions/Reference/make_reference.py",
           "torch_version": torch.__version__,
           "cnn": cnn_reference(),
           "safetensors": safetensors_reference(),
           "adam": adam_reference()}
    path = HERE / "reference.json"
    path.write_text(json.dumps(ref, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
