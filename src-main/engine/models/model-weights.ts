/**
 * Weights in and out of the engine as WeightTensor[] (name, shape, float32 data): what the core
 * stores in the project file and sends back for attacks. Import checks every name, shape and
 * length against the architecture so a mismatched file fails with a message, not a NaN.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, WeightTensor } from '../engine-types';
import { architectures, type ArchitectureRegistry } from './architecture-registry';
import { modelFromTensors } from './create-model';
import { validateModelSpec } from './model-spec';
import type { Model } from './model-types';

/** Copies the weights out (fresh buffers, safe to transfer to another thread). */
export function exportWeights(model: Model): WeightTensor[] {
  return model.parameters.map(({ name, variable }) => ({
    name,
    shape: [...variable.shape],
    data: Float32Array.from(variable.dataSync()),
  }));
}

/** The weight given for `parameter`; throws when it is missing or its shape is not the parameter's. */
export function weightFor(
  parameter: { name: string; shape: readonly number[] },
  given: ReadonlyMap<string, WeightTensor>,
  architecture: string,
): WeightTensor {
  const weight = given.get(parameter.name);
  if (weight === undefined) throw new Error(`weight ${parameter.name} is missing`);
  if (weight.shape.join('x') !== parameter.shape.join('x')) {
    throw new Error(
      `weight ${parameter.name} has shape [${weight.shape.join(', ')}], ` +
        `${architecture} expects [${parameter.shape.join(', ')}]`,
    );
  }
  return weight;
}

export function importWeights(
  spec: ModelSpec,
  weights: readonly WeightTensor[],
  registry: ArchitectureRegistry = architectures,
): Model {
  validateModelSpec(spec);
  const expected = registry.get(spec.architecture).parameters(spec);
  const given = new Map(weights.map((w) => [w.name, w]));
  const unknown = weights
    .filter((w) => !expected.some((p) => p.name === w.name))
    .map((w) => w.name);
  if (unknown.length > 0) {
    throw new Error(`weights not part of ${spec.architecture}: ${unknown.join(', ')}`);
  }
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const parameter of expected) {
      const weight = weightFor(parameter, given, spec.architecture);
      const size = parameter.shape.reduce((a, b) => a * b, 1);
      if (weight.data.length !== size) {
        throw new Error(
          `weight ${parameter.name} has ${weight.data.length} values, expected ${size}`,
        );
      }
      tensors.set(parameter.name, tf.tensor(weight.data, parameter.shape, 'float32'));
    }
    return modelFromTensors(spec, tensors, registry);
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/**
 * Trainable parameters only, as PyTorch's sum(p.numel() for p in model.parameters()) counts
 * them: BatchNorm's running statistics are buffers and are not counted (they are still saved).
 */
export function parameterCount(
  spec: ModelSpec,
  registry: ArchitectureRegistry = architectures,
): number {
  return registry
    .get(spec.architecture)
    .parameters(spec)
    .filter((p) => p.trainable ?? true)
    .reduce((total, p) => total + p.shape.reduce((a, b) => a * b, 1), 0);
}
