#!/usr/bin/env python3
"""The job of `adamgap run --noise gaussian` written independently in dense PyTorch.

The signal-noise family's gaussian model (DESIGN.md, "The signal-noise family"): the
signal patch y*|mu|*e1, the noise patch xi = sigma_p*(g - <g,e1>e1), g ~ N(0, I_d), then
xi[0] = -alpha*y; n/2 training examples per class, a fresh test set with +-1 coin labels.
Every patch row is dense, so the forward pass is one (2n x d) @ (d x 2m) product and the
backward pass its transpose: the natural PyTorch formulation (torch.matmul on OpenBLAS or
MKL, whichever torch was built with).

Model and loss as adamgap's: F_j = sum_r sum_p relu(<w_{j,r}, x_p>)^q, m neurons per class
(divided by m with --output-scale mean), labels flipped with probability --label-noise after
the examples are drawn (training and test),
W0 ~ N(0, sigma0^2) of shape (2, m, d) (index 0 = class -1), mean logistic loss of the
margin y*(F_+1 - F_-1) (two-output cross-entropy) + (lambda/2)||W||^2 coupled:
torch.optim.Adam(lr, weight_decay=lambda) and torch.optim.SGD(lr, weight_decay=lambda) as GD,
both from the same W0 on the same data, full batch, T steps each, one after the other.
Logged as adamgap's loop: loss, training error and the gradient norms at steps 0, k, 2k, ...,
T; test error every --test-every steps and at T. Prints each optimiser's final errors and
the seconds (torch import, data, training, total). Seeded torch generators, not adamgap's
generator: seed 0 here is not adamgap's seed-0 data (the timing does not depend on it).

Usage: /usr/bin/python3 bench/torch_dense.py [--n 100 --d 1000 --steps 10000 ...]
"""

import time

START = time.perf_counter()  # before torch is imported: its import is part of the job

import argparse
import math

import torch

