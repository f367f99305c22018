#!/usr/bin/python3
"""Bring your own PyTorch model (issue 13): a standard and a PGD-robust Fashion-MNIST CNN,
trained here and exported to ONNX for `rfw import --format onnx`.

Run with Debian's Python (python3-torch, python3-numpy; python3-onnx to check the files):

  /usr/bin/python3 examples/fashion_mnist_onnx_showcase.py --out /tmp/fashion-onnx

What it does, seeded (--seed), on the CPU (--threads, default 2):
  1. reads Debian's dataset-fashion-mnist IDX files (--data, /usr/share/datasets/fashion-mnist);
  2. trains the same small CNN twice, from the same initial weights, on a seeded subset of the
     60,000 training images (--train-size, default 20,000), Adam (lr 1e-3), batch 128:
       standard:  --epochs (default 4) of cross-entropy on the clean images;
       robust:    --robust-epochs (default 6) of PGD adversarial training (Madry et al. 2018):
                  each batch replaced by its L-inf PGD-7 examples, eps --eps (default 0.1),
                  step 2.5 eps / 7, random start, before the gradient step;
     the CNN is the workbench's small-cnn (conv 3x3x16, pool, conv 3x3x32, pool, dense 128,
     dense 10), so that a small-cnn trained in the workbench can stand beside both;
  3. measures both on the first --test-count (default 1000) images of t10k, the workbench's
     test split positions 0..n-1 after `rfw import --format idx`: clean accuracy, FGSM and
     PGD-20 (step 2.5 eps / 20, random start) at eps, as `rfw eval --attacks fgsm,pgd --steps 20`
     computes them (src-main/engine/attacks/pgd.ts: the highest-loss iterate of x^1..x^T per
     image; accuracy of the attacked image, not AND-ed with the clean prediction);
  4. writes OUT/fashion-standard.onnx and OUT/fashion-robust.onnx (opset 13, input "image"
     [N, 1, 28, 28] in [0, 1], output "logits" [N, 10], the normalization (x - 0.2860) / 0.3530
     inside the graph) and OUT/figures.json with what it measured, and prints the figures.

The PGD-7 training is most of the time: about 3 minutes on 2 otherwise idle cores (one epoch
of 20,000 images took 26 s), 20 to 40 minutes on the same 2 cores shared with other work. Two
runs with the same --seed and --threads gave the same figures and bit-identical .onnx files.
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 13
# Fashion-MNIST's training-set pixel mean and standard deviation, in [0, 1] units.
FASHION_MEAN = 0.2860
FASHION_STD = 0.3530
CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]  # fmt: skip


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        description="Train a standard and a PGD-robust Fashion-MNIST CNN and export both to ONNX.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--out",
        required=True,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="folder for the .onnx files and figures.json (made if missing)",
    )
    parser.add_argument(
        "--data",
        default="/usr/share/datasets/fashion-mnist",
        help="folder of the four IDX files (Debian's dataset-fashion-mnist)",
    )
    parser.add_argument("--train-size", type=int, default=20_000, help="training images used")
    parser.add_argument("--epochs", type=int, default=4, help="epochs of the standard model")
    parser.add_argument("--robust-epochs", type=int, default=6, help="epochs of the robust model")
    parser.add_argument("--eps", type=float, default=0.1, help="L-inf radius, [0, 1] pixel units")
    parser.add_argument("--train-steps", type=int, default=7, help="PGD steps in training")
    parser.add_argument("--eval-steps", type=int, default=20, help="PGD steps in the evaluation")
    parser.add_argument("--test-count", type=int, default=1000, help="first N test images")
    parser.add_argument("--batch", type=int, default=128, help="training batch size")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    parser.add_argument("--seed", type=int, default=0, help="data order, weights, attacks")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    return parser.parse_args(argv)


def read_idx(path):
    """An IDX file (plain or .gz) as a uint8 array: [N, H, W] images or [N] labels."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file")
    shape = struct.unpack(f">{dims}I", data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def idx_file(folder, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    sys.exit(f"{folder} has no {stem}[.gz] (install dataset-fashion-mnist, or give --data)")


def load_split(folder, prefix):
    """Images as float32 [N, 1, 28, 28] in [0, 1] (byte / 255, as the workbench reads them)."""
    images = read_idx(idx_file(folder, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(idx_file(folder, f"{prefix}-labels-idx1-ubyte"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


class FashionCnn(nn.Module):
    """(x - mean) / std; conv 3x3x16 + ReLU, max-pool 2; conv 3x3x32 + ReLU, max-pool 2;
    dense 128 + ReLU (the representation: the input of the last Gemm); dense 10 (logits)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(FASHION_MEAN).view(1, 1, 1, 1))
        self.register_buffer("std", torch.tensor(FASHION_STD).view(1, 1, 1, 1))
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, 128),
            nn.ReLU(),
        )
        self.classifier = nn.Linear(128, 10)

    def forward(self, x):
        return self.classifier(self.features((x - self.mean) / self.std))


def pgd_linf(model, x, y, eps, steps, step_size, generator, random_start=True):
    """The workbench's L-inf PGD (src-main/engine/attacks/pgd.ts, constraints/linf.ts):
    x^0 = clip(x + U(-eps, eps), 0, 1) (or x), x^{t+1} = clip(x + clip(x^t + step * sign(grad)
    - x, -eps, eps), 0, 1) on the summed cross-entropy; per image the iterate of x^1..x^T with
    the highest cross-entropy. steps = 1, step = eps, no random start is FGSM."""
    if random_start:
        noise = torch.rand(x.shape, generator=generator) * 2 * eps - eps
        current = (x + noise).clamp(0, 1)
    else:
        current = x.clone()
    best = x.clone()
    best_loss = torch.full((x.shape[0],), -float("inf"))
    for t in range(steps + 1):
        current.requires_grad_(t < steps)
        loss = F.cross_entropy(model(current), y, reduction="none")
        with torch.no_grad():
            if t > 0:
                improved = loss > best_loss
                best[improved] = current[improved]
                best_loss = torch.maximum(best_loss, loss)
        if t == steps:
            break
        (grad,) = torch.autograd.grad(loss.sum(), current)
        with torch.no_grad():
            current = (x + (current + step_size * grad.sign() - x).clamp(-eps, eps)).clamp(0, 1)
    return best.detach()


def train(model, x, y, args, robust, generator):
    """Adam on shuffled batches; robust: each batch replaced by its PGD examples first."""
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    epochs = args.robust_epochs if robust else args.epochs
    step_size = 2.5 * args.eps / args.train_steps
    history = []
    for epoch in range(epochs):
        order = torch.randperm(x.shape[0], generator=generator)
        total_loss, correct = 0.0, 0
        start = time.perf_counter()
        for first in range(0, x.shape[0], args.batch):
            index = order[first : first + args.batch]
            images, labels = x[index], y[index]
            if robust:
                images = pgd_linf(
                    model, images, labels, args.eps, args.train_steps, step_size, generator
                )
            logits = model(images)
            loss = F.cross_entropy(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * labels.shape[0]
            correct += (logits.argmax(1) == labels).sum().item()
        seen = x.shape[0]
        history.append(
            {
                "epoch": epoch + 1,
                "loss": total_loss / seen,
                "trainAccuracy": correct / seen,
                "seconds": time.perf_counter() - start,
            }
        )
        kind = "robust (PGD-%d training)" % args.train_steps if robust else "standard"
        print(
            f"  {kind} epoch {epoch + 1}/{epochs}: loss {total_loss / seen:.4f}, "
            f"{'adversarial ' if robust else ''}train accuracy {correct / seen:.2%} "
            f"({history[-1]['seconds']:.0f} s)",
            file=sys.stderr,
        )
    return history


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def evaluate(model, x, y, args):
    """Clean, FGSM and PGD-20 accuracy on (x, y), in batches of 250 with a seeded generator."""
    generator = torch.Generator().manual_seed(args.seed + 1)
    fgsm, pgd = [], []
    for first in range(0, x.shape[0], 250):
        images, labels = x[first : first + 250], y[first : first + 250]
        fgsm.append(pgd_linf(model, images, labels, args.eps, 1, args.eps, generator, False))
        pgd.append(
            pgd_linf(
                model,
                images,
                labels,
                args.eps,
                args.eval_steps,
                2.5 * args.eps / args.eval_steps,
                generator,
            )
        )
    return {
        "clean": accuracy(model, x, y),
        "fgsm": accuracy(model, torch.cat(fgsm), y),
        "pgd": accuracy(model, torch.cat(pgd), y),
    }


def export(model, path):
    """torch.onnx.export with a symbolic batch size; checked by onnx.checker where it is."""
    model.eval()
    torch.onnx.export(
        model,
        torch.zeros(1, 1, 28, 28),
        path,
        opset_version=OPSET,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
    )
    try:
        import onnx

        onnx.checker.check_model(onnx.load(path))
    except ImportError:
        print(f"  (python3-onnx is not installed: {path} was not checked)", file=sys.stderr)
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(argv):
    args = parse_arguments(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    train_x, train_y = load_split(args.data, "train")
    test_x, test_y = load_split(args.data, "t10k")
    if not 0 < args.train_size <= train_x.shape[0]:
        sys.exit(f"--train-size must be 1 to {train_x.shape[0]}")
    if not 0 < args.test_count <= test_x.shape[0]:
        sys.exit(f"--test-count must be 1 to {test_x.shape[0]}")
    generator = torch.Generator().manual_seed(args.seed)
    subset = torch.randperm(train_x.shape[0], generator=generator)[: args.train_size]
    train_x, train_y = train_x[subset], train_y[subset]
    test_x, test_y = test_x[: args.test_count], test_y[: args.test_count]

    figures = {
        "script": "examples/fashion_mnist_onnx_showcase.py",
        "torch": torch.__version__,
        "threads": args.threads,
        "seed": args.seed,
        "data": os.path.abspath(args.data),
        "trainImages": args.train_size,
        "epsilon": args.eps,
        "test": {
            "images": args.test_count,
            "what": f"the first {args.test_count} images of t10k "
            f"(test-split positions 0..{args.test_count - 1})",
            "fgsm": f"one step of eps = {args.eps}, no random start",
            "pgd": f"PGD-{args.eval_steps}, step 2.5 eps / {args.eval_steps}, random start, "
            f"seed {args.seed + 1}",
        },
        "models": {},
    }
    for name, robust in (("standard", False), ("robust", True)):
        torch.manual_seed(args.seed)  # the same initial weights for both models
        model = FashionCnn()
        start = time.perf_counter()
        history = train(model, train_x, train_y, args, robust, generator)
        seconds = time.perf_counter() - start
        model.eval()
        measured = evaluate(model, test_x, test_y, args)
        path = os.path.join(args.out, f"fashion-{name}.onnx")
        sha256 = export(model, path)
        figures["models"][name] = {
            "file": path,
            "sha256": sha256,
            "training": (
                {
                    "kind": "pgd",
                    "steps": args.train_steps,
                    "stepSize": 2.5 * args.eps / args.train_steps,
                }
                if robust
                else {"kind": "standard"}
            ),
            "epochs": len(history),
            "history": history,
            "trainSeconds": seconds,
            "accuracy": measured,
        }
        print(
            f"{name}: trained in {seconds:.0f} s; on the first {args.test_count} test images: "
            f"clean {measured['clean']:.2%}, FGSM {measured['fgsm']:.2%}, "
            f"PGD-{args.eval_steps} {measured['pgd']:.2%} at eps {args.eps} -> {path}"
        )
    with open(os.path.join(args.out, "figures.json"), "w") as f:
        json.dump(figures, f, indent=2)
        f.write("\n")
    print(f"figures: {os.path.join(args.out, 'figures.json')}")


if __name__ == "__main__":
    main(sys.argv[1:])
