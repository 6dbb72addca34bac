#!/usr/bin/python3
"""An independent PyTorch implementation of `adamgap reproduce`.

It does the job `adamgap reproduce` does, at the paper's Section 6 settings
(Zou, Cao, Li & Gu, Section 6; the semantics pinned in DESIGN.md):

  * data of Definition 3.1: v = e1 (index 0), x1 = y*v (the feature patch
    first), x2 = xi with s coordinates drawn uniformly without replacement from
    the d-1 others, N(0, sigma_p^2) values, and xi[0] = -alpha*y; n/2 training
    labels +1 then n/2 labels -1; a fresh test set of 10^4 examples with
    independent +-1 labels;
  * the two-layer CNN F_j(W,x) = sum_r sigma(<w_{j,r},x1>) + sigma(<w_{j,r},x2>),
    sigma(z) = max(0,z)^q, W0 ~ N(0, sigma0^2) of shape (2, m, d), index 0 the
    class -1 and index 1 the class +1;
  * the loss: mean cross-entropy + (lambda/2)||W||^2, the L2 term "coupled",
    i.e. `weight_decay=lambda` of torch.optim.Adam (lr 5e-5, default betas and
    eps) and torch.optim.SGD (lr 0.02, plain full-batch GD);
  * both optimisers from the same W0 on the same data, T = 10^4 full-batch
    steps each; at steps 0, 100, ..., T the loss, training error, feature
    learning max_r <w_{j,r}, j v>, noise memorisation min_i / max_i over
    y_i = j of max_r <w_{j,r}, xi_i>, ||grad||_1 and ||grad||_F^2 (gradient of
    the full objective, L2 term included); test error every 1000 steps and at
    T; the iterate of smallest gradient norm (l1 for Adam, l2 for GD,
    Theorem 4.1's output) and its errors, as train/loop.go does.

Formulation. Every patch has at most s+1 non-zeros out of d, so the default
(`--formulation sparse`) stores the (2n x d) patch matrix X as a coalesced
torch sparse COO tensor and computes the pre-activations Z = X W^T and the
gradient X^T dZ with torch.sparse.mm, with the backward of the small head
(activation, sum, cross-entropy) written out by hand (`--grad manual`, checked
against autograd by --selftest) and the weights held as a (d, 2m) tensor, the
transpose of W.reshape(2m, d), so that sparse.mm reads contiguous rows. On the
development machine this is the fastest PyTorch formulation by far: Debian's
python3-torch calls the reference BLAS (libblas3), with which the dense
formulation (`--formulation dense`, X as a dense matrix and Z = X @ W^T) costs
about 20 ms a step instead of about 1 ms. `--grad autograd` lets autograd
differentiate the same forward.

Outputs: Table 1 (training and test error of both optimisers) and the seconds
taken, on stdout; with --out DIR also metrics.csv (the columns of adamgap's),
weights.npz (W0, W_adam, W_gd as float64 (2, m, d)) and summary.json.

With --data-from (adamgap's data.npz, sparse: feature, noise_index, noise_value,
y_train; or dense: X_train (n,2,d) float64, y_train (n,))
and --init-from (adamgap's weights.npz: W0 (2,m,d)) both implementations start
from the same data and W0; the test set is always drawn here (adamgap does
not save its test set). bench/compare_runs.py compares two output folders.

Run with Debian's Python: /usr/bin/python3 bench/torch_reproduce.py --help
"""

import time

START = time.perf_counter()  # before torch is imported: its import is part of the job

import argparse
import csv
import json
import math
import multiprocessing
import os
import sys

import numpy as np
import torch

# The paper's Section 6 settings (config.Paper() in adamgap).
PAPER = dict(
    d=1000, n=200, s=100, sigma_p=0.1, alpha=0.2, test_size=10000,
    m=20, q=3, sigma0=0.01, lam=1e-5,
    steps=10000, log_every=100, test_every=1000,
)
OPTIMIZERS = (("adam", 5e-5), ("gd", 0.02))

# Independent random streams of one seed, as in adamgap's experiment.RNG
# (the generators differ, so the draws are not adamgap's).
STREAM_TRAIN, STREAM_TEST, STREAM_INIT = 1, 2, 3

