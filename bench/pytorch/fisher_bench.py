#!/usr/bin/env python3
"""PyTorch side of FisherKit's per-input Fisher benchmark (bench/FisherKit.Bench `fisher`).

Reads the model weights and inputs the C# side wrote (a safetensors file, parsed here by hand so
that only torch is needed), then, for the same inputs and the same weights:
  loop_reduced       p/(1-p)*||g||^2 one input at a time (one backward per input)
  loop_form_full_exact  v^T F v along v = g/||g||, exact: J v by double backward (the gradient of
                     <J^T u, v> with respect to a dummy cotangent u), one input at a time
  loop_form_full     v^T F v along v = g/||g|| by the central difference +-eps*v of all parameters,
                     one input at a time (the reference implementation's trick, full form)
  loop_form_tensor   the reference code's per-tensor form with v = g (perturbs one parameter
                     tensor at a time and sums), one input at a time
  loop_trace         tr F(x) from the output Jacobian, one backward pass per class, one input at a time
  batched_reduced    the reduced form with functorch vmap(grad) over the batch
  batched_form_full  the full form along g/||g|| with functorch vmap(jvp) of per-sample gradients
Prints one JSON line: seconds per input for each (wall and process CPU time), and the values of the first inputs, which the C#
side compares with its own (two independent implementations on the same libtorch).
"""
import argparse, json, struct, sys, time

import torch
import torch.nn as nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + b:base + end]), dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
        out[name] = t.clone()
    return out


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10))


def per_second(fn, items):
    c0 = time.process_time()
    t0 = time.perf_counter()
    values = [fn(x) for x in items]
    return (time.perf_counter() - t0) / len(items), (time.process_time() - c0) / len(items), values


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--loop-inputs", type=int, default=200)
    ap.add_argument("--batched-inputs", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--check", type=int, default=8)
    ap.add_argument("--mkldnn", choices=["on", "off"], help="torch.backends.mkldnn.enabled (default: as installed)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.mkldnn is not None:
        torch.backends.mkldnn.enabled = a.mkldnn == "on"
    tensors = read_safetensors(a.file)
    model = cnn()
    model.load_state_dict({k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")})
    model.eval()
    x_all = tensors["inputs"]
    params = list(model.parameters())
    out = {"torch_version": torch.__version__}

    def grad_top(x):
        lp = torch.log_softmax(model(x.unsqueeze(0)), 1)
        top = lp.max()
        return top, torch.autograd.grad(top, params)

    def reduced(x):
        top, g = grad_top(x)
        p = top.exp()
        return (p / (1 - p) * sum((gi * gi).sum() for gi in g)).item()

    def perturbed_logp(x, group, saved, v, eps):
        # Parameters of the group set to theta + eps*v (restored from the saved copies afterwards).
        with torch.no_grad():
            for i in group:
                params[i].copy_(saved[i] + eps * v[i])
            return torch.log_softmax(model(x.unsqueeze(0)), 1).double()

    def fd_form(x, groups_list, normalise, eps=1e-3):
        _, g = grad_top(x)
        if normalise:
            n = torch.sqrt(sum((gi * gi).sum() for gi in g))
            g = [gi / n for gi in g]
        total = 0.0
        for group in groups_list:
            saved = {i: params[i].detach().clone() for i in group}
            lpp = perturbed_logp(x, group, saved, g, eps)
            lpm = perturbed_logp(x, group, saved, g, -eps)
            with torch.no_grad():
                for i in group:
                    params[i].copy_(saved[i])
            total += (((lpp - lpm) * (lpp.exp() - lpm.exp())).sum() / (4 * eps * eps)).item()
        return total

    def exact_form(x):
        z = model(x.unsqueeze(0))
        top = torch.log_softmax(z, 1).max()
        g = torch.autograd.grad(top, params, retain_graph=True)
        n = torch.sqrt(sum((gi * gi).sum() for gi in g))
        u = torch.zeros_like(z, requires_grad=True)
        jtu = torch.autograd.grad(z, params, u, create_graph=True)
        jv = torch.autograd.grad(sum((a * b).sum() for a, b in zip(jtu, g)) / n, u)[0]
        p = torch.softmax(z.detach().double(), 1)[0]
        j = jv.double()[0]
        fz = torch.diag(p) - torch.outer(p, p)
        return (j @ fz @ j).item()

    def trace(x):
        z = model(x.unsqueeze(0))
        c = z.shape[1]
        rows = [torch.cat([t.flatten() for t in torch.autograd.grad(z[0, k], params, retain_graph=k < c - 1)]) for k in range(c)]
        j = torch.stack(rows)
        p = torch.softmax(z.detach(), 1)[0]
        fz = torch.diag(p) - torch.outer(p, p)
        return (fz * (j @ j.T)).sum().item()

    loop = x_all[:a.loop_inputs]
    all_params = [list(range(len(params)))]
    each_param = [[i] for i in range(len(params))]
    for name, fn in [("loop_reduced", reduced),
                     ("loop_form_full_exact", exact_form),
                     ("loop_form_full", lambda x: fd_form(x, all_params, True)),
                     ("loop_form_tensor", lambda x: fd_form(x, each_param, False)),
                     ("loop_trace", trace)]:
        # The trace needs C backward passes per input: a quarter of the inputs (at least the checked ones) suffice.
        items = loop[:min(len(loop), max(a.check, len(loop) // 4))] if name == "loop_trace" else loop
        fn(items[0])  # warm-up
        secs, cpu, values = per_second(fn, items)
        out[name] = {"seconds_per_input": secs, "cpu_seconds_per_input": cpu, "inputs": len(items), "values": values[:a.check]}

    try:
        from functorch import make_functional, vmap, grad, jvp
        fmodel, fparams = make_functional(model)

        def logp_top(ps, x):
            return torch.log_softmax(fmodel(ps, x.unsqueeze(0))[0], 0).max()

        def form(ps, x, g):
            z, jg = jvp(lambda q: fmodel(q, x.unsqueeze(0))[0], (ps,), (g,))
            p = torch.softmax(z, 0)
            fz = torch.diag(p) - torch.outer(p, p)
            return jg @ fz @ jg / sum((gi * gi).sum() for gi in g)

        per_sample_grad = vmap(grad(logp_top), in_dims=(None, 0))
        batched_form = vmap(form, in_dims=(None, 0, 0))

        def run_batched(kind, xs):
            res = []
            for s in range(0, len(xs), a.batch):
                xb = xs[s:s + a.batch]
                g = per_sample_grad(fparams, xb)
                if kind == "reduced":
                    lp = torch.log_softmax(fmodel(fparams, xb), 1).max(1).values
                    p = lp.exp()
                    res.append((p / (1 - p) * sum((gi * gi).flatten(1).sum(1) for gi in g)).detach())
                else:
                    res.append(batched_form(fparams, xb, g).detach())
            return torch.cat(res)

        xs = x_all[:a.batched_inputs]
        for name, kind in [("batched_reduced", "reduced"), ("batched_form_full", "form")]:
            run_batched(kind, xs[:a.batch])  # warm-up
            c0 = time.process_time()
            t0 = time.perf_counter()
            v = run_batched(kind, xs)
            out[name] = {"seconds_per_input": (time.perf_counter() - t0) / len(xs), "cpu_seconds_per_input": (time.process_time() - c0) / len(xs),
                         "inputs": len(xs), "values": v[:a.check].tolist()}
    except Exception as e:  # functorch missing or unable to batch this model
        out["batched_error"] = f"{type(e).__name__}: {e}"
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
