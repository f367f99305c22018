/**
 * The CIFAR CNN of workloads W3 and W4 (issue 3), built in the bench from the engine's own layer
 * helpers and created through the engine's createModel with a bench-local architecture registry
 * (same seeded He-normal initialization as the built-in models).
 *
 *   [N,32,32,3] → conv 3×3×32 → conv 3×3×32 → pool → [N,16,16,32]
 *   → conv 3×3×64 → conv 3×3×64 → pool → [N,8,8,64] → flatten [N,4096]
 *   → dense 256 + ReLU (= representation r) → dense 10 (= logits)
 * All convolutions 'same', stride 1, each followed by ReLU.
 *
 * It is not registered in the engine: the contract's ArchitectureName enum (common/schemas.ts)
 * does not list it, and adding a name there is a contract change outside the bench.
 */
import type { ArchitectureName } from '../src-main/common/schemas';
import type { ModelSpec } from '../src-main/engine/protocol';
import { ArchitectureRegistry } from '../src-main/engine/models/architecture-registry';
import { createModel } from '../src-main/engine/models/create-model';
import {
  convRelu,
  dense,
  flatten,
  maxPool2,
  normalizeInput,
  representationRelu,
} from '../src-main/engine/models/layers';
import type {
  ArchitectureDefinition,
  Model,
  ParameterSpec,
} from '../src-main/engine/models/model-types';

/** The bench's name for it; cast because the contract's enum does not know it (see above). */
const cifarCnnName = 'cifar-cnn' as ArchitectureName;

function weightAndBias(name: string, shape: number[], fanIn: number): ParameterSpec[] {
  const out = shape[shape.length - 1] ?? 0;
  return [
    { name: `${name}.weight`, shape, initializer: 'he-normal', fanIn },
    { name: `${name}.bias`, shape: [out], initializer: 'zeros', fanIn },
  ];
}

export const cifarCnn: ArchitectureDefinition = {
  name: cifarCnnName,
  description: 'conv 3×3×32 ×2 → pool → conv 3×3×64 ×2 → pool → dense 256 → classes',
  parameters(spec: ModelSpec): ParameterSpec[] {
    const [height, width, channels] = spec.inputShape;
    const flat =
      Math.floor(Math.floor(height / 2) / 2) * Math.floor(Math.floor(width / 2) / 2) * 64;
    return [
      ...weightAndBias('conv1', [3, 3, channels, 32], 9 * channels),
      ...weightAndBias('conv2', [3, 3, 32, 32], 9 * 32),
      ...weightAndBias('conv3', [3, 3, 32, 64], 9 * 32),
      ...weightAndBias('conv4', [3, 3, 64, 64], 9 * 64),
      ...weightAndBias('fc1', [flat, 256], flat),
      ...weightAndBias('fc2', [256, spec.numClasses], 256),
    ];
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

const registry = new ArchitectureRegistry();
registry.register(cifarCnn);

export const cifarSpec: ModelSpec = {
  architecture: cifarCnnName,
  inputShape: [32, 32, 3],
  numClasses: 10,
};

export function createCifarCnn(seed: number): Model {
  return createModel(cifarSpec, seed, registry);
}
