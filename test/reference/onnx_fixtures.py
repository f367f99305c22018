"""PyTorch models with seeded weights, exported to ONNX, and PyTorch's own outputs for them.

Usage: onnx_fixtures.py OUT_DIR
Writes OUT_DIR/<name>.onnx for each model and prints one JSON document:
  {"torch": version, "opset": 13, "models": [{"name", "file", "inputShape" (NCHW),
   "images" (NCHW, flat), "labels", "logits" (flat [N,K]), "gradient" (flat NCHW)}]}
where gradient = d/dx of the summed cross-entropy sum_n CE(f(x)_n, y_n), in eval mode.

The models are the kinds the workbench must import: a BatchNorm CNN for 28x28x1 (flattened
with x.view(x.size(0), -1), which exports as Shape -> Gather -> Unsqueeze -> Concat -> Reshape),
a CNN behind an input-normalization layer ((x - mean) / std per channel, as RobustBench models
have), a CIFAR pre-activation ResNet-18 (He et al. 2016, the robustness literature's
standard model), a WideResNet-16-2 in the RobustBench/TRADES form, a CNN of the other
activations and grouped/depthwise convolutions, a CNN of dilated convolutions, a CNN that
slices and gathers its activations, and one with an op the importer refuses (Sin). BatchNorm
statistics and affine parameters are randomized, so that inference BatchNorm is not close to
the identity.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 13


class BatchNormCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.dropout = nn.Dropout(0.5)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = x.view(x.size(0), -1)
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


class Normalized(nn.Module):
    """(x - mean) / std with CIFAR-10's per-channel statistics, then a small CNN."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.2471, 0.2435, 0.2616]).view(1, 3, 1, 1))
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class PreActBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.shortcut = None
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False)

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if self.shortcut is not None else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet18(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, stride=1, padding=1, bias=False)
        layers, in_planes = [], 64
        for planes, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            for s in [stride, 1]:
                layers.append(PreActBlock(in_planes, planes, s))
                in_planes = planes
        self.layers = nn.Sequential(*layers)
        self.bn = nn.BatchNorm2d(512)
        self.linear = nn.Linear(512, num_classes)

    def forward(self, x):
        out = self.layers(self.conv1(x))
        out = F.relu(self.bn(out))
        out = F.avg_pool2d(out, 4)
        return self.linear(out.view(out.size(0), -1))


class WideBasicBlock(nn.Module):
    """The WideResNet block of RobustBench's and TRADES' wideresnet.py (Zagoruyko & Komodakis
    2016, pre-activation form): BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, plus x. When the
    channel count changes the shortcut is a 1x1 conv of the *pre-activated* input
    relu(bn1(x)) (that file reassigns x), else the identity on x. Dropout is 0 (and off in
    eval), as in the robust checkpoints."""

    def __init__(self, in_planes, out_planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, out_planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_planes)
        self.conv2 = nn.Conv2d(out_planes, out_planes, 3, stride=1, padding=1, bias=False)
        self.equal_in_out = in_planes == out_planes
        self.conv_shortcut = None
        if not self.equal_in_out:
            self.conv_shortcut = nn.Conv2d(in_planes, out_planes, 1, stride=stride, bias=False)

    def forward(self, x):
        activated = F.relu(self.bn1(x))
        out = self.conv2(F.relu(self.bn2(self.conv1(activated))))
        shortcut = x if self.equal_in_out else self.conv_shortcut(activated)
        return torch.add(shortcut, out)