IMPORTED = time.perf_counter()


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--m", type=int, default=20)
    ap.add_argument("--q", type=float, default=3)
    ap.add_argument("--output-scale", choices=("sum", "mean"), default="sum", help="F summed over the m neurons, or their mean (1/m)")
    ap.add_argument("--label-noise", type=float, default=0.0, help="probability p of a flipped training or test label")
    ap.add_argument("--sigma-p", type=float, default=0.1)
    ap.add_argument("--signal-norm", type=float, default=1.0)
    ap.add_argument("--alpha", type=float, default=0.2)
    ap.add_argument("--sigma0", type=float, default=0.01)
    ap.add_argument("--lam", type=float, default=1e-5)
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--log-every", type=int, default=100)
    ap.add_argument("--test-every", type=int, default=1000)
    ap.add_argument("--test-size", type=int, default=10000)
    ap.add_argument("--adam-lr", type=float, default=5e-5)
    ap.add_argument("--gd-lr", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--out", default="", help="folder for summary.json (final rows and seconds); none without it")
    return ap.parse_args()


def draw(y, a, gen, dtype):
    """The (2n x d) patch matrix of labels y: rows 2i (signal) and 2i+1 (noise)."""
    n, d = y.shape[0], a.d
    x = torch.zeros(2 * n, d, dtype=torch.float64)
    x[0::2, 0] = y * a.signal_norm
    g = torch.randn(n, d, generator=gen, dtype=torch.float64) * a.sigma_p
    g[:, 0] = -a.alpha * y  # the projection drops g[0]; then the feature noise
    x[1::2] = g
    return x.to(dtype)


def forward(w, x, a):
    """F (n x 2): class -1 in column 0, +1 in column 1."""
    z = x @ w.reshape(2 * a.m, a.d).T  # (2n, 2m)
    act = torch.relu(z) ** a.q if a.q != 1 else torch.relu(z)
    per = act.reshape(-1, 2, 2, a.m).sum(dim=(1, 3))  # (n, class)
    return per / a.m if a.output_scale == "mean" else per


def objective(w, x, y, a):
    f = forward(w, x, a)
    margin = y * (f[:, 1] - f[:, 0])
    loss = torch.nn.functional.softplus(-margin).mean()
    return loss, (margin <= 0).sum().item()


def errors(w, x, y, a, chunk=4000):
    wrong = 0
    with torch.no_grad():
        for lo in range(0, y.shape[0], chunk):
            f = forward(w, x[2 * lo : 2 * (lo + chunk)], a)
            wrong += (y[lo : lo + chunk] * (f[:, 1] - f[:, 0]) <= 0).sum().item()
    return wrong / y.shape[0]


def train(name, opt_cls, lr, w0, xtr, ytr, xte, yte, a):
    w = w0.clone().requires_grad_(True)
    opt = opt_cls([w], lr=lr, weight_decay=a.lam)
    rows = []
    t0 = time.perf_counter()
    for t in range(a.steps + 1):
        opt.zero_grad(set_to_none=False)
        loss, wrong = objective(w, xtr, ytr, a)
        loss.backward()  # L2 term: the optimiser's weight_decay adds lambda*w
        if t % a.log_every == 0 or t == a.steps:
            with torch.no_grad():
                full = loss.item() + a.lam / 2 * float((w * w).sum())
                g = w.grad + a.lam * w
                row = [t, full, wrong / ytr.shape[0], float(g.abs().sum()), float((g * g).sum())]
                if t == a.steps or (a.test_every and t % a.test_every == 0):
                    row.append(errors(w, xte, yte, a))
                rows.append(row)
            if not math.isfinite(full):
                raise SystemExit(f"{name}: diverged at step {t}")
        if t == a.steps:
            break
        opt.step()
    secs = time.perf_counter() - t0
    last = rows[-1]
    print(f"{name}: {secs:.2f}s, train error {last[2]:.4g}, test error {last[5]:.4g}, loss {last[1]:.4g}")
    return secs, last


def main():
    a = parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    dtype = torch.float32 if a.dtype == "float32" else torch.float64
    t0 = time.perf_counter()
    gen = lambda stream: torch.Generator().manual_seed(a.seed * 1000 + stream)
    ytr = torch.cat([torch.ones(a.n // 2), -torch.ones(a.n // 2)]).to(torch.float64)
    xtr = draw(ytr, a, gen(1), dtype)
    g2 = gen(2)
    yte = (torch.randint(0, 2, (a.test_size,), generator=g2) * 2 - 1).to(torch.float64)
    xte = draw(yte, a, g2, dtype)
    w0 = (torch.randn(2, a.m, a.d, generator=gen(3), dtype=torch.float64) * a.sigma0).to(dtype)
    if a.label_noise > 0:  # after the examples are drawn with their clean labels
        g4 = gen(4)
        ytr = torch.where(torch.rand(a.n, generator=g4, dtype=torch.float64) < a.label_noise, -ytr, ytr)
        yte = torch.where(torch.rand(a.test_size, generator=g4, dtype=torch.float64) < a.label_noise, -yte, yte)
    ytr, yte = ytr.to(dtype), yte.to(dtype)
    data = time.perf_counter() - t0
    runs = {"adam": train("adam", torch.optim.Adam, a.adam_lr, w0, xtr, ytr, xte, yte, a),
            "gd": train("gd", torch.optim.SGD, a.gd_lr, w0, xtr, ytr, xte, yte, a)}
    secs = [s for s, _ in runs.values()]
    end = time.perf_counter()
    if a.out:
        import json
        import os
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "summary.json"), "w") as f:
            json.dump({"final": {k: dict(zip(["step", "loss", "train_error", "grad_l1", "grad_l2sq", "test_error"], r))
                                 for k, (_, r) in runs.items()}, "seconds": end - START, "args": vars(a)}, f, indent=1)
    print(f"seconds: import {IMPORTED - START:.2f}, data {data:.2f}, training {sum(secs):.2f}, total {end - START:.2f}"
          f" (torch {torch.__version__}, {torch.get_num_threads()} threads, {a.dtype})")


if __name__ == "__main__":
    main()