CSV_HEADER = [
    "optimizer", "step", "loss", "train_error", "test_error",
    "feature_pos", "feature_neg", "noise_min_pos", "noise_min_neg",
    "noise_max_pos", "noise_max_neg", "grad_l1", "grad_l2sq",
]


def generator(seed, stream):
    """A torch generator for one stream of a seed."""
    state = np.random.SeedSequence([seed, stream]).generate_state(2, dtype=np.uint64)
    return torch.Generator().manual_seed(int(state[0] >> np.uint64(1)))


class Patches:
    """n examples of two patches each, as the (2n x d) matrix X whose row 2i
    is x_{i,1} and row 2i+1 is x_{i,2}, kept as COO triplets; y in {-1,+1};
    noise[i] in {0,1} names the patch of example i that holds xi_i."""

    def __init__(self, rows, cols, vals, y, noise, d):
        self.rows, self.cols, self.vals = rows, cols, vals  # int64, int64, float64
        self.y, self.noise, self.d = y, noise, d

    @property
    def n(self):
        return self.y.shape[0]

    @staticmethod
    def draw(y, d, s, sigma_p, alpha, gen):
        """Definition 3.1 for the labels y (float64 tensor of +-1)."""
        n = y.shape[0]
        ex = torch.arange(n)
        # s distinct coordinates out of 1..d-1, uniformly: the s largest of
        # d-1 independent uniforms.
        support = torch.rand(n, d - 1, generator=gen, dtype=torch.float64).topk(s, dim=1).indices + 1
        values = torch.randn(n, s, generator=gen, dtype=torch.float64) * sigma_p
        rows = [2 * ex, 2 * ex + 1, (2 * ex + 1).repeat_interleave(s)]
        cols = [torch.zeros(n, dtype=torch.int64), torch.zeros(n, dtype=torch.int64), support.reshape(-1)]
        vals = [y, -alpha * y, values.reshape(-1)]
        if alpha == 0:
            rows, cols, vals = [rows[0], rows[2]], [cols[0], cols[2]], [vals[0], vals[2]]
        return Patches(torch.cat(rows), torch.cat(cols), torch.cat(vals), y,
                       torch.ones(n, dtype=torch.int64), d)

    @staticmethod
    def from_dense(x, y):
        """From an (n, 2, d) float64 array and labels; the noise patch is the
        one that is not exactly y*e1 (patch 1 when neither or both are), as
        adamgap's data.FromDense decides."""
        x = torch.as_tensor(x, dtype=torch.float64)
        y = torch.as_tensor(y, dtype=torch.float64)
        n, _, d = x.shape
        feature = (x[:, :, 0] == y[:, None]) & (x[:, :, 1:] == 0).all(dim=2)  # (n, 2)
        noise = torch.where(feature[:, 1] & ~feature[:, 0], 0, 1).to(torch.int64)
        flat = x.reshape(2 * n, d)
        rows, cols = flat.nonzero(as_tuple=True)
        return Patches(rows, cols, flat[rows, cols], y, noise, d)

    @staticmethod
    def from_sparse(feature, index, value, y):
        """From adamgap's sparse data.npz arrays: patch 0 of example i is
        y_i * feature, patch 1 has value[i, e] at index[i, e]."""
        feature = torch.as_tensor(feature, dtype=torch.float64)
        index = torch.as_tensor(index, dtype=torch.int64)
        value = torch.as_tensor(value, dtype=torch.float64)
        y = torch.as_tensor(y, dtype=torch.float64)
        n, k = index.shape
        d = feature.shape[0]
        ex = torch.arange(n)
        fcols = feature.nonzero(as_tuple=True)[0]
        rows = [(2 * ex).repeat_interleave(fcols.shape[0]), (2 * ex + 1).repeat_interleave(k)]
        cols = [fcols.repeat(n), index.reshape(-1)]
        vals = [(y[:, None] * feature[fcols][None, :]).reshape(-1), value.reshape(-1)]
        rows, cols, vals = torch.cat(rows), torch.cat(cols), torch.cat(vals)
        keep = vals != 0
        return Patches(rows[keep], cols[keep], vals[keep], y, torch.ones(n, dtype=torch.int64), d)

    def to_sparse_numpy(self):
        """feature (d,), noise_index and noise_value (n, k) and y_train (n,),
        adamgap's sparse data.npz layout; None when the noise is not in patch
        1 of every example with the same number k of non-zeros."""
        noise = self.rows % 2 == 1
        counts = torch.bincount(self.rows[noise] // 2, minlength=self.n)
        if not bool((self.noise == 1).all()) or not bool((counts == counts[0]).all()):
            return None
        k = int(counts[0])
        order = torch.argsort(self.rows[noise] * self.d + self.cols[noise])
        index = self.cols[noise][order].reshape(self.n, k)
        value = self.vals[noise][order].reshape(self.n, k)
        first = self.rows == 0
        feature = torch.zeros(self.d, dtype=torch.float64)
        feature[self.cols[first]] = self.vals[first] * self.y[0]
        return (feature.numpy(), index.numpy(), value.numpy(), self.y.to(torch.int64).numpy())

    def sparse(self, dtype):
        """X as a coalesced sparse COO tensor (2n x d)."""
        return torch.sparse_coo_tensor(torch.stack([self.rows, self.cols]), self.vals.to(dtype),
                                       (2 * self.n, self.d)).coalesce()

    def sparse_t(self, dtype):
        """X^T as a coalesced sparse COO tensor (d x 2n)."""
        return torch.sparse_coo_tensor(torch.stack([self.cols, self.rows]), self.vals.to(dtype),
                                       (self.d, 2 * self.n)).coalesce()

    def dense(self, dtype, lo=0, hi=None):
        """Rows lo..hi-1 of X as a dense tensor."""
        hi = 2 * self.n if hi is None else hi
        keep = (self.rows >= lo) & (self.rows < hi)
        x = torch.zeros(hi - lo, self.d, dtype=dtype)
        x[self.rows[keep] - lo, self.cols[keep]] = self.vals[keep].to(dtype)
        return x

    def to_numpy(self):
        """X_train (n, 2, d) float64 and y_train (n,) int64, adamgap's data.npz layout."""
        return (self.dense(torch.float64).reshape(self.n, 2, self.d).numpy(),
                self.y.to(torch.int64).numpy())


class Net:
    """The CNN of the paper on one patch set. Weights are a (d, 2m) tensor
    P with P[k, j'*m + r] = W[j', r, k] (j' = 0: class -1, j' = 1: class +1),
    the layout of adamgap's coordinate-major weights."""

    def __init__(self, patches, m, q, lam, dtype, formulation, training=True):
        self.m, self.q, self.lam, self.dtype = m, q, lam, dtype
        self.n = patches.n
        self.patches = patches
        self.t = (patches.y > 0).to(torch.int64)           # target class index
        self.sign = (1 - 2 * torch.nn.functional.one_hot(self.t, 2)).to(dtype)  # -1 at y, +1 at -y
        self.formulation = formulation
        self.x = self.xt = None  # a test set only needs errors(), which needs no X^T
        if formulation == "embbag":
            self.x = bags(patches.sparse(dtype))
            if training:
                self.xt = bags(patches.sparse_t(dtype))
        elif formulation == "sparse":
            self.x = patches.sparse(dtype)
            if training:
                self.xt = patches.sparse_t(dtype)
        elif training:
            self.x = patches.dense(dtype)

    def preact(self, p):
        """Z = X W^T, (2n, 2m): row 2i+k is patch k of example i."""
        if self.formulation == "embbag":
            return torch.nn.functional.embedding_bag(self.x[0], p, self.x[1], mode="sum", per_sample_weights=self.x[2])
        if self.formulation == "sparse":
            return torch.sparse.mm(self.x, p)
        return self.x @ p

    def backprop(self, dz):
        """X^T dz, (d, 2m): the gradient with respect to p of <Z, dz>."""
        if self.formulation == "embbag":
            return torch.nn.functional.embedding_bag(self.xt[0], dz, self.xt[1], mode="sum", per_sample_weights=self.xt[2])
        if self.formulation == "sparse":
            return torch.sparse.mm(self.xt, dz)
        return self.x.T @ dz

    def head(self, z):
        """Outputs F (n, 2) and the margins F_{-y} - F_y of the pre-activations z."""
        a = z.clamp(min=0)
        f = (a ** self.q).view(self.n, 2, 2, self.m).sum(dim=(1, 3))
        margin = (f * self.sign).sum(dim=1)
        return a, f, margin

    def loss_grad(self, p, grad, manual=True):
        """Mean cross-entropy at p, its error count, Z, and (when grad) the
        gradient of the mean cross-entropy (the L2 term is the optimiser's)."""
        if not grad:
            with torch.no_grad():
                z = self.preact(p)
                _, _, margin = self.head(z)
                return softplus(margin).mean(), (margin >= 0).sum(), z, None
        if manual:
            z = self.preact(p)
            a, _, margin = self.head(z)
            ce = softplus(margin).mean()
            dmargin = torch.sigmoid(margin) / self.n                      # dL/dF_{-y}
            df = dmargin[:, None] * self.sign                                # (n, 2)
            dact = self.q * a ** (self.q - 1) if self.q > 1 else (z > 0).to(self.dtype)
            dz = (dact.view(self.n, 2, 2, self.m) * df.view(self.n, 1, 2, 1)).view(2 * self.n, 2 * self.m)
            return ce, (margin >= 0).sum(), z, self.backprop(dz)
        pp = p.detach().requires_grad_(True)
        z = self.preact(pp)
        _, _, margin = self.head(z)
        ce = softplus(margin).mean()
        (g,) = torch.autograd.grad(ce, pp)
        return ce.detach(), (margin >= 0).sum(), z.detach(), g

    def errors(self, p, chunk=2000):
        """Number of misclassified examples (ties are errors)."""
        with torch.no_grad():
            if self.formulation != "dense":
                return int((self.head(self.preact(p))[2] >= 0).sum())
            # Dense: a chunk of examples at a time, not the whole (2n x d) matrix.
            wrong = 0
            for lo in range(0, self.n, chunk):
                hi = min(self.n, lo + chunk)
                z = self.patches.dense(self.dtype, 2 * lo, 2 * hi) @ p
                a = z.clamp(min=0)
                f = (a ** self.q).view(hi - lo, 2, 2, self.m).sum(dim=(1, 3))
                wrong += int(((f * self.sign[lo:hi]).sum(dim=1) >= 0).sum())
            return wrong

    def probes(self, p, z):
        """Feature learning and noise memorisation of both classes."""
        m = self.m
        zn = z.view(self.n, 2, 2 * m)[torch.arange(self.n), self.patches.noise]  # noise patch rows
        best_pos = zn[:, m:].max(dim=1).values   # max_r <w_{+1,r}, xi_i>
        best_neg = zn[:, :m].max(dim=1).values   # max_r <w_{-1,r}, xi_i>
        pos, neg = self.t == 1, self.t == 0
        vals = torch.stack([
            p[0, m:].max(), (-p[0, :m]).max(),
            best_pos[pos].min(), best_neg[neg].min(),
            best_pos[pos].max(), best_neg[neg].max(),
        ]).tolist()
        keys = ["feature_pos", "feature_neg", "noise_min_pos", "noise_min_neg", "noise_max_pos", "noise_max_neg"]
        return dict(zip(keys, vals))


def bags(a):
    """The rows of a coalesced sparse matrix as embedding_bag arguments:
    column indices, the offset of each row's first entry, and the values.
    embedding_bag(cols, P, offsets, mode="sum", per_sample_weights=vals)
    is then the product of the matrix with the dense P."""
    rows, cols = a.indices()
    offsets = torch.searchsorted(rows, torch.arange(a.shape[0]))
    return cols.contiguous(), offsets, a.values().contiguous()


def softplus(x):
    """log(1 + e^x) without overflow (as adamgap computes it)."""
    return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))


