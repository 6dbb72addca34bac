"""Replay, in PyTorch (float64), an adamgap run from its files, and compare
the final weights with Go's.

Usage: torch_replay.py DIR OPTIMIZER Q LAMBDA LR BETA1 BETA2 EPS STEPS [WEIGHT_DECAY]

DIR holds data.npz (X_train (n,2,d), y_train), weights.npz (W0 and
W_<OPTIMIZER>, (2,m,d), index 0 = class -1) and, for a mini-batch run,
batches.npy (int32 (STEPS, B), -1 padding) from `adamgap run
--save-batches`; without batches.npy every step is full-batch. Step t
minimises the batch's mean cross-entropy of F_j(W,x) = sum_r sum_p
relu(<w_{j,r}, x_p>)^q plus the coupled L2 term (LAMBDA/2)||W||^2, with
OPTIMIZER one of
  adam   torch.optim.Adam(weight_decay=LAMBDA)   (coupled L2, adamgap's lambda)
  adamw  torch.optim.AdamW(weight_decay=WEIGHT_DECAY), the L2 term in the loss
  gd     torch.optim.SGD(lr, weight_decay=LAMBDA) (plain gradient descent)
(BETA1, BETA2, EPS are ignored for gd). Prints {"max_abs_diff", "max_abs",
"moved", "steps"} as JSON; moved is max |W_T - W0| of PyTorch's run.
"""
import json
import os
import sys

import numpy as np
import torch


def main():
    d, opt_name = sys.argv[1], sys.argv[2]
    q = int(sys.argv[3])
    lam, lr, b1, b2, eps = map(float, sys.argv[4:9])
    steps = int(sys.argv[9])
    wd = float(sys.argv[10]) if len(sys.argv) > 10 else 0.0
    data = np.load(f"{d}/data.npz")
    weights = np.load(f"{d}/weights.npz")
    X = torch.from_numpy(data["X_train"])  # (n, 2, d)
    yi = torch.from_numpy((data["y_train"] > 0).astype(np.int64))  # class index
    order = None
    if os.path.exists(f"{d}/batches.npy"):
        order = np.load(f"{d}/batches.npy")
        assert order.shape[0] == steps, order.shape
    W0 = torch.from_numpy(weights["W0"].copy())
    W = torch.nn.Parameter(W0.clone())
    l2 = 0.0  # the coupled L2 term, where the optimiser does not add it
    if opt_name == "adam":
        opt = torch.optim.Adam([W], lr=lr, betas=(b1, b2), eps=eps, weight_decay=lam, foreach=False)
    elif opt_name == "adamw":
        opt = torch.optim.AdamW([W], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd, foreach=False)
        l2 = lam
    elif opt_name == "gd":
        opt = torch.optim.SGD([W], lr=lr, weight_decay=lam, foreach=False)
    else:
        sys.exit(f"torch_replay.py: unknown optimizer {opt_name!r} (adam, adamw, gd)")
    full = torch.arange(X.shape[0])
    for t in range(steps):
        if order is None:
            idx = full
        else:
            row = order[t]
            idx = torch.from_numpy(row[row >= 0].astype(np.int64))
        Z = torch.einsum("jrk,npk->njrp", W, X[idx])
        F = (torch.clamp(Z, min=0) ** q).sum(dim=(2, 3))  # (B, 2)
        loss = torch.nn.functional.cross_entropy(F, yi[idx])
        if l2:
            loss = loss + l2 / 2 * (W * W).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    want = weights[f"W_{opt_name}"]
    got = W.detach().numpy()
    print(json.dumps({"max_abs_diff": float(np.abs(got - want).max()), "max_abs": float(np.abs(want).max()),
                      "moved": float(np.abs(got - W0.numpy()).max()), "steps": steps}))


if __name__ == "__main__":
    main()