class WideResNet(nn.Module):
    """WRN-depth-k for 32x32x3: conv3x3 to 16 channels, three groups of (depth - 4) / 6 blocks
    of 16k, 32k, 64k channels (stride 1, 2, 2), BN-ReLU, 8x8 average pool, linear. Depth 16,
    k = 2 here: 2 blocks a group, 0.7 M parameters (RobustBench's WRN-28-10 and WRN-34-10 are
    the same graph, deeper and wider). Initialized as that file does (He normal, fan-out)."""

    def __init__(self, depth=16, widen_factor=2, num_classes=10):
        super().__init__()
        channels = [16, 16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        blocks_per_group = (depth - 4) // 6
        self.conv1 = nn.Conv2d(3, channels[0], 3, stride=1, padding=1, bias=False)
        layers, in_planes = [], channels[0]
        for planes, stride in [(channels[1], 1), (channels[2], 2), (channels[3], 2)]:
            for i in range(blocks_per_group):
                layers.append(WideBasicBlock(in_planes, planes, stride if i == 0 else 1))
                in_planes = planes
        self.blocks = nn.Sequential(*layers)
        self.bn1 = nn.BatchNorm2d(channels[3])
        self.fc = nn.Linear(channels[3], num_classes)
        self.n_channels = channels[3]
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                m.weight.data.normal_(0, (2.0 / n) ** 0.5)

    def forward(self, x):
        out = F.relu(self.bn1(self.blocks(self.conv1(x))))
        out = F.avg_pool2d(out, 8)
        return self.fc(out.view(-1, self.n_channels))


class ActivationsCnn(nn.Module):
    """The importer's other activations and convolution kinds, for 28x28x1: LeakyRelu, Elu,
    Sigmoid, Tanh, Softplus, a grouped and a depthwise Conv, and a channel Concat."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.grouped = nn.Conv2d(8, 8, 3, padding=1, groups=4)
        self.depthwise = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = F.leaky_relu(self.conv1(x), 0.1)
        x = F.elu(self.grouped(x))
        x = torch.sigmoid(self.depthwise(x))
        x = torch.cat([torch.tanh(x), F.softplus(x)], dim=1)
        x = F.max_pool2d(x, 2)
        return self.fc(torch.flatten(x, 1))


class DilatedCnn(nn.Module):
    """Dilated (atrous) convolutions, for 28x28x1: dilation 2 at stride 1 (a BatchNorm after it,
    which the export folds into the conv), dilation (2, 3) at stride 2 (tfjs' conv2d takes
    no dilation with a stride), and dilation-2 depthwise and grouped (4 groups) convs: every
    path of the importer's Conv. It folds each dilation into a zero-spaced filter; these check
    the forward and the input gradient through that filter against PyTorch's."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.dilated = nn.Conv2d(8, 16, 3, padding=2, dilation=2, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.strided = nn.Conv2d(16, 16, 3, stride=2, padding=(2, 3), dilation=(2, 3))
        self.depthwise = nn.Conv2d(16, 16, 3, padding=2, dilation=2, groups=16)
        self.grouped = nn.Conv2d(16, 16, 3, padding=2, dilation=2, groups=4)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.dilated(F.relu(self.conv1(x)))))
        x = F.relu(self.depthwise(F.relu(self.strided(x))))
        x = torch.tanh(self.grouped(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class IndexingCnn(nn.Module):
    """Slices and gathers of activations, for 32x32x3 (each exports as a Slice or Gather with
    constant starts/ends/axes/steps or indices): a channel gather with a repeated index,
    x[:, [2, 1, 0, 0]]; a crop x[:, :, 1:-1, 2:]; torch.flip (a Slice of step -1); a strided
    x[:, :, ::2, 1::3]; and one channel taken out, x[:, 3] (a scalar-index Gather, rank 3)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 15 * 10 + 15 * 10, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x[:, [2, 1, 0, 0]]))  # [N, 8, 32, 32]
        x = x[:, :, 1:-1, 2:]  # [N, 8, 30, 30]
        x = F.relu(self.conv2(torch.cat([x, torch.flip(x, [3])], 1)))  # [N, 8, 30, 30]
        x = x[:, :, ::2, 1::3]  # [N, 8, 15, 10]
        channel = x[:, 3]  # [N, 15, 10]
        return self.fc(torch.cat([torch.flatten(x, 1), torch.flatten(channel, 1)], 1))


class UnsupportedOp(nn.Module):
    """A tiny classifier with an op the importer does not translate (Sin), for the refusal."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(28 * 28, 10)

    def forward(self, x):
        return self.fc(torch.sin(torch.flatten(x, 1)))


def randomize_batch_norm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = 0.5 + torch.rand(n, generator=generator)
            m.bias.data = 0.2 * torch.randn(n, generator=generator)
            m.running_mean.data = 0.2 * torch.randn(n, generator=generator)
            m.running_var.data = 0.5 + torch.rand(n, generator=generator)


# (name, model class, input shape CHW, seed): the fixtures, in the order main() writes them.
FIXTURES = [
    ("batchnorm-cnn", BatchNormCnn, (1, 28, 28), 1),
    ("normalized-cnn", Normalized, (3, 32, 32), 2),
    ("preact-resnet18", PreActResNet18, (3, 32, 32), 3),
    ("activations-cnn", ActivationsCnn, (1, 28, 28), 4),
    ("unsupported-op", UnsupportedOp, (1, 28, 28), 5),
    ("wide-resnet-16-2", WideResNet, (3, 32, 32), 6),
    ("dilated-cnn", DilatedCnn, (1, 28, 28), 7),
    ("indexing-cnn", IndexingCnn, (3, 32, 32), 8),
]


def seeded(name, batch=4):
    """The fixture's model (eval mode), its input shape, and a batch of images in [0, 1] and
    labels, all from the fixture's seed: the same weights every call, whatever the batch size
    (the batch is drawn after the weights)."""
    _, model_class, input_shape, seed = next(f for f in FIXTURES if f[0] == name)
    torch.manual_seed(seed)
    model = model_class()
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    randomize_batch_norm(model, generator)
    model.eval()
    images = torch.rand((batch, *input_shape), generator=generator)
    labels = torch.randint(0, 10, (batch,), generator=generator)
    return model, input_shape, images, labels


def export(name, model, images, out_dir):
    path = os.path.join(out_dir, f"{name}.onnx")
    torch.onnx.export(
        model,
        images,
        path,
        opset_version=OPSET,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
    )
    return path


def fixture(name, out_dir):
    model, input_shape, images, labels = seeded(name)
    path = export(name, model, images, out_dir)
    x = images.clone().requires_grad_(True)
    logits = model(x)
    F.cross_entropy(logits, labels, reduction="sum").backward()
    return {
        "name": name,
        "file": path,
        "inputShape": list(input_shape),
        "images": images.flatten().tolist(),
        "labels": labels.tolist(),
        "logits": logits.detach().flatten().tolist(),
        "gradient": x.grad.flatten().tolist(),
    }


def main():
    out_dir = sys.argv[1]
    models = [fixture(name, out_dir) for name, *_ in FIXTURES]
    print(json.dumps({"torch": torch.__version__, "opset": OPSET, "models": models}))


if __name__ == "__main__":
    main()