def to_internal(w):
    """(2, m, d) -> (d, 2m)."""
    two, m, d = w.shape
    return w.reshape(two * m, d).T.contiguous()


def to_tensor(p, m):
    """(d, 2m) -> (2, m, d) float64 numpy array."""
    d = p.shape[0]
    return p.T.reshape(2, m, d).to(torch.float64).numpy().copy()


def train(name, lr, net, test, p0, cfg):
    """One run of train/loop.go: T steps from p0, logging every log_every."""
    start = time.perf_counter()
    steps, lam = cfg["steps"], cfg["lam"]
    p = p0.clone()
    if name == "adam":
        opt = torch.optim.Adam([p], lr=lr, weight_decay=lam)
        use_l1 = True
    else:
        opt = torch.optim.SGD([p], lr=lr, weight_decay=lam)
        use_l1 = False
    manual = cfg["grad"] == "manual"
    n, ntest = net.n, test.n
    records = []
    best = dict(step=-1, grad_norm=math.inf, norm="l1" if use_l1 else "l2")
    best_p = p.clone()
    for t in range(steps + 1):
        ce, errs, z, g = net.loss_grad(p, grad=True, manual=manual)
        full = g + lam * p                      # gradient of the whole objective
        l1, l2sq, ce_v, err_v = torch.stack([full.abs().sum(), (full * full).sum(), ce, errs.to(p.dtype)]).tolist()
        if not all(math.isfinite(v) for v in (l1, l2sq, ce_v)):
            raise RuntimeError(f"{name}: diverged at step {t} (loss {ce_v}, |g|_1 {l1}, |g|^2 {l2sq})")
        gn = l1 if use_l1 else math.sqrt(l2sq)
        if gn < best["grad_norm"]:
            best.update(step=t, grad_norm=gn, train_error=err_v / n)
            best_p.copy_(p)
        last = t == steps
        if t % cfg["log_every"] == 0 or last:
            loss = ce_v + lam / 2 * float((p * p).sum())
            rec = dict(optimizer=name, step=t, loss=loss, train_error=err_v / n, test_error=math.nan)
            rec.update(net.probes(p, z))
            rec.update(grad_l1=l1, grad_l2sq=l2sq)
            if last or (cfg["test_every"] > 0 and t % cfg["test_every"] == 0):
                rec["test_error"] = test.errors(p) / ntest
            records.append(rec)
            if last:
                break
        p.grad = g
        opt.step()
    best["test_error"] = test.errors(best_p) / ntest
    last = records[-1]
    return dict(
        optimizer=name, records=records, w=to_tensor(p, net.m), final_loss=last["loss"],
        train_error=last["train_error"], test_error=last["test_error"], best=best,
        seconds=time.perf_counter() - start,
    )


