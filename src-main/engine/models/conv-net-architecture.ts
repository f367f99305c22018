/**
 * The family small-cnn and madry-cnn belong to:
 *   [conv K×K×c₁ same + ReLU → maxpool 2] → [conv K×K×c₂ same + ReLU → maxpool 2]
 *   → flatten → dense hidden + ReLU (= representation) → dense classes (= logits).
 * Shapes for input [N,H,W,C]: [N,H,W,c₁] → [N,H/2,W/2,c₁] → [N,H/2,W/2,c₂] → [N,H/4,W/4,c₂]
 * → [N, (H/4)(W/4)c₂] → [N, hidden] → [N, classes]   (H/2 meaning ⌊H/2⌋).
 */
import type { ArchitectureName } from '../../common/model-schemas';
import type { ModelSpec } from '../engine-types';
import { convRelu, dense, flatten, maxPool2, normalizeInput, representationRelu } from './layers';
import {
  convReluLayer,
  denseHead,
  maxPool2Layer,
  normalizeLayer,
  type ModelGraph,
} from './model-graph';
import type { FunctionalArchitecture, ParameterSpec } from './model-types';
import { pooledExtent, weightAndBias } from './parameter-specs';

export interface ConvNetConfig {
  name: ArchitectureName;
  description: string;
  /** Square conv kernel size K. */
  kernel: number;
  /** Output channels of the two conv layers. */
  channels: [number, number];
  /** Width of the penultimate (representation) layer. */
  hidden: number;
}

export function convNetArchitecture(config: ConvNetConfig): FunctionalArchitecture {
  const { kernel: k, channels, hidden } = config;
  return {
    name: config.name,
    description: config.description,
    parameters(spec: ModelSpec): ParameterSpec[] {
      const inChannels = spec.inputShape[2];
      const [pooledHeight, pooledWidth] = pooledExtent(spec, 2, config.name);
      const flat = pooledHeight * pooledWidth * channels[1];
      return [
        ...weightAndBias('conv1', [k, k, inChannels, channels[0]], k * k * inChannels),
        ...weightAndBias('conv2', [k, k, channels[0], channels[1]], k * k * channels[0]),
        ...weightAndBias('fc1', [flat, hidden], flat),
        ...weightAndBias('fc2', [hidden, spec.numClasses], hidden),
      ];
    },
    graph(spec: ModelSpec): ModelGraph {
      return {
        layers: [
          normalizeLayer(),
          convReluLayer('conv1', 'normalize', channels[0], k),
          maxPool2Layer('pool1', 'conv1'),
          convReluLayer('conv2', 'pool1', channels[1], k),
          maxPool2Layer('pool2', 'conv2'),
          ...denseHead('pool2', hidden, spec.numClasses),
        ],
        representation: 'fc1',
      };
    },
    forward(parameters, images, options) {
      const x0 = normalizeInput(images);
      const x1 = maxPool2(convRelu(x0, parameters, 'conv1'));
      const x2 = maxPool2(convRelu(x1, parameters, 'conv2'));
      const representation = representationRelu(
        dense(flatten(x2), parameters, 'fc1'),
        options.fakeRelu ?? false,
      );
      const logits = dense(representation, parameters, 'fc2');
      return { logits, representation };
    },
  };
}
