"""Replay, in PyTorch (float64), full-batch runs of adamgap on the
signal-noise family's model from its files, and compare the final weights.

Usage: torch_family_replay.py DIR Q LAMBDA STEPS OUTPUT_SCALE RUNS_JSON

DIR holds data.npz (X_train (n,2,d), y_train: the training labels after the
label flips, y_train_clean) and weights.npz (W0 and W_<name>, (2,m,d), index
0 = class -1). The objective is the mean cross-entropy of
F_j(W,x) = s * sum_r sum_p relu(<w_{j,r}, x_p>)^q, s = 1/m for
OUTPUT_SCALE "mean" and 1 for "sum", plus (LAMBDA/2)||W||^2. RUNS_JSON is a
list of {"name", "kind": "gd" | "adam" | "sam", "lr", and "betas", "eps" for
adam, "radius" for sam}: gd is torch.optim.SGD(weight_decay=LAMBDA), adam
torch.optim.Adam(weight_decay=LAMBDA), sam the SAM step written out (the
gradient of the whole objective by autograd at W and at
W + radius*g/||g||_2, then torch.optim.SGD with that gradient). Prints, per
run, {"max_abs_diff", "max_abs", "moved", "from_first" (max |W - W_first run|)}, plus "flipped": the training
labels that differ from the clean ones.
"""
import json
import sys

import numpy as np
import torch


def main():
    d = sys.argv[1]
    q, lam = float(sys.argv[2]), float(sys.argv[3])
    steps, scale = int(sys.argv[4]), sys.argv[5]
    runs = json.loads(sys.argv[6])
    data = np.load(f"{d}/data.npz")
    weights = np.load(f"{d}/weights.npz")
    X = torch.from_numpy(data["X_train"])  # (n, 2, d)
    yi = torch.from_numpy((data["y_train"] > 0).astype(np.int64))
    m = weights["W0"].shape[1]

    def data_loss(W):
        Z = torch.einsum("jrk,npk->njrp", W, X)
        A = torch.relu(Z) if q == 1 else torch.clamp(Z, min=0) ** q
        F = A.sum(dim=(2, 3))  # (n, 2)
        if scale == "mean":
            F = F / m
        return torch.nn.functional.cross_entropy(F, yi)

    def grad_at(W):
        W = W.detach().clone().requires_grad_(True)
        loss = data_loss(W) + lam / 2 * (W * W).sum()
        (g,) = torch.autograd.grad(loss, W)
        return g

    out = {"flipped": int((data["y_train"] != data["y_train_clean"]).sum())}
    for r in runs:
        W0 = torch.from_numpy(weights["W0"].copy())
        W = torch.nn.Parameter(W0.clone())
        kind = r["kind"]
        if kind == "gd":
            opt = torch.optim.SGD([W], lr=r["lr"], weight_decay=lam, foreach=False)
        elif kind == "adam":
            opt = torch.optim.Adam([W], lr=r["lr"], betas=tuple(r["betas"]), eps=r["eps"], weight_decay=lam, foreach=False)
        else:
            opt = torch.optim.SGD([W], lr=r["lr"], foreach=False)
        for _ in range(steps):
            opt.zero_grad()
            if kind == "sam":
                g = grad_at(W)
                norm = torch.sqrt((g * g).sum())
                wp = W.detach() + (r["radius"] / norm) * g if norm != 0 else W.detach()
                W.grad = grad_at(wp)
            else:
                data_loss(W).backward()
            opt.step()
        want = weights[f"W_{r['name']}"]
        got = W.detach().numpy()
        out[r["name"]] = {
            "max_abs_diff": float(np.abs(got - want).max()),
            "max_abs": float(np.abs(want).max()),
            "moved": float(np.abs(want - weights["W0"]).max()),
            "from_first": float(np.abs(want - weights[f"W_{runs[0]['name']}"]).max()),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