# Globals the worker processes inherit by fork (the data is drawn once).
_JOB = {}


def _run_job(i):
    j = _JOB
    torch.set_num_threads(j["threads"])
    name, lr = j["optimizers"][i]
    return train(name, lr, j["net"], j["test"], j["p0"], j["cfg"])


def table1(results):
    rows = [
        ("Training error (last iterate)", lambda r: f"{r['train_error']:.4g}"),
        ("Test error (last iterate)", lambda r: f"{r['test_error']:.4g}"),
        ("Training error (min-gradient iterate)", lambda r: f"{r['best']['train_error']:.4g}"),
        ("Test error (min-gradient iterate)", lambda r: f"{r['best']['test_error']:.4g}"),
        ("Min-gradient step (norm)", lambda r: f"{r['best']['step']} ({r['best']['norm']} {r['best']['grad_norm']:.3g})"),
        ("Final loss", lambda r: f"{r['final_loss']:.4g}"),
        ("Seconds", lambda r: f"{r['seconds']:.2f}"),
    ]
    out = ["| |" + "".join(f" {r['optimizer']} |" for r in results),
           "|---|" + "---:|" * len(results)]
    for label, f in rows:
        out.append(f"| {label} |" + "".join(f" {f(r)} |" for r in results))
    return "\n".join(out) + "\n"


