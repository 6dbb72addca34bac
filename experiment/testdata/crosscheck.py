"""Recompute, in NumPy, the loss and training error of every weight array of
an adamgap run on its training data.

Usage: crosscheck.py DATA.npz WEIGHTS.npz Q LAMBDA

Prints one JSON object: {name: {"loss": ..., "train_error": ...}} for each
array of WEIGHTS.npz (W0, W_adam, ...). The model is the paper's:
F_j(W, x) = sum_r relu(<w_{j,r}, x_1>)^q + relu(<w_{j,r}, x_2>)^q, with
weights of shape (2, m, d), index 0 = class -1, index 1 = class +1;
loss = mean cross-entropy + (lambda/2) ||W||^2; an example is an error when
F_y <= F_{-y}. experiment/crosscheck_test.go compares the numbers with Go's.
"""
import json
import sys

import numpy as np


def main():
    data = np.load(sys.argv[1])
    weights = np.load(sys.argv[2])
    q = int(sys.argv[3])
    lam = float(sys.argv[4])
    # The README's three lines: densify the sparse noise patches.
    y, v = data["y_train"], data["feature"]  # (n,) in {-1, +1}, (d,)
    X = np.zeros((len(y), 2, len(v))); X[:, 0] = y[:, None] * v
    X[np.arange(len(y))[:, None], 1, data["noise_index"]] = data["noise_value"]
    if "X_train" in data.files:  # small sets carry the dense form too
        assert np.array_equal(X, data["X_train"]), "X_train differs from the sparse arrays"
    assert X.dtype == np.float64 and X.ndim == 3 and X.shape[1] == 2, X.shape
    assert y.dtype == np.int64 and set(np.unique(y)) <= {-1, 1}
    n = X.shape[0]
    yi = (y > 0).astype(np.int64)  # class index of the label
    out = {}
    for name in weights.files:
        W = weights[name]  # (2, m, d)
        assert W.dtype == np.float64 and W.ndim == 3 and W.shape[0] == 2, W.shape
        Z = np.einsum("jrk,npk->njrp", W, X)  # pre-activations (n, 2, m, 2)
        F = (np.maximum(Z, 0.0) ** q).sum(axis=(2, 3))  # (n, 2)
        margin = F[np.arange(n), 1 - yi] - F[np.arange(n), yi]  # F_{-y} - F_y
        loss = np.logaddexp(0.0, margin).mean() + lam / 2 * np.sum(W * W)
        out[name.removesuffix(".npy")] = {
            "loss": float(loss),
            "train_error": float(np.mean(margin >= 0)),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
