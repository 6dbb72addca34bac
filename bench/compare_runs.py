#!/usr/bin/python3
"""Compare two output folders of `adamgap reproduce`/`adamgap run` and
bench/torch_reproduce.py that started from the same data and W0
(torch_reproduce.py --data-from A/data.npz --init-from A/weights.npz --out B).

For each optimiser it prints
  * the largest relative difference of every metrics.csv column over the
    logged steps both runs have (test error excepted: the two programs draw
    different test sets),
  * the relative Frobenius and the largest absolute difference of the last
    iterates W_<optimizer> of weights.npz,
  * the test error of both last iterates on one common test set (drawn here,
    like torch_reproduce.py's, from --seed) and on how many of its examples
    the two iterates disagree.
Exit status 1 when a relative difference exceeds --tol (default 1e-6).

Usage: /usr/bin/python3 bench/compare_runs.py ADAMGAP_DIR TORCH_DIR [--seed 0] [--tol 1e-6]
"""

import argparse
import csv
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reproduce as tr  # noqa: E402


def read_metrics(path):
    out = {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            out[(row["optimizer"], int(row["step"]))] = row
    return out


def rel(a, b):
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", help="first output folder (e.g. adamgap's)")
    ap.add_argument("b", help="second output folder (e.g. torch_reproduce.py's)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the common test set")
    ap.add_argument("--test-size", type=int, default=tr.PAPER["test_size"])
    ap.add_argument("--tol", type=float, default=1e-6, help="largest relative difference accepted")
    args = ap.parse_args(argv)

    ma, mb = read_metrics(os.path.join(args.a, "metrics.csv")), read_metrics(os.path.join(args.b, "metrics.csv"))
    wa, wb = np.load(os.path.join(args.a, "weights.npz")), np.load(os.path.join(args.b, "weights.npz"))
    cols = [c for c in tr.CSV_HEADER[2:] if c != "test_error"]
    worst = 0.0
    if not np.array_equal(wa["W0"], wb["W0"]):
        # A float32 run stores its W0 rounded to float32.
        w0 = np.linalg.norm(wa["W0"] - wb["W0"]) / np.linalg.norm(wa["W0"])
        print(f"W0 differs: rel Frobenius diff {w0:.2e}, max |diff| {np.abs(wa['W0'] - wb['W0']).max():.2e}")
        worst = max(worst, w0)
    _, m, d = wa["W0"].shape
    cfg = tr.PAPER
    gt = tr.generator(args.seed, tr.STREAM_TEST)
    y = torch.where(torch.rand(args.test_size, generator=gt, dtype=torch.float64) < 0.5, -1.0, 1.0).to(torch.float64)
    test = tr.Net(tr.Patches.draw(y, d, cfg["s"], cfg["sigma_p"], cfg["alpha"], gt), m, cfg["q"], cfg["lam"],
                  torch.float64, "embbag", training=False)
    optimizers = sorted({k[0] for k in ma} & {k[0] for k in mb})
    for opt in optimizers:
        steps = sorted(k[1] for k in ma if k[0] == opt and (opt, k[1]) in mb)
        print(f"{opt}: {len(steps)} logged steps in common (0..{steps[-1]})")
        for c in cols:
            diffs = [(rel(float(ma[(opt, s)][c]), float(mb[(opt, s)][c])), s) for s in steps]
            r, at = max(diffs)
            worst = max(worst, r)
            print(f"  {c:14s} max rel diff {r:.2e} (step {at}: {ma[(opt, at)][c]} vs {mb[(opt, at)][c]})")
        key = "W_" + opt
        a, b = wa[key], wb[key]
        fro = np.linalg.norm(a - b) / np.linalg.norm(a)
        worst = max(worst, fro)
        print(f"  last iterate   rel Frobenius diff {fro:.2e}, max |diff| {np.abs(a - b).max():.2e} (max |W| {np.abs(a).max():.3g})")
        pa, pb = tr.to_internal(torch.from_numpy(a)), tr.to_internal(torch.from_numpy(b))
        ea, eb = test.errors(pa), test.errors(pb)
        with torch.no_grad():
            da, db = test.head(test.preact(pa))[2] >= 0, test.head(test.preact(pb))[2] >= 0
        print(f"  test error on a common test set of {test.n} (seed {args.seed}): "
              f"{ea / test.n:.4f} vs {eb / test.n:.4f}; the iterates disagree on {int((da != db).sum())} examples")
    print(f"largest relative difference {worst:.2e} (tolerance {args.tol:g}): {'ok' if worst <= args.tol else 'EXCEEDED'}")
    return 0 if worst <= args.tol else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