def write_outputs(out, results, p0, m, train_patches, args):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "metrics.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_HEADER)
        for r in results:
            for rec in r["records"]:
                w.writerow([rec["optimizer"], rec["step"]] +
                           ["" if math.isnan(rec[k]) else repr(float(rec[k])) for k in CSV_HEADER[2:]])
    arrays = {"W0": to_tensor(p0, m)}
    for r in results:
        arrays["W_" + r["optimizer"]] = r["w"]
    np.savez(os.path.join(out, "weights.npz"), **arrays)
    # adamgap's data.npz layout "auto": sparse noise patches, plus X_train
    # up to 2**22 values.
    arrays = {}
    sp = train_patches.to_sparse_numpy()
    if sp is not None:
        arrays.update(zip(("feature", "noise_index", "noise_value", "y_train"), sp))
    if sp is None or 2 * train_patches.n * train_patches.d <= 1 << 22:
        arrays["X_train"], arrays["y_train"] = train_patches.to_numpy()
    np.savez(os.path.join(out, "data.npz"), **arrays)
    summary = dict(
        implementation="bench/torch_reproduce.py", torch=torch.__version__,
        args=vars(args),
        runs=[{k: r[k] for k in ("optimizer", "train_error", "test_error", "final_loss", "best", "seconds")}
              for r in results],
    )
    with open(os.path.join(out, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=2)


def selftest():
    """Checks the hand-written gradient against autograd, the dense
    formulation and central finite differences, in float64 on a small
    problem; returns 0 when all agree."""
    torch.manual_seed(0)
    dt = torch.float64
    d, n, s, m = 30, 8, 5, 3
    y = torch.tensor([1.0] * (n // 2) + [-1.0] * (n // 2), dtype=dt)
    pat = Patches.draw(y, d, s, 0.5, 0.2, generator(1, STREAM_TRAIN))
    failures = 0
    for q in (1, 2, 3):
        p = torch.randn(d, 2 * m, dtype=dt, generator=generator(2, STREAM_INIT)) * 0.8
        sp = Net(pat, m, q, 0.0, dt, "embbag")
        co = Net(pat, m, q, 0.0, dt, "sparse")
        de = Net(pat, m, q, 0.0, dt, "dense")
        ce, errs, _, g = sp.loss_grad(p, grad=True, manual=True)
        checks = {
            "embbag autograd": sp.loss_grad(p, grad=True, manual=False)[3],
            "sparse manual": co.loss_grad(p, grad=True, manual=True)[3],
            "sparse autograd": co.loss_grad(p, grad=True, manual=False)[3],
            "dense manual": de.loss_grad(p, grad=True, manual=True)[3],
            "dense autograd": de.loss_grad(p, grad=True, manual=False)[3],
        }
        # Central differences on every coordinate that touches the data.
        fd = torch.zeros_like(p)
        h = 1e-6
        for k in range(d):
            for c in range(2 * m):
                e = torch.zeros_like(p)
                e[k, c] = h
                fd[k, c] = (sp.loss_grad(p + e, grad=False)[0] - sp.loss_grad(p - e, grad=False)[0]) / (2 * h)
        checks["finite differences"] = fd
        for name, other in checks.items():
            dist = float((g - other).abs().max())
            tol = 1e-6 * max(1.0, float(g.abs().max())) if name == "finite differences" else 1e-12
            ok = dist <= tol
            failures += not ok
            print(f"selftest q={q}: manual vs {name}: max |diff| {dist:.2e} (tol {tol:.0e}) {'ok' if ok else 'FAIL'}")
        # Loss and errors against a direct dense evaluation of F.
        x = pat.dense(dt).view(n, 2, d)
        w = p.T.reshape(2, m, d)
        f = (torch.einsum("npd,jrd->npjr", x, w).clamp(min=0) ** q).sum(dim=(1, 3))  # (n, 2)
        t = (y > 0).long()
        ref = torch.nn.functional.cross_entropy(f, t)
        wrong = int((f[torch.arange(n), t] <= f[torch.arange(n), 1 - t]).sum())
        ok = (abs(float(ce) - float(ref)) <= 1e-12 * max(1.0, abs(float(ref)))
              and wrong == int(errs) == sp.errors(p) == co.errors(p) == de.errors(p, chunk=3))
        failures += not ok
        print(f"selftest q={q}: loss {float(ce):.12g} vs cross_entropy {float(ref):.12g}, errors {int(errs)} vs {wrong} {'ok' if ok else 'FAIL'}")
    # Data: shapes, sparsity and the feature noise of Definition 3.1.
    y = torch.tensor([1.0, -1.0] * 50, dtype=dt)
    pat = Patches.draw(y, 200, 17, 0.1, 0.3, generator(3, STREAM_TEST))
    x = pat.dense(dt).view(100, 2, 200)
    ok = (torch.equal(x[:, 0, 0], y) and int((x[:, 0, 1:] != 0).sum()) == 0
          and torch.allclose(x[:, 1, 0], -0.3 * y) and bool(((x[:, 1, 1:] != 0).sum(dim=1) == 17).all()))
    back = Patches.from_dense(*pat.to_numpy())
    ok = ok and torch.equal(back.dense(dt), pat.dense(dt)) and bool((back.noise == 1).all())
    failures += not ok
    print(f"selftest data: feature patch y*e1, xi[0] = -alpha*y, s non-zeros, npz round trip {'ok' if ok else 'FAIL'}")
    print("selftest:", "ok" if failures == 0 else f"{failures} FAILED")
    return 0 if failures == 0 else 1


def load_npz(path, flag, *names):
    """The arrays names of an NPZ file, or exit with a message naming the flag."""
    try:
        with np.load(path) as z:
            missing = [n for n in names if n not in z.files]
            if missing:
                sys.exit(f"torch_reproduce: {flag} {path}: no array {', '.join(missing)} (have {', '.join(z.files)})")
            return [z[n] for n in names]
    except (OSError, ValueError) as e:
        sys.exit(f"torch_reproduce: {flag} {path}: not a readable NPZ file: {e}")


def npz_files(path):
    """The array names of an NPZ file (load_npz reports an unreadable one)."""
    try:
        with np.load(path) as z:
            return list(z.files)
    except (OSError, ValueError):
        return []


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="PyTorch implementation of `adamgap reproduce` (Table 1 of Zou et al.), for benchmarks and cross-checks.")
    ap.add_argument("--steps", type=int, default=PAPER["steps"], help="T, steps per optimiser (default 10000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the data, test data and W0 (default 0)")
    ap.add_argument("--dtype", choices=("float32", "float64"), default="float32", help="default float32")
    ap.add_argument("--threads", type=int, default=0,
                    help="torch.set_num_threads per process (0: leave torch's default)")
    ap.add_argument("--jobs", type=int, default=0,
                    help="optimisers trained concurrently, in forked processes (0: one per CPU, as adamgap; 1: one after the other)")
    ap.add_argument("--formulation", choices=("embbag", "sparse", "dense"), default="embbag",
                    help="X @ W^T and X^T @ dZ by embedding_bag over the non-zeros (default), torch.sparse.mm of a COO tensor, or dense matmul")
    ap.add_argument("--grad", choices=("manual", "autograd"), default="manual",
                    help="hand-written backward of the head (default) or autograd")
    ap.add_argument("--log-every", type=int, default=PAPER["log_every"])
    ap.add_argument("--test-every", type=int, default=PAPER["test_every"], help="0: test error only at T")
    ap.add_argument("--test-size", type=int, default=PAPER["test_size"])
    ap.add_argument("--data-from", help="adamgap's data.npz (feature, noise_index, noise_value, y_train; or X_train (n,2,d) float64, y_train (n,))")
    ap.add_argument("--init-from", help="adamgap's weights.npz (W0 (2,m,d) float64)")
    ap.add_argument("--out", help="write metrics.csv, weights.npz, data.npz and summary.json here")
    ap.add_argument("--selftest", action="store_true", help="check the gradients and the data, then exit")
    args = ap.parse_args(argv)
    bad = []
    if args.steps < 0:
        bad.append(f"--steps={args.steps} must be >= 0")
    if args.log_every < 1:
        bad.append(f"--log-every={args.log_every} must be >= 1")
    if args.test_every < 0 or (args.test_every > 0 and args.test_every % args.log_every != 0):
        bad.append(f"--test-every={args.test_every} must be 0 or a multiple of --log-every={args.log_every}")
    if args.test_size < 1:
        bad.append(f"--test-size={args.test_size} must be >= 1")
    if args.threads < 0 or args.jobs < 0:
        bad.append(f"--threads={args.threads} and --jobs={args.jobs} must be >= 0")
    if bad:
        ap.error("; ".join(bad))
    return args


def main(argv):
    args = parse_args(argv)
    if args.selftest:
        return selftest()
    imported = time.perf_counter() - START
    dtype = getattr(torch, args.dtype)
    cfg = dict(PAPER, steps=args.steps, log_every=args.log_every, test_every=args.test_every,
               test_size=args.test_size, grad=args.grad)
    jobs = args.jobs or min(os.cpu_count() or 1, len(OPTIMIZERS))
    jobs = min(jobs, len(OPTIMIZERS))
    if args.threads:
        torch.set_num_threads(args.threads)
    elif jobs > 1:
        torch.set_num_threads(1)  # no OpenMP pool before fork; each worker then uses 1 thread
    threads = torch.get_num_threads()

    t0 = time.perf_counter()
    d, s, sp, alpha = cfg["d"], cfg["s"], cfg["sigma_p"], cfg["alpha"]
    if args.data_from:
        load_npz(args.data_from, "--data-from", "y_train")  # readable, with labels
        if "noise_index" in npz_files(args.data_from):
            f, idx, val, y = load_npz(args.data_from, "--data-from", "feature", "noise_index", "noise_value", "y_train")
            if f.ndim != 1 or idx.ndim != 2 or val.shape != idx.shape or y.shape != (idx.shape[0],) or y.shape[0] % 2:
                sys.exit(f"torch_reproduce: --data-from {args.data_from}: feature {f.shape} / noise_index {idx.shape} / noise_value {val.shape} / y_train {y.shape}, want (d,) / (n,k) / (n,k) / (n,) with n even")
            train_patches = Patches.from_sparse(f, idx, val, y)
        else:
            x, y = load_npz(args.data_from, "--data-from", "X_train", "y_train")
            if x.ndim != 3 or x.shape[1] != 2 or y.shape != (x.shape[0],) or x.shape[0] % 2:
                sys.exit(f"torch_reproduce: --data-from {args.data_from}: X_train {x.shape} / y_train {y.shape}, want (n,2,d) / (n,) with n even")
            train_patches = Patches.from_dense(x, y)
        d = train_patches.d
    else:
        n = cfg["n"]
        y = torch.cat([torch.ones(n // 2), -torch.ones(n // 2)]).to(torch.float64)
        train_patches = Patches.draw(y, d, s, sp, alpha, generator(args.seed, STREAM_TRAIN))
    gt = generator(args.seed, STREAM_TEST)
    y_test = torch.where(torch.rand(cfg["test_size"], generator=gt, dtype=torch.float64) < 0.5, -1.0, 1.0).to(torch.float64)
    test_patches = Patches.draw(y_test, d, s, sp, alpha, gt)
    m = cfg["m"]
    if args.init_from:
        (w0,) = load_npz(args.init_from, "--init-from", "W0")
        if w0.shape != (2, m, d):
            sys.exit(f"torch_reproduce: --init-from {args.init_from}: W0 has shape {w0.shape}, want (2, m={m}, d={d})")
        w0 = torch.as_tensor(w0, dtype=torch.float64)
    else:
        w0 = torch.randn(2, m, d, generator=generator(args.seed, STREAM_INIT), dtype=torch.float64) * cfg["sigma0"]
    p0 = to_internal(w0).to(dtype)
    net = Net(train_patches, m, cfg["q"], cfg["lam"], dtype, args.formulation)
    test = Net(test_patches, m, cfg["q"], cfg["lam"], dtype, args.formulation, training=False)
    prepared = time.perf_counter() - t0

    t1 = time.perf_counter()
    _JOB.update(net=net, test=test, p0=p0, cfg=cfg, optimizers=OPTIMIZERS,
                threads=args.threads or (1 if jobs > 1 else threads))
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_run_job, range(len(OPTIMIZERS)))
    else:
        results = [_run_job(i) for i in range(len(OPTIMIZERS))]
    trained = time.perf_counter() - t1
    if args.out:
        write_outputs(args.out, results, p0, m, train_patches, args)

    print(f"PyTorch {torch.__version__}, {args.dtype}, {args.formulation} formulation, {args.grad} backward, "
          f"{jobs} job(s) x {_JOB['threads']} thread(s); d={d}, n={net.n}, s={s}, m={m}, T={cfg['steps']}, "
          f"test set {test.n}, seed {args.seed}" + (f", data from {args.data_from}" if args.data_from else "")
          + (f", W0 from {args.init_from}" if args.init_from else ""))
    print()
    print(f"Table 1 (seed {args.seed})")
    print()
    print(table1(results))
    print("Paper: training error 0 / 0, test error Adam 0.884, GD 0.")
    print()
    total = time.perf_counter() - START
    print(f"seconds: import {imported:.2f}, data {prepared:.2f}, training {trained:.2f}, total {total:.2f}")
    if args.out:
        print(f"Results in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
