#!/usr/bin/env python3
"""PyTorch reference for the workloads of issue 3, and W5 of issue 13 (CPU, 2 threads).

Same shapes, steps and rates as bench/workloads.ts; prints one JSON object on stdout:
  {"torch": "<version>", "threads": 2, "workloads": {"W1": {"seconds": s, "samples": [...]}, ...},
   "w5": {"onnx": path, "images": path, "shape": [32, 3, 32, 32]}}  (w5 only with --onnx-dir)
Each workload is run once as a warm-up, then `--repeats` times; seconds is the median.
Inputs are seeded random tensors (torch.manual_seed), models He-initialized from the same seed.

  W1: PGD-20 L-inf (eps 0.3, step 0.01, sign step then projection), 128x1x28x28, Madry MNIST CNN.
  W2: PGD-7 as W1, then forward/backward on the adversarial batch and a momentum-SGD step.
  W3: one momentum-SGD step, 128x3x32x32, CIFAR CNN.
  W4: 50 L2 steps (step 0.1, gradient normalized per example, clamp [0,1]) minimizing
      ||r(x) - r_t|| / ||r_t|| over the CIFAR CNN's 256-d representation, batch 64.
  W5 (with --onnx-dir DIR): PGD-10 L-inf (eps 8/255, step 2/255, no random start, summed
      cross-entropy, per-example best iterate as runAttack returns) on 32x3x32x32 through the
      seeded PreAct ResNet-18 of test/reference/onnx_fixtures.py (eval mode), labels its own
      clean predictions. The model is exported to DIR/preact-resnet18.onnx and its images (the
      fixture's seeded uniform [0,1] batch) written to DIR/w5-images.f32 (float32, NCHW), so
      the engine attacks the same weights and the same pixels.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20240603


class MadryCnn(nn.Module):
    """conv 5x5x32 same + ReLU, pool 2, conv 5x5x64 same + ReLU, pool 2, dense 1024 + ReLU, dense 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(7 * 7 * 64, 1024)
        self.fc2 = nn.Linear(1024, 10)

    def forward(self, x):
        x = x * 2 - 1  # normalization inside the model, as in the workbench
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        r = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(r), r


class CifarCnn(nn.Module):
    """conv 3x3x32, conv 3x3x32, pool, conv 3x3x64, conv 3x3x64, pool (same + ReLU), dense 256 + ReLU, dense 10."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList(
            [nn.Conv2d(i, o, 3, padding=1) for i, o in [(3, 32), (32, 32), (32, 64), (64, 64)]]
        )
        self.fc1 = nn.Linear(8 * 8 * 64, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = x * 2 - 1
        x = F.relu(self.convs[0](x))
        x = F.max_pool2d(F.relu(self.convs[1](x)), 2)
        x = F.relu(self.convs[2](x))
        x = F.max_pool2d(F.relu(self.convs[3](x)), 2)
        r = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(r), r


def he_init(model):
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)
    return model


def pgd_linf(model, x, y, steps, eps=0.3, step=0.01):
    """x^{t+1} = clip(Pi_{||.-x||inf<=eps}(x^t + step * sign(grad)), 0, 1), from x^0 = x."""
    x_adv = x.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = F.cross_entropy(model(x_adv)[0], y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, x_adv)
        with torch.no_grad():
            x_adv = x_adv + step * grad.sign()
            x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)
    return x_adv.detach()


def invert(model, x0, r_target, steps=50, step=0.1):
    """Normalized-L2 descent on ||r(x) - r_t|| / ||r_t|| per example, clamped to [0,1]."""
    x = x0.clone()
    scale = r_target.norm(dim=1)
    for _ in range(steps):
        x.requires_grad_(True)
        loss = ((model(x)[1] - r_target).norm(dim=1) / scale).sum()
        (grad,) = torch.autograd.grad(loss, x)
        with torch.no_grad():
            norm = grad.flatten(1).norm(dim=1).view(-1, 1, 1, 1) + 1e-12
            x = (x - step * grad / norm).clamp(0, 1)
    return x.detach()


W5_MODEL = "preact-resnet18"
W5_BATCH = 32


def pgd_linf_best(model, x0, y, steps=10, eps=8 / 255, step=2 / 255):
    """The workbench's PGD (src-main/engine/attacks/pgd.ts) without random start: sign steps
    projected onto the eps-box and [0,1]; per example the iterate of x^1..x^T with the highest
    cross-entropy (the model's one output is its logits)."""
    x = x0.clone()
    best = x0.clone()
    best_loss = torch.full((x0.shape[0],), -float("inf"))
    for t in range(steps + 1):
        x.requires_grad_(t < steps)
        loss = F.cross_entropy(model(x), y, reduction="none")
        with torch.no_grad():
            if t > 0:
                improved = loss > best_loss
                best[improved] = x[improved]
                best_loss = torch.maximum(best_loss, loss)
        if t == steps:
            break
        (grad,) = torch.autograd.grad(loss.sum(), x)
        with torch.no_grad():
            x = torch.clamp(x0 + torch.clamp(x + step * grad.sign() - x0, -eps, eps), 0, 1)
    return best


def prepare_w5(onnx_dir):
    """The fixture's seeded PreAct ResNet-18 and images, exported for the engine's side."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "test", "reference"))
    from onnx_fixtures import export, seeded  # pylint: disable=import-outside-toplevel

    model, _, images, _ = seeded(W5_MODEL, W5_BATCH)
    with torch.no_grad():
        labels = model(images).argmax(1)
    path = export(W5_MODEL, model, images, onnx_dir)
    images_path = os.path.join(onnx_dir, "w5-images.f32")
    images.contiguous().numpy().astype("float32").tofile(images_path)
    info = {"onnx": path, "images": images_path, "shape": list(images.shape)}
    return (lambda: pgd_linf_best(model, images, labels)), info


def train_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x)[0], y)
    loss.backward()
    optimizer.step()
    return loss.item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--onnx-dir", help="also run W5, exporting its model into this folder")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)

    madry = he_init(MadryCnn())
    cifar = he_init(CifarCnn())
    mnist_x = torch.rand(128, 1, 28, 28)
    mnist_y = torch.randint(0, 10, (128,))
    cifar_x = torch.rand(128, 3, 32, 32)
    cifar_y = torch.randint(0, 10, (128,))
    inv_start = torch.rand(64, 3, 32, 32)
    with torch.no_grad():
        inv_target = cifar(torch.rand(64, 3, 32, 32))[1]
    madry_opt = torch.optim.SGD(madry.parameters(), lr=0.01, momentum=0.9)
    cifar_opt = torch.optim.SGD(cifar.parameters(), lr=0.01, momentum=0.9)

    def w2():
        x_adv = pgd_linf(madry, mnist_x, mnist_y, 7)
        train_step(madry, madry_opt, x_adv, mnist_y)

    runs = {
        "W1": lambda: pgd_linf(madry, mnist_x, mnist_y, 20),
        "W2": w2,
        "W3": lambda: train_step(cifar, cifar_opt, cifar_x, cifar_y),
        "W4": lambda: invert(cifar, inv_start, inv_target),
    }
    w5 = None
    if args.onnx_dir:
        runs["W5"], w5 = prepare_w5(args.onnx_dir)
    results = {}
    for name, run in runs.items():
        run()  # warm-up
        samples = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            run()
            samples.append(time.perf_counter() - start)
        results[name] = {"seconds": statistics.median(samples), "samples": samples}
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "workloads": results}
    if w5 is not None:
        out["w5"] = w5
    print(json.dumps(out))


if __name__ == "__main__":
    main()
