/**
 * The family both built-in architectures belong to:
 *   [conv K×K×c₁ same + ReLU → maxpool 2] → [conv K×K×c₂ same + ReLU → maxpool 2]
 *   → flatten → dense hidden + ReLU (= representation) → dense classes (= logits).
 * Shapes for input [N,H,W,C]: [N,H,W,c₁] → [N,H/2,W/2,c₁] → [N,H/2,W/2,c₂] → [N,H/4,W/4,c₂]
 * → [N, (H/4)(W/4)c₂] → [N, hidden] → [N, classes]   (H/2 meaning ⌊H/2⌋).
 */
import type { ArchitectureName } from '../../common/schemas';
import type { ModelSpec } from '../protocol';
import { convRelu, dense, flatten, maxPool2, normalizeInput, representationRelu } from './layers';
import type { ArchitectureDefinition, ParameterSpec } from './model-types';

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

function weightAndBias(name: string, shape: number[], fanIn: number): ParameterSpec[] {
  const out = shape[shape.length - 1] ?? 0;
  return [
    { name: `${name}.weight`, shape, initializer: 'he-normal', fanIn },
    { name: `${name}.bias`, shape: [out], initializer: 'zeros', fanIn },
  ];
}

export function convNetArchitecture(config: ConvNetConfig): ArchitectureDefinition {
  const { kernel: k, channels, hidden } = config;
  return {
    name: config.name,
    description: config.description,
    parameters(spec: ModelSpec): ParameterSpec[] {
      const [height, width, inChannels] = spec.inputShape;
      const pooledHeight = Math.floor(Math.floor(height / 2) / 2);
      const pooledWidth = Math.floor(Math.floor(width / 2) / 2);
      if (pooledHeight < 1 || pooledWidth < 1) {
        throw new Error(
          `${config.name} needs images of at least 4×4 pixels, got ${height}×${width}`,
        );
      }
      const flat = pooledHeight * pooledWidth * channels[1];
      return [
        ...weightAndBias('conv1', [k, k, inChannels, channels[0]], k * k * inChannels),
        ...weightAndBias('conv2', [k, k, channels[0], channels[1]], k * k * channels[0]),
        ...weightAndBias('fc1', [flat, hidden], flat),
        ...weightAndBias('fc2', [hidden, spec.numClasses], hidden),
      ];
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
