"""SAM steps from PyTorch for optim/sam_test.go (TestSAMAgainstPyTorch).

Reads JSON on stdin: {"w0", "X" (rows), "y" (±1), "lambda", "lr", "radius",
"momentum", "steps"}. The objective is L(w) = mean log(1 + exp(-y·Xw)) +
(λ/2)‖w‖², differentiated by autograd; each step evaluates ∇L(w), moves to
w + ρ·g/‖g‖₂, evaluates ∇L there and lets torch.optim.SGD (momentum μ,
dampening 0) step with it. Writes the weights after each step as JSON.
float64 throughout.
"""
import json
import sys

import torch

spec = json.load(sys.stdin)
torch.set_default_dtype(torch.float64)
X, y = torch.tensor(spec["X"]), torch.tensor(spec["y"])
lam, rho = spec["lambda"], spec["radius"]
p = torch.nn.Parameter(torch.tensor(spec["w0"]))
opt = torch.optim.SGD([p], lr=spec["lr"], momentum=spec["momentum"])


def grad_at(w):
    w = w.detach().clone().requires_grad_(True)
    loss = torch.nn.functional.softplus(-y * (X @ w)).mean() + lam / 2 * (w * w).sum()
    (g,) = torch.autograd.grad(loss, w)
    return g


traj = []
for _ in range(spec["steps"]):
    g = grad_at(p)
    norm = torch.sqrt((g * g).sum())
    wp = p.detach() + (rho / norm) * g if rho != 0 and norm != 0 else p.detach()
    p.grad = grad_at(wp)
    opt.step()
    traj.append(p.detach().tolist())
json.dump(traj, sys.stdout)
