/**
 * A multilayer perceptron, the baseline without convolutions:
 *   [N,H,W,C] → flatten [N, H·W·C] → dense 256 + ReLU → dense 256 + ReLU (= representation r)
 *   → dense classes (= logits).
 * Parameters: MNIST 28×28×1 → 784·256+256 + 256·256+256 + 256·10+10 = 269,322;
 *             CIFAR 32×32×3 → 3072·256+256 + 65,792 + 2,570 = 855,050.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../engine-types';
import { dense, flatten, normalizeInput, representationRelu } from './layers';
import { normalizeLayer } from './model-graph';
import type { FunctionalArchitecture, ParameterSpec } from './model-types';
import { weightAndBias } from './parameter-specs';

/** Width of both hidden layers; the second is the representation. */
const HIDDEN = 256;

export const mlp: FunctionalArchitecture = {
  name: 'mlp',
  description: 'flatten → dense 256 → dense 256 → classes',
  parameters(spec: ModelSpec): ParameterSpec[] {
    const [height, width, channels] = spec.inputShape;
    const flat = height * width * channels;
    return [
      ...weightAndBias('fc1', [flat, HIDDEN], flat),
      ...weightAndBias('fc2', [HIDDEN, HIDDEN], HIDDEN),
      ...weightAndBias('fc3', [HIDDEN, spec.numClasses], HIDDEN),
    ];
  },
  graph(spec) {
    return {
      layers: [
        normalizeLayer(),
        { id: 'flatten', inputs: ['normalize'], kind: 'flatten' },
        {
          id: 'fc1',
          inputs: ['flatten'],
          kind: 'dense',
          weights: 'fc1',
          units: HIDDEN,
          activation: 'relu',
        },
        {
          id: 'fc2',
          inputs: ['fc1'],
          kind: 'dense',
          weights: 'fc2',
          units: HIDDEN,
          activation: 'relu',
        },
        {
          id: 'fc3',
          inputs: ['fc2'],
          kind: 'dense',
          weights: 'fc3',
          units: spec.numClasses,
          activation: 'linear',
        },
      ],
      representation: 'fc2',
    };
  },
  forward(parameters, images, options) {
    const hidden = tf.relu(dense(flatten(normalizeInput(images)), parameters, 'fc1'));
    const representation = representationRelu(
      dense(hidden, parameters, 'fc2'),
      options.fakeRelu ?? false,
    );
    return { logits: dense(representation, parameters, 'fc3'), representation };
  },
};
