#!/usr/bin/env python3
"""PyTorch's L-inf PGD on the workbench's Madry MNIST CNN, as an independent oracle for tests.

Reads from the folder given as the first argument (NumPy files, the workbench's layouts):
  conv1.weight [5,5,1,32] HWIO, conv1.bias, conv2.weight [5,5,32,64], conv2.bias,
  fc1.weight [3136,1024] with rows in (h, w, c) order, fc1.bias, fc2.weight [1024,K], fc2.bias,
  images [N,28,28,1] float32 in [0,1], labels [N] int32,
and the attack from argv: eps, step size, steps. The attack is Madry et al.'s PGD without random
start, maximizing the cross-entropy with torch.nn.functional.cross_entropy:
  x^{t+1} = clip(x + clip(x^t + step * sign(grad) - x, -eps, eps), 0, 1),  x^0 = x.
Prints one JSON object: per image the clean and final cross-entropy (float64, from float32
logits), whether the final point is misclassified, and the L-inf distance moved.
"""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class MadryCnn(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(7 * 7 * 64, 1024)
        self.fc2 = nn.Linear(1024, classes)

    def forward(self, x):
        x = x * 2 - 1
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def load(folder, name):
    return torch.from_numpy(np.load(f"{folder}/{name}.npy"))


def main():
    folder, eps, step, steps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(1)
    fc2 = load(folder, "fc2.weight")
    model = MadryCnn(fc2.shape[1])
    with torch.no_grad():
        for conv in ("conv1", "conv2"):
            getattr(model, conv).weight.copy_(load(folder, f"{conv}.weight").permute(3, 2, 0, 1))
            getattr(model, conv).bias.copy_(load(folder, f"{conv}.bias"))
        # Workbench rows are (h, w, c); PyTorch's flatten of NCHW reads (c, h, w).
        fc1 = load(folder, "fc1.weight").reshape(7, 7, 64, -1).permute(2, 0, 1, 3).reshape(3136, -1)
        model.fc1.weight.copy_(fc1.T)
        model.fc1.bias.copy_(load(folder, "fc1.bias"))
        model.fc2.weight.copy_(fc2.T)
        model.fc2.bias.copy_(load(folder, "fc2.bias"))
    x = load(folder, "images").permute(0, 3, 1, 2).contiguous()
    y = load(folder, "labels").long()

    x_adv = x.clone()
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = F.cross_entropy(model(x_adv), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, x_adv)
        with torch.no_grad():
            x_adv = x + (x_adv + step * grad.sign() - x).clamp(-eps, eps)
            x_adv = x_adv.clamp(0, 1)

    with torch.no_grad():
        clean = F.cross_entropy(model(x).double(), y, reduction="none")
        logits = model(x_adv)
        final = F.cross_entropy(logits.double(), y, reduction="none")
        fooled = logits.argmax(1) != y
        moved = (x_adv - x).abs().flatten(1).max(1).values
    print(json.dumps({
        "cleanLoss": clean.tolist(),
        "finalLoss": final.tolist(),
        "fooled": fooled.tolist(),
        "moved": moved.tolist(),
    }))


if __name__ == "__main__":
    main()
