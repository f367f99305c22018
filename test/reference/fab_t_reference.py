#!/usr/bin/env python3
"""FAB-T (Croce & Hein, ICML 2020) in PyTorch, an independent oracle for the workbench's FAB-T.

Reads from the folder given as the first argument (NumPy files, the workbench's layouts): the
MLP's fc1.weight [784,256] (input-major), fc1.bias, fc2.weight [256,256], fc2.bias, fc3.weight
[256,K], fc3.bias; images [N,28,28,1] float32 in [0,1]; labels [N]. Then: norm (linf or l2),
iterations, target classes, eps. The run of target k skips the images already broken within
eps (AutoAttack's FAB-T; each target's run is independent of the others, so this changes no
answer to "is there an adversarial point within eps"). The model is the workbench's MLP:
x -> 2x - 1 -> flatten -> dense 256 ReLU -> dense 256 ReLU -> dense K.

Per image x of class y and each of the top-`targets` wrong classes t by clean logit, starting
from x, with f = z_t - z_y and w = grad f at the iterate p:
  d   = argmin ||d|| s.t. <w, d> = -f(p),                 -p <= d <= 1 - p
  d_o = argmin ||d|| s.t. <w, d> = -f(p) - <w, x - p>,    -x <= d <= 1 - x
  a   = min(||d|| / (||d|| + ||d_o||), alpha_max)
  p'  = clip((1 - a)(p + eta d) + a (x + eta d_o), 0, 1)
  if argmax z(p') != y: keep p' if closest so far; p' = (1 - beta) x + beta p'
with alpha_max = 0.1, eta = 1.05, beta = 0.9. The projection is solved here by bisection in
float64 on the scalar multiplier (L2: d = clip(lam w, box); Linf: d = clip(rho sign(w), box)), a
different algorithm from the workbench's exact sort of breakpoints for the same minimizer.

Prints one JSON object: per image the smallest norm found over the targets it ran (-1: none
found; 0: misclassified clean), and whether the clean image is correctly classified.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

ALPHA_MAX, ETA, BETA = 0.1, 1.05, 0.9


def load(folder, name):
    return torch.from_numpy(np.load(f"{folder}/{name}.npy"))


def mlp(folder):
    weights = {name: load(folder, name) for name in
               ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]}

    def forward(x):
        h = (x * 2 - 1).reshape(x.shape[0], -1)
        h = F.relu(h @ weights["fc1.weight"] + weights["fc1.bias"])
        h = F.relu(h @ weights["fc2.weight"] + weights["fc2.bias"])
        return h @ weights["fc3.weight"] + weights["fc3.bias"]

    return forward


def project(norm, w, c, lo, hi):
    """Rows: argmin ||d|| s.t. <w, d> = c, lo <= d <= hi (lo <= 0 <= hi), by bisection, float64."""
    w, c, lo, hi = w.double(), c.double(), lo.double(), hi.double()
    s = torch.where(c < 0, -1.0, 1.0).unsqueeze(1)
    v, target = w * s, c.abs()
    direction = v if norm == "l2" else v.sign()

    def step(lam):
        return torch.minimum(torch.maximum(direction * lam.unsqueeze(1), lo), hi)

    # The largest useful multiplier: every coordinate at its bound in v's direction.
    corner = torch.where(v > 0, hi, torch.where(v < 0, lo, torch.zeros_like(v)))
    best = (v * corner).sum(1)
    if norm == "l2":
        ratio = torch.where(v != 0, corner / torch.where(v != 0, v, torch.ones_like(v)), torch.zeros_like(v))
    else:
        ratio = corner.abs()
    upper = ratio.max(1).values
    low, high = torch.zeros_like(target), upper.clone()
    for _ in range(64):
        mid = (low + high) / 2
        reached = (v * step(mid)).sum(1) >= target
        high = torch.where(reached, mid, high)
        low = torch.where(reached, low, mid)
    d = step(high)
    d = torch.where((best < target).unsqueeze(1), corner, d)
    moves = (target > 0) & (v.abs().amax(1) > 0)
    return torch.where(moves.unsqueeze(1), d, torch.zeros_like(d)).float()


def row_norm(norm, d):
    return d.norm(dim=1) if norm == "l2" else d.abs().amax(1)


def fab_target(model, norm, x, y, t, iterations):
    n = x.shape[0]
    xf = x.reshape(n, -1)
    p = xf.clone()
    best = torch.full((n,), float("inf"))
    rows = torch.arange(n)
    for _ in range(iterations):
        p.requires_grad_(True)
        z = model(p.reshape(x.shape))
        f = z[rows, t] - z[rows, y]
        (w,) = torch.autograd.grad(f.sum(), p)
        with torch.no_grad():
            p = p.detach()
            d = project(norm, w, -f, -p, 1 - p)
            d_o = project(norm, w, -f - (w * (xf - p)).sum(1), -xf, 1 - xf)
            a, b = row_norm(norm, d), row_norm(norm, d_o)
            alpha = torch.where(a + b > 0, a / (a + b).clamp_min(1e-38), torch.zeros_like(a))
            alpha = alpha.clamp(max=ALPHA_MAX).unsqueeze(1)
            nxt = ((1 - alpha) * (p + ETA * d) + alpha * (xf + ETA * d_o)).clamp(0, 1)
            fooled = model(nxt.reshape(x.shape)).argmax(1) != y
            dist = row_norm(norm, nxt - xf)
            best = torch.where(fooled & (dist < best), dist, best)
            p = torch.where(fooled.unsqueeze(1), (1 - BETA) * xf + BETA * nxt, nxt)
    return best


def main():
    folder, norm = sys.argv[1], sys.argv[2]
    iterations, targets, eps = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    torch.set_num_threads(1)
    model = mlp(folder)
    x = load(folder, "images").float()
    y = load(folder, "labels").long()
    with torch.no_grad():
        z = model(x)
        correct = z.argmax(1) == y
        others = z.clone()
        others[torch.arange(x.shape[0]), y] = -float("inf")
        ranked = others.argsort(1, descending=True)
    norms = torch.where(correct, float("inf"), 0.0)
    for k in range(min(targets, z.shape[1] - 1)):
        open_ = (norms > eps).nonzero().flatten()
        if len(open_) == 0:
            break
        found = fab_target(model, norm, x[open_], y[open_], ranked[open_, k], iterations)
        norms[open_] = torch.minimum(norms[open_], found)
    print(json.dumps({
        "norms": [v if np.isfinite(v) else -1 for v in norms.tolist()],
        "correct": correct.tolist(),
    }))


if __name__ == "__main__":
    main()
