"""PyTorch's PGD on the ONNX fixtures' models (onnx_fixtures.py: same classes, same seeds, so the
same weights), as the oracle for the workbench's runAttack on the imported files.

Usage: onnx_pgd_fixtures.py OUT_DIR NAME:BATCH...
Writes OUT_DIR/<name>.onnx for each NAME and prints one JSON document:
  {"torch": version, "models": [{"name", "file", "inputShape" (NCHW), "images" (NCHW, flat),
   "labels", "attacks": [{"constraint", "epsilon", "stepSize", "steps",
   "adversarial" (NCHW, flat), "predictions"}]}]}

The batch: the fixture's seeded noise images, every other one pulled toward grey
(x = 0.5 + (u - 0.5) / 2), and as labels the model's own clean predictions, so clean accuracy is
1 and robust accuracy counts the images the attack does not flip. (On the fixtures' random
labels it would just be the clean accuracy: these random-weight models predict one class for
all noise images, and PGD at these radii moves none of the correctly labelled ones.)

The attack is the workbench's PGD (src-main/engine/attacks/pgd.ts) written out in PyTorch:
untargeted, loss F.cross_entropy(reduction='sum'), no random start, one restart, eval mode,
  L2:   x <- x + a * g/||g||_2 (per example; 0 where g = 0); d = x - x0;
        x <- clamp(x0 + d * min(1, eps/||d||_2), 0, 1)
  Linf: x <- clamp(x0 + clamp(x + a * sign(g) - x0, -eps, eps), 0, 1)
and returned per example, like runAttack, is the iterate of highest cross-entropy among
x^1..x^T (strictly higher replaces: the first of equal losses stays), not the last one.
"""
import json
import sys

import torch
import torch.nn.functional as F

from onnx_fixtures import export, seeded

ATTACKS = [
    {"constraint": "l2", "epsilon": 0.5, "stepSize": 0.1, "steps": 10},
    {"constraint": "linf", "epsilon": 8 / 255, "stepSize": 2 / 255, "steps": 10},
]


def step_and_project(x0, x, grad, constraint, eps, alpha):
    if constraint == "l2":
        norm = grad.flatten(1).norm(dim=1).view(-1, 1, 1, 1)
        x = x + alpha * torch.where(norm > 0, grad / norm, torch.zeros_like(grad))
        delta = x - x0
        scale = torch.clamp(eps / delta.flatten(1).norm(dim=1), max=1).view(-1, 1, 1, 1)
        return torch.clamp(x0 + delta * scale, 0, 1)
    return torch.clamp(x0 + torch.clamp(x + alpha * grad.sign() - x0, -eps, eps), 0, 1)


def pgd(model, x0, labels, constraint, epsilon, stepSize, steps):
    x = x0.clone()
    best = x0.clone()
    best_loss = torch.full((x0.shape[0],), -float("inf"))
    for t in range(steps + 1):
        x.requires_grad_(True)
        loss = F.cross_entropy(model(x), labels, reduction="none")
        if t > 0:
            with torch.no_grad():
                improved = loss > best_loss
                best[improved] = x[improved]
                best_loss = torch.maximum(best_loss, loss)
        if t == steps:
            break
        (grad,) = torch.autograd.grad(loss.sum(), x)
        with torch.no_grad():
            x = step_and_project(x0, x.detach(), grad, constraint, epsilon, stepSize)
    with torch.no_grad():
        predictions = model(best).argmax(1)
    return best, predictions


def main():
    out_dir = sys.argv[1]
    torch.set_num_threads(1)
    models = []
    for spec in sys.argv[2:]:
        name, batch = spec.split(":")
        model, input_shape, noise, _ = seeded(name, int(batch))
        contrast = torch.tensor([1.0 if i % 2 == 0 else 0.5 for i in range(noise.shape[0])])
        images = 0.5 + (noise - 0.5) * contrast.view(-1, 1, 1, 1)
        with torch.no_grad():
            labels = model(images).argmax(1)
        attacks = []
        for attack in ATTACKS:
            adversarial, predictions = pgd(model, images, labels, **attack)
            attacks.append(
                {
                    **attack,
                    "adversarial": adversarial.flatten().tolist(),
                    "predictions": predictions.tolist(),
                }
            )
        models.append(
            {
                "name": name,
                "file": export(name, model, images, out_dir),
                "inputShape": list(input_shape),
                "images": images.flatten().tolist(),
                "labels": labels.tolist(),
                "attacks": attacks,
            }
        )
    print(json.dumps({"torch": torch.__version__, "models": models}))


if __name__ == "__main__":
    main()
