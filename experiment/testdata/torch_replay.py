"""Replay, in PyTorch (float64), a mini-batch Adam run of adamgap from its
files, and compare the final weights with Go's.

Usage: torch_replay.py DIR OPTIMIZER Q LAMBDA LR BETA1 BETA2 EPS STEPS

DIR holds data.npz (X_train (n,2,d), y_train), weights.npz (W0 and
W_<OPTIMIZER>, (2,m,d), index 0 = class -1) and batches.npy (int32
(STEPS, B), -1 padding) from `adamgap run --save-batches`. Step t minimises
the batch's mean cross-entropy of F_j(W,x) = sum_r sum_p relu(<w_{j,r},
x_p>)^q with torch.optim.Adam(weight_decay=LAMBDA) (coupled L2, as adamgap's
lambda). Prints {"max_abs_diff", "max_abs", "steps"} as JSON.
"""
import json
import sys

import numpy as np
import torch


def main():
    d, opt_name = sys.argv[1], sys.argv[2]
    q = int(sys.argv[3])
    lam, lr, b1, b2, eps = map(float, sys.argv[4:9])
    steps = int(sys.argv[9])
    data = np.load(f"{d}/data.npz")
    weights = np.load(f"{d}/weights.npz")
    order = np.load(f"{d}/batches.npy")
    assert order.shape[0] == steps, order.shape
    X = torch.from_numpy(data["X_train"])  # (n, 2, d)
    yi = torch.from_numpy((data["y_train"] > 0).astype(np.int64))  # class index
    W = torch.nn.Parameter(torch.from_numpy(weights["W0"].copy()))
    opt = torch.optim.Adam([W], lr=lr, betas=(b1, b2), eps=eps, weight_decay=lam, foreach=False)
    for t in range(steps):
        row = order[t]
        idx = torch.from_numpy(row[row >= 0].astype(np.int64))
        Z = torch.einsum("jrk,npk->njrp", W, X[idx])
        F = (torch.clamp(Z, min=0) ** q).sum(dim=(2, 3))  # (B, 2)
        loss = torch.nn.functional.cross_entropy(F, yi[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    want = weights[f"W_{opt_name}"]
    got = W.detach().numpy()
    print(json.dumps({"max_abs_diff": float(np.abs(got - want).max()), "max_abs": float(np.abs(want).max()), "steps": steps}))


if __name__ == "__main__":
    main()
