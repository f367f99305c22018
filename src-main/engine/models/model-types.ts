/**
 * What a model is to the engine: a set of named tf.Variables plus a pure forward function.
 * Input: NHWC float32 images in [0, 1] (normalization happens inside the model, so attacks and
 * ε are always in pixel units). Output: logits [N, classes] and the penultimate representation
 * [N, features] that the robust-representation tools work on.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ArchitectureName } from '../../common/schemas';
import type { ModelSpec } from '../protocol';

export interface ModelOutput {
  logits: tf.Tensor2D;
  representation: tf.Tensor2D;
}

export interface ForwardOptions {
  /**
   * Use a "fake ReLU" on the representation: ReLU in the forward pass, identity in the backward
   * pass, so maximizing a feature that is currently ≤ 0 still gets a gradient.
   */
  fakeRelu?: boolean;
  /**
   * Training mode: layers with batch statistics (BatchNorm) normalize with the batch's mean and
   * variance and update their running averages. Off (the default) everywhere else — attacks,
   * evaluation, inversion — so that an example's output never depends on the rest of its batch.
   */
  training?: boolean;
}

/** One weight of an architecture, as the architecture declares it. */
export interface ParameterSpec {
  name: string;
  shape: number[];
  /** He-normal: N(0, 2 / fanIn) for weights followed by a ReLU; zeros for biases. */
  initializer: 'he-normal' | 'zeros';
  fanIn: number;
}

export type ParameterMap = ReadonlyMap<string, tf.Tensor>;

export interface ArchitectureDefinition {
  name: ArchitectureName;
  /** One line for people: layers and sizes. */
  description: string;
  /** The weights, in their fixed export order, for this input shape and class count. */
  parameters(spec: ModelSpec): ParameterSpec[];
  forward(parameters: ParameterMap, images: tf.Tensor4D, options: ForwardOptions): ModelOutput;
}

export interface NamedVariable {
  /** The architecture's name for it (ParameterSpec.name), e.g. 'conv1.weight'. */
  name: string;
  /** tfjs gives every variable a process-unique name of its own; ours can repeat across models. */
  variable: tf.Variable;
}

export interface Model {
  readonly spec: ModelSpec;
  /** In the architecture's parameter order. */
  readonly parameters: readonly NamedVariable[];
  forward(images: tf.Tensor4D, options?: ForwardOptions): ModelOutput;
  dispose(): void;
}
