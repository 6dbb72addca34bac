"""Reference trajectories from PyTorch for optim/torch_test.go.

Reads JSON on stdin: {"w0": [...], "grads": [[...], ...], "runs": [{"name":
..., "class": "SGD", "kwargs": {...}, "sched": null | {"class": ..., "kwargs":
{...}}}]}. For each run, sets p.grad to each gradient in turn, calls step()
(and the scheduler's step() after it) and records the weights. Writes JSON
{name: [[w after step 1], ...]} to stdout. float64 throughout, or the
dtype named by the optional key "dtype" ("float32").
"""
import json
import sys

import torch

spec = json.load(sys.stdin)
torch.set_default_dtype(getattr(torch, spec.get("dtype", "float64")))
out = {}
for run in spec["runs"]:
    p = torch.nn.Parameter(torch.tensor(spec["w0"]))
    opt = getattr(torch.optim, run["class"])([p], **run["kwargs"])
    sched = None
    if run.get("sched"):
        cls = getattr(torch.optim.lr_scheduler, run["sched"]["class"])
        sched = cls(opt, **run["sched"]["kwargs"])
    traj = []
    for g in spec["grads"]:
        p.grad = torch.tensor(g)
        opt.step()
        if sched is not None:
            sched.step()
        traj.append(p.detach().tolist())
    out[run["name"]] = traj
json.dump(out, sys.stdout)
