/**
 * Builds a Model from an architecture: fresh seeded weights (createModel) or given tensors
 * (modelFromTensors). Same seed ⇒ bit-identical initial weights on every backend, because
 * tf.randomNormal with a seed draws in JavaScript, not on the backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../protocol';
import { deriveSeed } from '../random/seeded-random';
import { architectures, type ArchitectureRegistry } from './architecture-registry';
import { validateModelSpec } from './model-spec';
import type { ArchitectureDefinition, Model, NamedVariable, ParameterSpec } from './model-types';

function initialValue(parameter: ParameterSpec, seed: number): tf.Tensor {
  if (parameter.initializer === 'zeros') return tf.zeros(parameter.shape);
  const std = Math.sqrt(2 / parameter.fanIn);
  return tf.randomNormal(parameter.shape, 0, std, 'float32', deriveSeed(seed, parameter.name));
}

function assemble(
  spec: ModelSpec,
  definition: ArchitectureDefinition,
  parameters: NamedVariable[],
): Model {
  const byName = new Map<string, tf.Tensor>(parameters.map((p) => [p.name, p.variable]));
  return {
    spec,
    parameters,
    forward: (images, options = {}) => definition.forward(byName, images, options),
    dispose: () => {
      for (const p of parameters) p.variable.dispose();
    },
  };
}

export function createModel(
  spec: ModelSpec,
  seed: number,
  registry: ArchitectureRegistry = architectures,
): Model {
  validateModelSpec(spec);
  const definition = registry.get(spec.architecture);
  const parameters = definition.parameters(spec).map((parameter) => ({
    name: parameter.name,
    variable: tf.tidy(() => tf.variable(initialValue(parameter, seed), true)),
  }));
  return assemble(spec, definition, parameters);
}

/** Wraps tensors (checked against the architecture by the caller) as the model's variables. */
export function modelFromTensors(
  spec: ModelSpec,
  tensors: ReadonlyMap<string, tf.Tensor>,
  registry: ArchitectureRegistry = architectures,
): Model {
  const definition = registry.get(spec.architecture);
  const parameters = definition.parameters(spec).map((parameter) => {
    const tensor = tensors.get(parameter.name);
    if (tensor === undefined) throw new Error(`weight ${parameter.name} is missing`);
    return { name: parameter.name, variable: tf.variable(tensor, true) };
  });
  return assemble(spec, definition, parameters);
}
