/**
 * Builds a Model from an architecture: fresh seeded weights (createModel) or given tensors
 * (modelFromTensors). Same seed ⇒ bit-identical initial weights on every backend, because
 * tf.randomNormal with a seed draws in JavaScript, not on the backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../engine-types';
import { deriveSeed } from '../random/seeded-random';
import { architectures, type ArchitectureRegistry } from './architecture-registry';
import { validateModelSpec } from './model-spec';
import type {
  ArchitectureDefinition,
  FunctionalArchitecture,
  Model,
  NamedVariable,
  ParameterSpec,
} from './model-types';

function initialValue(parameter: ParameterSpec, seed: number): tf.Tensor {
  if (parameter.initializer === 'zeros') return tf.zeros(parameter.shape);
  if (parameter.initializer === 'ones') return tf.ones(parameter.shape);
  const std = Math.sqrt(2 / parameter.fanIn);
  return tf.randomNormal(parameter.shape, 0, std, 'float32', deriveSeed(seed, parameter.name));
}

function assemble(
  spec: ModelSpec,
  definition: FunctionalArchitecture,
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

/**
 * The Model of `definition` with the given initial values (one per ParameterSpec, by name).
 * Functional architectures wrap copies of them as variables (buffers non-trainable);
 * self-built ones copy them into their own. Either way the caller keeps ownership of `values`.
 */
function build(
  spec: ModelSpec,
  definition: ArchitectureDefinition,
  values: ReadonlyMap<string, tf.Tensor>,
): Model {
  const expected = definition.parameters(spec);
  for (const parameter of expected) {
    if (!values.has(parameter.name)) throw new Error(`weight ${parameter.name} is missing`);
  }
  if ('instantiate' in definition) return definition.instantiate(spec, values);
  const parameters = expected.map((parameter) => {
    const trainable = parameter.trainable ?? true;
    const value = values.get(parameter.name) as tf.Tensor;
    return { name: parameter.name, variable: tf.variable(value, trainable), trainable };
  });
  return assemble(spec, definition, parameters);
}

export function createModel(
  spec: ModelSpec,
  seed: number,
  registry: ArchitectureRegistry = architectures,
): Model {
  validateModelSpec(spec);
  const definition = registry.get(spec.architecture);
  const values = new Map<string, tf.Tensor>();
  try {
    for (const parameter of definition.parameters(spec)) {
      values.set(
        parameter.name,
        tf.tidy(() => initialValue(parameter, seed)),
      );
    }
    return build(spec, definition, values);
  } finally {
    tf.dispose([...values.values()]);
  }
}

/** Builds the model around copies of `tensors` (checked against the architecture by the caller). */
export function modelFromTensors(
  spec: ModelSpec,
  tensors: ReadonlyMap<string, tf.Tensor>,
  registry: ArchitectureRegistry = architectures,
): Model {
  return build(spec, registry.get(spec.architecture), tensors);
}
