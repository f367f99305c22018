/**
 * train.py's network: each zoo architecture written as a torch.nn.Module whose modules carry the
 * workbench's weight names (conv1, fc1, stage2.block1.bn1, …), so a weight maps by name and only
 * its layout changes (python-weight-layout.ts). Input NCHW in [0,1]; like the workbench's models
 * (engine/models/*.ts) each maps it to [−1,1] inside. The convolution nets flatten in the
 * workbench's NHWC order (height, width, channel), so fc1's weights need no reordering.
 * `forward(x, x2)` runs both batches through one DistributedDataParallel call (TRADES needs the
 * clean and the adversarial logits in one backward pass).
 */
import type { TrainableArchitecture } from '../../common/model-schemas';

const twoInputs = String.raw`
class WorkbenchNet(nn.Module):
    """The shared part: forward(x) → logits; forward(x, x2) → (logits of x, logits of x2)."""

    def forward(self, x, x2=None):
        if x2 is not None:
            return self.logits(x), self.logits(x2)
        return self.logits(x)


def nhwc_flatten(x):
    """[N,C,H,W] → [N, H·W·C] in the workbench's (height, width, channel) order."""
    return x.permute(0, 2, 3, 1).flatten(1)
`;

/** small-cnn and madry-cnn (engine/models/conv-net-architecture.ts). */
function convNet(kernel: number, channels: [number, number], hidden: number): string {
  return String.raw`
class Net(WorkbenchNet):
    """[conv ${kernel}×${kernel} same + ReLU → maxpool 2] with ${channels[0]} then ${channels[1]} channels
    → flatten (NHWC order) → fc1 ${hidden} + ReLU → fc2 (logits)."""

    def __init__(self, image_shape, classes):
        super().__init__()
        height, width, channels = image_shape
        self.conv1 = nn.Conv2d(channels, ${channels[0]}, ${kernel}, padding=${Math.floor(kernel / 2)})
        self.conv2 = nn.Conv2d(${channels[0]}, ${channels[1]}, ${kernel}, padding=${Math.floor(kernel / 2)})
        flat = (height // 2 // 2) * (width // 2 // 2) * ${channels[1]}
        self.fc1 = nn.Linear(flat, ${hidden})
        self.fc2 = nn.Linear(${hidden}, classes)

    def logits(self, x):
        x = x * 2 - 1
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(nhwc_flatten(x))))
`;
}

/** cifar-cnn (engine/models/cifar-cnn.ts). */
const cifarCnn = String.raw`
class Net(WorkbenchNet):
    """conv 3×3×32 ×2 → pool → conv 3×3×64 ×2 → pool → flatten (NHWC order) → fc1 256 → fc2."""

    def __init__(self, image_shape, classes):
        super().__init__()
        height, width, channels = image_shape
        self.conv1 = nn.Conv2d(channels, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv4 = nn.Conv2d(64, 64, 3, padding=1)
        self.fc1 = nn.Linear((height // 2 // 2) * (width // 2 // 2) * 64, 256)
        self.fc2 = nn.Linear(256, classes)

    def logits(self, x):
        x = x * 2 - 1
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        x = F.max_pool2d(F.relu(self.conv4(F.relu(self.conv3(x)))), 2)
        return self.fc2(F.relu(self.fc1(nhwc_flatten(x))))
`;

/** mlp (engine/models/mlp.ts). */
const mlp = String.raw`
class Net(WorkbenchNet):
    """flatten (NHWC order) → fc1 256 + ReLU → fc2 256 + ReLU → fc3 (logits)."""

    def __init__(self, image_shape, classes):
        super().__init__()
        height, width, channels = image_shape
        self.fc1 = nn.Linear(height * width * channels, 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, classes)

    def logits(self, x):
        x = nhwc_flatten(x * 2 - 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
`;

/**
 * preact-resnet (engine/models/preact-resnet.ts): ResNet-14, pre-activation blocks, BatchNorm
 * with PyTorch's own ε 1e-5 and momentum 0.1 (the workbench took them from PyTorch).
 */
const preactResnet = String.raw`
class PreActBlock(nn.Module):
    """a = ReLU(BN₁(h)); out = conv2(ReLU(BN₂(conv1(a)))) + (shortcut(a) or h)."""

    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        projection = stride != 1 or in_channels != out_channels
        self.shortcut = nn.Conv2d(in_channels, out_channels, 1, stride, 0, bias=False) if projection else None

    def forward(self, h):
        a = F.relu(self.bn1(h))
        shortcut = h if self.shortcut is None else self.shortcut(a)
        return self.conv2(F.relu(self.bn2(self.conv1(a)))) + shortcut


class Net(WorkbenchNet):
    """conv0 3×3×16 → 3 stages × 2 blocks (16/32/64, stride 2 entering stages 2 and 3) → BN-ReLU
    → global average pool → fc (logits)."""

    def __init__(self, image_shape, classes):
        super().__init__()
        self.conv0 = nn.Conv2d(image_shape[2], 16, 3, 1, 1, bias=False)
        channels = 16
        for stage, width in enumerate([16, 32, 64]):
            blocks = {}
            for block in range(2):
                stride = 2 if stage > 0 and block == 0 else 1
                blocks['block%d' % (block + 1)] = PreActBlock(channels, width, stride)
                channels = width
            setattr(self, 'stage%d' % (stage + 1), nn.ModuleDict(blocks))
        self.bn = nn.BatchNorm2d(channels)
        self.fc = nn.Linear(channels, classes)

    def logits(self, x):
        h = self.conv0(x * 2 - 1)
        for stage in (self.stage1, self.stage2, self.stage3):
            for block in stage.values():
                h = block(h)
        return self.fc(F.relu(self.bn(h)).mean(dim=(2, 3)))
`;

const networks: Record<TrainableArchitecture, string> = {
  'small-cnn': convNet(3, [16, 32], 128),
  'madry-cnn': convNet(5, [32, 64], 1024),
  'cifar-cnn': cifarCnn,
  mlp,
  'preact-resnet': preactResnet,
};

/** The Python of the network class `Net` for one architecture. */
export function architecturePython(architecture: TrainableArchitecture): string {
  const network = networks[architecture] as string | undefined;
  if (network === undefined) {
    throw new Error(
      `no PyTorch version of architecture ${String(architecture)}: a recipe can be exported for ${Object.keys(networks).join(', ')}`,
    );
  }
  return `# ── The network (${architecture}), with the workbench's weight names ${'─'.repeat(40)}\n${twoInputs}${network}`;
}
