#!/usr/bin/env python3
"""Reference values from PyTorch for the FisherKit.Torch tests.

Run with Debian's python3-torch (the same libtorch 1.13 that FisherKit binds):

    /usr/bin/python3 tests/FisherKit.Torch.Tests/Reference/make_reference.py

It writes, next to this script:
  reference.json               inputs and PyTorch's outputs (module outputs for fixed weights,
                               functional ops, losses with gradients, optimiser trajectories,
                               learning-rate schedules, random streams, a CNN's gradient and
                               Hessian-vector product, a short training run)
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


# ---------------------------------------------------------------- modules with fixed weights

def module_case(module, x, train=False):
    module.train(train)
    state = {k: enc(v) for k, v in module.state_dict().items()}
    y = module(x)
    case = {"state": state, "input": enc(x), "output": enc(y), "training": train}
    if train:
        case["state_after"] = {k: enc(v) for k, v in module.state_dict().items()}
    return case


def modules():
    torch.manual_seed(1234)
    out = {}
    out["Linear"] = module_case(nn.Linear(4, 3), randn(2, 4, seed=1))
    out["Linear without bias"] = module_case(nn.Linear(4, 3, bias=False), randn(5, 4, seed=2))
    out["Conv1d"] = module_case(nn.Conv1d(2, 3, 3, stride=2, padding=1), randn(2, 2, 9, seed=3))
    out["Conv2d"] = module_case(nn.Conv2d(2, 3, 3, padding=1), randn(2, 2, 5, 6, seed=4))
    out["Conv2d dilation and groups"] = module_case(nn.Conv2d(4, 6, 2, dilation=2, groups=2), randn(1, 4, 7, 7, seed=5))
    out["ConvTranspose2d"] = module_case(nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), randn(2, 2, 4, 4, seed=6))
    bn1 = nn.BatchNorm1d(3)
    with torch.no_grad():
        bn1.weight.copy_(torch.tensor([1.5, 0.5, -1.0]))
        bn1.bias.copy_(torch.tensor([0.1, -0.2, 0.3]))
    out["BatchNorm1d training"] = module_case(bn1, randn(6, 3, seed=7) * 2 + 1, train=True)
    out["BatchNorm1d eval"] = module_case(bn1, randn(4, 3, seed=8), train=False)
    bn2 = nn.BatchNorm2d(2, momentum=0.3, eps=1e-3)
    out["BatchNorm2d training"] = module_case(bn2, randn(3, 2, 4, 4, seed=9) * 3 - 1, train=True)
    out["BatchNorm2d eval"] = module_case(bn2, randn(2, 2, 3, 3, seed=10), train=False)
    ln = nn.LayerNorm([3, 4])
    with torch.no_grad():
        ln.weight.copy_(randn(3, 4, seed=11))
        ln.bias.copy_(randn(3, 4, seed=12))
    out["LayerNorm"] = module_case(ln, randn(2, 3, 4, seed=13))
    gn = nn.GroupNorm(2, 4)
    with torch.no_grad():
        gn.weight.copy_(randn(4, seed=14))
        gn.bias.copy_(randn(4, seed=15))
    out["GroupNorm"] = module_case(gn, randn(2, 4, 3, seed=16))
    x = randn(2, 3, 6, 6, seed=17)
    out["MaxPool2d"] = module_case(nn.MaxPool2d(2), x)
    out["MaxPool2d stride and padding"] = module_case(nn.MaxPool2d(3, stride=2, padding=1), x)
    out["AvgPool2d"] = module_case(nn.AvgPool2d(3, stride=2, padding=1), x)
    out["AdaptiveAvgPool2d"] = module_case(nn.AdaptiveAvgPool2d((2, 4)), x)
    out["MaxPool1d"] = module_case(nn.MaxPool1d(3, stride=2, padding=1), randn(2, 3, 8, seed=18))
    out["Upsample bilinear"] = module_case(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), randn(1, 2, 3, 3, seed=19))
    out["Upsample nearest"] = module_case(nn.Upsample(scale_factor=2, mode="nearest"), randn(1, 2, 3, 3, seed=19))
    a = randn(3, 5, seed=20) * 2
    for name, m in [("ReLU", nn.ReLU()), ("LeakyReLU", nn.LeakyReLU(0.2)), ("ELU", nn.ELU(1.3)), ("GELU", nn.GELU()),
                    ("GELU tanh", nn.GELU(approximate="tanh")), ("SiLU", nn.SiLU()), ("Tanh", nn.Tanh()), ("Sigmoid", nn.Sigmoid()),
                    ("Softplus", nn.Softplus(beta=2, threshold=3)), ("Softmax", nn.Softmax(1)), ("LogSoftmax", nn.LogSoftmax(1)),
                    ("Flatten", nn.Flatten()), ("Identity", nn.Identity())]:
        out[name] = module_case(m, a)
    mlp = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.GELU(), nn.LayerNorm([8]), nn.Linear(8, 2))
    out["Sequential MLP"] = module_case(mlp, randn(5, 4, seed=21))
    return out


def init_reference():
    """Default initialisation of layers created right after manual_seed (same generator, same order)."""
    torch.manual_seed(2024)
    lin = nn.Linear(5, 3)
    conv = nn.Conv2d(2, 4, 3)
    convt = nn.ConvTranspose2d(2, 3, 2)
    return {"seed": 2024, "Linear(5, 3)": {k: enc(v) for k, v in lin.state_dict().items()},
            "Conv2d(2, 4, 3)": {k: enc(v) for k, v in conv.state_dict().items()},
            "ConvTranspose2d(2, 3, 2)": {k: enc(v) for k, v in convt.state_dict().items()}}


# ---------------------------------------------------------------- functional ops and losses

def functional():
    out = {}
    x = randn(1, 2, 4, 5, seed=30, dtype=torch.float64)

    def case(name, inputs, y, **grads):
        c = {"inputs": {k: enc(v) for k, v in inputs.items()}, "output": enc(y)}
        c.update({f"grad_{k}": enc(v) for k, v in grads.items()})
        out[name] = c

    case("interpolate nearest size", {"x": x}, F.interpolate(x, size=(7, 3), mode="nearest"))
    case("interpolate bilinear scale", {"x": x}, F.interpolate(x, scale_factor=(1.5, 2.0), mode="bilinear", align_corners=False))
    case("interpolate bilinear align_corners", {"x": x}, F.interpolate(x, size=(6, 9), mode="bilinear", align_corners=True))
    case("interpolate bicubic", {"x": x}, F.interpolate(x, size=(6, 7), mode="bicubic", align_corners=False))
    x1 = randn(2, 3, 5, seed=31, dtype=torch.float64)
    case("interpolate linear", {"x": x1}, F.interpolate(x1, size=8, mode="linear", align_corners=False))
    theta = torch.tensor([[[0.9, -0.2, 0.1], [0.3, 1.1, -0.05]]], dtype=torch.float64)
    grid = F.affine_grid(theta, [1, 2, 3, 4], align_corners=False)
    case("affine_grid", {"theta": theta}, grid)
    case("grid_sample bilinear zeros", {"x": x[:, :, :, :4], "grid": grid}, F.grid_sample(x[:, :, :, :4], grid, align_corners=False))
    case("grid_sample nearest border", {"x": x[:, :, :, :4], "grid": grid}, F.grid_sample(x[:, :, :, :4], grid, mode="nearest", padding_mode="border", align_corners=False))
    case("unfold", {"x": x}, F.unfold(x, (2, 3), padding=1, stride=(2, 1)))
    case("pad reflect", {"x": x}, F.pad(x, (2, 1, 1, 2), mode="reflect"))
    case("pad circular", {"x": x}, F.pad(x, (1, 2, 2, 1), mode="circular"))
    case("pad replicate", {"x": x}, F.pad(x, (1, 0, 0, 2), mode="replicate"))

    # losses: values and gradients with respect to the prediction
    logits = randn(6, 4, seed=32, dtype=torch.float64).requires_grad_()
    labels = torch.tensor([0, 3, 1, 1, 2, 3])
    weights = torch.tensor([0.2, 1.5, 1.0, 3.0], dtype=torch.float64)

    def loss_case(name, pred, fn, **extra):
        y = fn(pred)
        g, = torch.autograd.grad(y.sum(), [pred])
        c = {"inputs": {k: enc(v) for k, v in extra.items()}, "pred": enc(pred), "output": enc(y), "grad_pred": enc(g)}
        out[name] = c

    loss_case("cross_entropy", logits, lambda p: F.cross_entropy(p, labels), target=labels)
    loss_case("cross_entropy class weights", logits, lambda p: F.cross_entropy(p, labels, weight=weights), target=labels, weight=weights)
    loss_case("cross_entropy class weights sum", logits, lambda p: F.cross_entropy(p, labels, weight=weights, reduction="sum"), target=labels, weight=weights)
    loss_case("cross_entropy class weights none", logits, lambda p: F.cross_entropy(p, labels, weight=weights, reduction="none"), target=labels, weight=weights)
    loss_case("cross_entropy class weights label_smoothing", logits, lambda p: F.cross_entropy(p, labels, weight=weights, label_smoothing=0.1), target=labels, weight=weights)
    ignored = torch.tensor([0, -100, 1, 1, -100, 3])
    loss_case("cross_entropy ignore_index", logits, lambda p: F.cross_entropy(p, ignored, weight=weights), target=ignored, weight=weights)
    probs = torch.softmax(randn(6, 4, seed=33, dtype=torch.float64), 1)
    loss_case("cross_entropy probability targets", logits, lambda p: F.cross_entropy(p, probs), target=probs)
    loss_case("nll_loss class weights", logits, lambda p: F.nll_loss(F.log_softmax(p, 1), labels, weight=weights), target=labels, weight=weights)
    pred = randn(3, 4, seed=34, dtype=torch.float64).requires_grad_()
    tgt = randn(3, 4, seed=35, dtype=torch.float64)
    loss_case("mse_loss", pred, lambda p: F.mse_loss(p, tgt), target=tgt)
    loss_case("l1_loss sum", pred, lambda p: F.l1_loss(p, tgt, reduction="sum"), target=tgt)
    loss_case("smooth_l1_loss", pred, lambda p: F.smooth_l1_loss(p, tgt, beta=0.5), target=tgt)
    loss_case("huber_loss", pred, lambda p: F.huber_loss(p, tgt, delta=0.7), target=tgt)
    t01 = torch.rand(3, 4, generator=gen(36), dtype=torch.float64)
    posw = torch.tensor([0.5, 1.0, 2.0, 4.0], dtype=torch.float64)
    loss_case("binary_cross_entropy_with_logits pos_weight", pred, lambda p: F.binary_cross_entropy_with_logits(p, t01, pos_weight=posw), target=t01, pos_weight=posw)
    loss_case("binary_cross_entropy", pred, lambda p: F.binary_cross_entropy(torch.sigmoid(p), t01), target=t01)
    loss_case("kl_div batchmean-free sum", pred, lambda p: F.kl_div(F.log_softmax(p, 1), torch.softmax(tgt, 1), reduction="sum"), target=torch.softmax(tgt, 1))
    var = torch.tensor([[0.5, 1e-8, 2.0, 0.3], [1.0, 0.7, 1e-7, 4.0], [0.2, 0.2, 0.9, 1.5]], dtype=torch.float64)
    loss_case("gaussian_nll_loss (two variances below eps)", pred, lambda p: F.gaussian_nll_loss(p, tgt, var), target=tgt, var=var)
    loss_case("gaussian_nll_loss full sum", pred, lambda p: F.gaussian_nll_loss(p, tgt, var, full=True, reduction="sum"), target=tgt, var=var)
    varg = var.clone().requires_grad_()
    y = F.gaussian_nll_loss(pred.detach(), tgt, varg)
    gv, = torch.autograd.grad(y, [varg])
    out["gaussian_nll_loss gradient with respect to var"] = {"inputs": {"pred": enc(pred), "target": enc(tgt), "var": enc(var)},
                                                             "output": enc(y), "grad_var": enc(gv)}
    return out


def linalg():
    a = randn(4, 4, seed=40, dtype=torch.float64)
    spd = a @ a.T + 4 * torch.eye(4, dtype=torch.float64)
    b = randn(4, 2, seed=41, dtype=torch.float64)
    rect = randn(5, 3, seed=42, dtype=torch.float64)
    q, r = torch.linalg.qr(rect)
    u, s, vh = torch.linalg.svd(rect, full_matrices=False)
    sign, logabsdet = torch.linalg.slogdet(a)
    return {"inputs": {"a": enc(a), "spd": enc(spd), "b": enc(b), "rect": enc(rect)},
            "eigvalsh(spd)": enc(torch.linalg.eigvalsh(spd)),
            "svdvals(rect)": enc(s),
            "solve(spd, b)": enc(torch.linalg.solve(spd, b)),
            "cholesky(spd)": enc(torch.linalg.cholesky(spd)),
            "qr(rect).Q": enc(q), "qr(rect).R": enc(r),
            "inv(a)": enc(torch.linalg.inv(a)),
            "det(a)": enc(torch.linalg.det(a)),
            "slogdet(a).logabsdet": enc(logabsdet), "slogdet(a).sign": enc(sign),
            "pinv(rect)": enc(torch.linalg.pinv(rect)),
            "lstsq(rect, rect @ [1,2,3])": enc(torch.linalg.lstsq(rect, rect @ torch.tensor([[1.0], [2.0], [3.0]], dtype=torch.float64), driver="gelsd").solution),
            "matrix_norm(a, nuc)": enc(torch.linalg.matrix_norm(a, "nuc")),
            "matrix_norm(a, 2)": enc(torch.linalg.matrix_norm(a, 2)),
            "einsum(ij,jk->ik)": enc(torch.einsum("ij,jk->ik", a, b)),
            "cdist(rect, rect)": enc(torch.cdist(rect, rect))}


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


# ---------------------------------------------------------------- optimisers and schedules

def optimisers():
    p0 = torch.tensor([[0.5, -1.0, 2.0], [0.0, 0.3, -0.7]], dtype=torch.float64)
    grads = [torch.tensor([[0.1, -0.2, 0.3], [0.05, 0.0, -0.4]], dtype=torch.float64),
             torch.tensor([[-0.3, 0.1, 0.2], [0.2, -0.1, 0.0]], dtype=torch.float64),
             torch.tensor([[0.02, 0.5, -0.1], [-0.6, 0.3, 0.1]], dtype=torch.float64),
             torch.tensor([[0.4, -0.4, 0.0], [0.1, 0.1, 0.1]], dtype=torch.float64)]
    configs = {
        "SGD": (torch.optim.SGD, dict(lr=0.1)),
        "SGD momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
        "SGD momentum dampening weight_decay": (torch.optim.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)),
        "SGD nesterov weight_decay": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
        "Adam": (torch.optim.Adam, dict(lr=0.01)),
        "Adam betas eps weight_decay": (torch.optim.Adam, dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
        "Adam amsgrad": (torch.optim.Adam, dict(lr=0.01, amsgrad=True)),
        "AdamW": (torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
        "AdamW amsgrad": (torch.optim.AdamW, dict(lr=0.03, betas=(0.85, 0.95), weight_decay=0.05, amsgrad=True)),
    }
    out = {"p0": enc(p0), "grads": [enc(g) for g in grads], "runs": {}}
    for name, (cls, kw) in configs.items():
        p = p0.clone().requires_grad_()
        opt = cls([p], **kw)
        traj = []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            traj.append(enc(p))
        kw = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}
        out["runs"][name] = {"optimizer": cls.__name__, "options": kw, "params": traj}
    return out


def schedules():
    def run(make, epochs):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.1)
        sch = make(opt)
        lrs = [opt.param_groups[0]["lr"]]
        for _ in range(epochs):
            opt.step()
            sch.step()
            lrs.append(opt.param_groups[0]["lr"])
        return lrs

    return {"base_lr": 0.1,
            "StepLR(step_size=3, gamma=0.5)": run(lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5), 10),
            "CosineAnnealingLR(T_max=7, eta_min=0.01)": run(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 7, 0.01), 16),
            "CosineAnnealingLR(T_max=4)": run(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 4), 6)}


# ---------------------------------------------------------------- random streams

def random_streams():
    g = gen(42)
    out = {"generator_seed": 42,
           "randn(5) float32": enc(torch.randn(5, generator=g)),
           "rand(4) float32": enc(torch.rand(4, generator=g)),
           "randint(0, 10, (6,))": enc(torch.randint(0, 10, (6,), generator=g)),
           "randperm(7)": enc(torch.randperm(7, generator=g)),
           "randn(20) float64": enc(torch.randn(20, generator=g, dtype=torch.float64)),
           "multinomial([0.1,0.2,0.3,0.4], 3)": enc(torch.multinomial(torch.tensor([0.1, 0.2, 0.3, 0.4]), 3, generator=g)),
           "bernoulli(0.3 x 8)": enc(torch.bernoulli(torch.full((8,), 0.3), generator=g))}
    torch.manual_seed(7)
    out["manual_seed(7): randn(3, 4)"] = enc(torch.randn(3, 4))
    out["manual_seed(7): then rand(17)"] = enc(torch.rand(17))
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
    ref = {"generator": "tests/FisherKit.Torch.Tests/Reference/make_reference.py",
           "torch_version": torch.__version__,
           "modules": modules(),
           "init": init_reference(),
           "functional": functional(),
           "linalg": linalg(),
           "cnn": cnn_reference(),
           "optim": optimisers(),
           "schedules": schedules(),
           "random": random_streams(),
           "safetensors": safetensors_reference()}
    path = HERE / "reference.json"
    path.write_text(json.dumps(ref, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
