#!/usr/bin/env python3
"""PyTorch reference for the four workloads of issue 3 (CPU, 2 threads).

Same shapes, steps and rates as bench/workloads.ts; prints one JSON object on stdout:
  {"torch": "<version>", "threads": 2, "workloads": {"W1": {"seconds": s, "samples": [...]}, ...}}
Each workload is run once as a warm-up, then `--repeats` times; seconds is the median.
Inputs are seeded random tensors (torch.manual_seed), models He-initialized from the same seed.

  W1: PGD-20 L-inf (eps 0.3, step 0.01, sign step then projection), 128x1x28x28, Madry MNIST CNN.
  W2: PGD-7 as W1, then forward/backward on the adversarial batch and a momentum-SGD step.
  W3: one momentum-SGD step, 128x3x32x32, CIFAR CNN.
  W4: 50 L2 steps (step 0.1, gradient normalized per example, clamp [0,1]) minimizing
      ||r(x) - r_t|| / ||r_t|| over the CIFAR CNN's 256-d representation, batch 64.
"""
import argparse
import json
import statistics
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
    results = {}
    for name, run in runs.items():
        run()  # warm-up
        samples = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            run()
            samples.append(time.perf_counter() - start)
        results[name] = {"seconds": statistics.median(samples), "samples": samples}
    print(
        json.dumps(
            {"torch": torch.__version__, "threads": torch.get_num_threads(), "workloads": results}
        )
    )


if __name__ == "__main__":
    main()
