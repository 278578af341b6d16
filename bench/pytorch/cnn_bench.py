#!/usr/bin/env python3
"""PyTorch side of FisherKit's benchmark (bench/FisherKit.Bench launches it in the same run).

Times, with the same model, data shapes, thread count, warm-up and repeats as the C# side:
  gemm      a float32 matmul of n x n matrices (GFLOP/s)
  conv      the CNN's second convolution (32 -> 64 channels, 3x3, 26x26 inputs) over a batch of 64
  train     one training step of the small CNN (forward, cross entropy, backward, Adam step)
  hvp       one Hessian-vector product of the mean loss w.r.t. all parameters by double backward
Prints one JSON object on the last line of stdout; times are seconds per step (min and median
over repeats, each repeat averaging `inner` steps), wall clock and process CPU time (all threads).
"""
import argparse
import json
import platform
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10))


def timed(fn, warmup, repeats, inner):
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
        cpu.append((time.process_time() - c0) / inner)
    return {"min": min(times), "median": statistics.median(times), "all": times, "inner": inner,
            "cpu_min": min(cpu), "cpu_median": statistics.median(cpu), "cpu_all": cpu}


def bench_gemm(n, warmup, repeats):
    g = torch.Generator().manual_seed(0)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    r = timed(lambda: torch.mm(a, b), warmup, repeats, 3)
    r["gflops_best"] = 2 * n ** 3 / r["min"] / 1e9
    return r


def bench_conv(warmup, repeats):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 32, 26, 26, generator=g).relu()
    w = torch.randn(64, 32, 3, 3, generator=g)
    r = timed(lambda: F.conv2d(x, w), warmup, repeats, 3)
    r["gflops_best"] = 2 * 64 * 24 * 24 * 64 * 32 * 9 / r["min"] / 1e9
    return r


def bench_train(batch, warmup, repeats, inner):
    """A training run over `inner` mini-batches of images in [0, 1] (as the C# side) from a fresh Adam,
    as FisherKit's Fit starts one; times per step."""
    torch.manual_seed(0)
    model = cnn()
    xs = torch.rand(batch * inner, 1, 28, 28).split(batch)
    ys = torch.randint(0, 10, (batch * inner,)).split(batch)

    def run():
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        for i in range(inner):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xs[i]), ys[i])
            loss.backward()
            opt.step()

    r = timed(run, min(warmup, 1), repeats, 1)   # one warm-up run
    for k in ("min", "median", "cpu_min", "cpu_median"):
        r[k] /= inner
    r["all"] = [t / inner for t in r["all"]]
    r["cpu_all"] = [t / inner for t in r["cpu_all"]]
    r["inner"] = inner
    return r


def bench_hvp(batch, warmup, repeats, inner):
    torch.manual_seed(0)
    model = cnn()
    params = list(model.parameters())
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    v = [torch.randn_like(p) for p in params]

    def hvp():
        loss = F.cross_entropy(model(x), y)
        grads = torch.autograd.grad(loss, params, create_graph=True)
        dot = sum((g * vi).sum() for g, vi in zip(grads, v))
        return torch.autograd.grad(dot, params)

    return timed(hvp, warmup, repeats, inner)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--gemm-n", type=int, default=1024)
    ap.add_argument("--inner64", type=int, default=4)
    ap.add_argument("--inner1", type=int, default=500)
    ap.add_argument("--hvp-batch", type=int, default=64)
    ap.add_argument("--inner-hvp", type=int, default=2)
    ap.add_argument("--mkldnn", choices=["on", "off"], help="torch.backends.mkldnn.enabled (default: as installed)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.mkldnn is not None:
        torch.backends.mkldnn.enabled = a.mkldnn == "on"
    out = {"torch_version": torch.__version__, "mkldnn_enabled": torch.backends.mkldnn.enabled, "python": platform.python_version(), "threads": torch.get_num_threads(),
           "gemm": bench_gemm(a.gemm_n, a.warmup, a.repeats),
           "conv": bench_conv(a.warmup, a.repeats),
           "train_batch64": bench_train(64, a.warmup, a.repeats, a.inner64),
           "train_batch1": bench_train(1, a.warmup, a.repeats, a.inner1),
           "hvp": bench_hvp(a.hvp_batch, a.warmup, a.repeats, a.inner_hvp)}
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
