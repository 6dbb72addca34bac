#!/usr/bin/python3
"""The dense PyTorch peer of `adamgap run` on the signal-noise family's data.

It does the job of

    adamgap run --noise gaussian --label-noise 0.1 --n 100 --d 1000 \
        --q 1 --output-scale mean --optimizer adam,gd --out DIR

as a researcher of this line of work writes it: dense float32 tensors,
autograd and torch.optim, matrix products through BLAS (Debian's
python3-torch calls libblas.so.3, which is OpenBLAS where libopenblas0 is
installed: `update-alternatives --display libblas.so.3-x86_64-linux-gnu`).

  * data (DESIGN.md, "The signal-noise family"): mu = ||mu|| e1; the signal
    patch y*mu; the noise patch sigma_p (g - <g, e1> e1), g ~ N(0, I_d), then
    xi[0] = -alpha*y; n/2 clean labels per class, each training label flipped
    with probability p after the example is drawn; a test set of test_size
    examples with fair-coin labels flipped the same way;
  * the network F_j(W, x) = s * sum_r sum_p sigma(<w_{j,r}, x_p>), sigma(z) =
    max(0, z)^q, s = 1/m (--output-scale mean) or 1, W0 ~ N(0, sigma0^2) of
    shape (2, m, d); mean cross-entropy with weight_decay=lambda (coupled);
  * Adam (torch.optim.Adam, lr 5e-5) and GD (torch.optim.SGD, lr 0.02) from
    the same W0, T full-batch steps each; every log_every steps the loss,
    training error, ||grad||_1 and ||grad||_F^2, feature learning
    max_r <w_{j,r}, j mu> and noise memorisation min_i / max_i over y_i = j of
    max_r <w_{j,r}, xi_i>; the test error every test_every steps and at T;
    every step the gradient norm of Theorem 4.1's output (l1 for Adam, l2 for
    GD) and a copy of the best iterate, whose test error is measured at the
    end.

Writes metrics.csv, weights.npz and summary.json to --out, like adamgap.
The data differ from adamgap's (another generator): this is a timing peer;
experiment/family_replay_test.go is the numerical replay.

Run with Debian's Python: /usr/bin/python3 bench/torch_family.py --help
"""

import time

START = time.perf_counter()  # before torch is imported: its import is part of the job

import argparse
import csv
import json
import os

import numpy as np
import torch


