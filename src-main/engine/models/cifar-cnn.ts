/**
 * The CIFAR CNN of issue 3's workloads W3 and W4: two conv blocks of two 3×3 convolutions each.
 * For input [N,H,W,C] (CIFAR: 32×32×3, ≈1.12M parameters; H/2 meaning ⌊H/2⌋):
 *   conv 3×3×32 → conv 3×3×32 → pool → [N,H/2,W/2,32]
 *   → conv 3×3×64 → conv 3×3×64 → pool → [N,H/4,W/4,64] → flatten [N,(H/4)(W/4)·64]
 *   → dense 256 + ReLU (= representation r) → dense classes (= logits).
 * All convolutions 'same', stride 1, each followed by ReLU; pools 2×2, stride 2. The same layers as
 * bench/torch_reference.py's CifarCnn, so the benchmark compares like with like.
 */
import type { ModelSpec } from '../engine-types';
import { convRelu, dense, flatten, maxPool2, normalizeInput, representationRelu } from './layers';
import { convReluLayer, denseHead, maxPool2Layer, normalizeLayer } from './model-graph';
import type { FunctionalArchitecture, ParameterSpec } from './model-types';
import { pooledExtent, weightAndBias } from './parameter-specs';

/** Width of the representation layer. */
const HIDDEN = 256;

export const cifarCnn: FunctionalArchitecture = {
  name: 'cifar-cnn',
  description: 'conv 3×3×32 ×2 → pool → conv 3×3×64 ×2 → pool → dense 256 → classes',
  parameters(spec: ModelSpec): ParameterSpec[] {
    const channels = spec.inputShape[2];
    const [pooledHeight, pooledWidth] = pooledExtent(spec, 2, 'cifar-cnn');
    const flat = pooledHeight * pooledWidth * 64;
    return [
      ...weightAndBias('conv1', [3, 3, channels, 32], 9 * channels),
      ...weightAndBias('conv2', [3, 3, 32, 32], 9 * 32),
      ...weightAndBias('conv3', [3, 3, 32, 64], 9 * 32),
      ...weightAndBias('conv4', [3, 3, 64, 64], 9 * 64),
      ...weightAndBias('fc1', [flat, HIDDEN], flat),
      ...weightAndBias('fc2', [HIDDEN, spec.numClasses], HIDDEN),
    ];
  },
  graph(spec) {
    return {
      layers: [
        normalizeLayer(),
        convReluLayer('conv1', 'normalize', 32, 3),
        convReluLayer('conv2', 'conv1', 32, 3),
        maxPool2Layer('pool1', 'conv2'),
        convReluLayer('conv3', 'pool1', 64, 3),
        convReluLayer('conv4', 'conv3', 64, 3),
        maxPool2Layer('pool2', 'conv4'),
        ...denseHead('pool2', HIDDEN, spec.numClasses),
      ],
      representation: 'fc1',
    };
  },
  forward(parameters, images, options) {
    const x0 = normalizeInput(images);
    const x1 = maxPool2(convRelu(convRelu(x0, parameters, 'conv1'), parameters, 'conv2'));
    const x2 = maxPool2(convRelu(convRelu(x1, parameters, 'conv3'), parameters, 'conv4'));
    const representation = representationRelu(
      dense(flatten(x2), parameters, 'fc1'),
      options.fakeRelu ?? false,
    );
    return { logits: dense(representation, parameters, 'fc2'), representation };
  },
};