def draw(n, d, sigma_p, alpha, mu_norm, p, gen, balanced):
    if balanced:
        y = torch.cat([torch.ones(n // 2), -torch.ones(n - n // 2)])
    else:
        y = torch.where(torch.rand(n, generator=gen, dtype=torch.float64) < 0.5, 1.0, -1.0)
    y = y.double()
    X = torch.zeros(n, 2, d, dtype=torch.float64)
    X[:, 0, 0] = y * mu_norm
    g = torch.randn(n, d, generator=gen, dtype=torch.float64) * sigma_p
    g[:, 0] = -alpha * y
    X[:, 1, :] = g
    flip = torch.rand(n, generator=gen, dtype=torch.float64) < p
    y_noisy = torch.where(flip, -y, y)
    return X, y_noisy, y


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--m", type=int, default=20)
    ap.add_argument("--q", type=float, default=1)
    ap.add_argument("--output-scale", choices=["sum", "mean"], default="mean")
    ap.add_argument("--sigma-p", type=float, default=0.1)
    ap.add_argument("--alpha", type=float, default=0.2)
    ap.add_argument("--signal-norm", type=float, default=1)
    ap.add_argument("--label-noise", type=float, default=0.1)
    ap.add_argument("--sigma0", type=float, default=0.01)
    ap.add_argument("--lambda", dest="lam", type=float, default=1e-5)
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--log-every", type=int, default=100)
    ap.add_argument("--test-every", type=int, default=1000)
    ap.add_argument("--test-size", type=int, default=10000)
    ap.add_argument("--lr-adam", type=float, default=5e-5)
    ap.add_argument("--lr-gd", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    dt = getattr(torch, a.dtype)
    gen = torch.Generator().manual_seed(a.seed)

    X, y, y_clean = draw(a.n, a.d, a.sigma_p, a.alpha, a.signal_norm, a.label_noise, gen, True)
    Xt, yt, yt_clean = draw(a.test_size, a.d, a.sigma_p, a.alpha, a.signal_norm, a.label_noise, gen, False)
    W0 = torch.randn(2, a.m, a.d, generator=gen, dtype=torch.float64) * a.sigma0
    X2, Xt2 = X.reshape(2 * a.n, a.d).to(dt), Xt.reshape(2 * a.test_size, a.d).to(dt)
    yi, yti = (y > 0).long(), (yt > 0).long()
    xi = X[:, 1, :].to(dt)  # the noise patches
    scale = 1 / a.m if a.output_scale == "mean" else 1.0

    def outputs(W, Xp, n):
        Z = Xp @ W.reshape(2 * a.m, a.d).T  # (2n, 2m)
        A = torch.relu(Z) if a.q == 1 else torch.clamp(Z, min=0) ** a.q
        return A.reshape(n, 2, 2, a.m).sum(dim=(1, 3)) * scale  # (n, 2)

    def errors(F, labels):
        return int((F[torch.arange(len(labels)), labels] <= F[torch.arange(len(labels)), 1 - labels]).sum())

    def train(name):
        W = torch.nn.Parameter(W0.to(dt).clone())
        if name == "adam":
            opt = torch.optim.Adam([W], lr=a.lr_adam, weight_decay=a.lam)
        else:
            opt = torch.optim.SGD([W], lr=a.lr_gd, weight_decay=a.lam)
        rows, best, best_norm, best_step = [], W.detach().clone(), float("inf"), -1
        for t in range(a.steps + 1):
            opt.zero_grad()
            F = outputs(W, X2, a.n)
            loss = torch.nn.functional.cross_entropy(F, yi)
            loss.backward()
            g = W.grad + a.lam * W.detach()  # the objective's gradient (weight_decay adds it in step)
            gn = float(g.abs().sum()) if name == "adam" else float(g.pow(2).sum().sqrt())
            if gn < best_norm:
                best_norm, best_step = gn, t
                best.copy_(W.detach())
            if t % a.log_every == 0 or t == a.steps:
                with torch.no_grad():
                    Wd = W.detach()
                    full = float(loss) + a.lam / 2 * float(Wd.pow(2).sum())
                    feat = [float((Wd[j, :, 0] * (2 * j - 1) * a.signal_norm).max()) for j in range(2)]
                    mem = xi @ Wd.reshape(2 * a.m, a.d).T  # (n, 2m)
                    memo = []
                    for j in range(2):
                        mx = mem[:, j * a.m:(j + 1) * a.m].max(dim=1).values[y_clean == 2 * j - 1]
                        memo += [float(mx.min()), float(mx.max())]
                    test = float("nan")
                    if t == a.steps or (a.test_every > 0 and t % a.test_every == 0):
                        test = errors(outputs(Wd, Xt2, a.test_size), yti) / a.test_size
                    rows.append([name, t, full, errors(F.detach(), yi) / a.n, test, *feat, *memo,
                                 float(g.abs().sum()), float(g.pow(2).sum())])
            if t == a.steps:
                break
            opt.step()
        with torch.no_grad():
            best_test = errors(outputs(best, Xt2, a.test_size), yti) / a.test_size
        return rows, W.detach().double().numpy(), {"best_step": best_step, "best_test_error": best_test}

    results = {name: train(name) for name in ["adam", "gd"]}
    seconds = time.perf_counter() - START
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "metrics.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["optimizer", "step", "loss", "train_error", "test_error", "feature_neg", "feature_pos",
                        "memo_min_neg", "memo_max_neg", "memo_min_pos", "memo_max_pos", "grad_l1", "grad_l2sq"])
            for rows, _, _ in results.values():
                w.writerows(rows)
        np.savez(os.path.join(a.out, "weights.npz"), W0=W0.numpy(), **{f"W_{k}": v[1] for k, v in results.items()})
        with open(os.path.join(a.out, "summary.json"), "w") as f:
            json.dump({k: {"final": v[0][-1], **v[2]} for k, v in results.items()} | {"seconds": seconds,
                      "threads": torch.get_num_threads(), "dtype": a.dtype}, f, indent=1)
    for k, (rows, _, best) in results.items():
        print(f"{k}: train error {rows[-1][3]:.3g}, test error {rows[-1][4]:.3g} (best iterate step {best['best_step']}: {best['best_test_error']:.3g})")
    print(f"seconds {seconds:.2f} (threads {torch.get_num_threads()}, {a.dtype})")


if __name__ == "__main__":
    main()
