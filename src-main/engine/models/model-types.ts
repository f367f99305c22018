/**
 * What a model is to the engine: a set of named tf.Variables plus a forward function.
 * Input: NHWC float32 images in [0, 1] (normalization happens inside the model, so attacks and
 * ε are always in pixel units). Output: logits [N, classes] and the penultimate representation
 * [N, features] that the robust-representation tools work on.
 *
 * Trainable weights and buffers. Some weights are state, not parameters: BatchNorm's running
 * mean and variance are updated by the forward pass in training mode, never by the optimizer.
 * Both kinds are in Model.parameters (so exportWeights/importWeights save and restore them with
 * everything else); a buffer has `trainable: false` there, and its tf.Variable is created with
 * trainable = false, which tfjs' optimizers skip even when handed the whole list. Code that
 * builds an optimizer's variable list should still use trainableVariables(model).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ArchitectureName } from '../../common/model-schemas';
import type { ModelSpec } from '../engine-types';
import type { ModelGraph } from './model-graph';

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
  /**
   * He-normal: N(0, 2 / fanIn) for weights followed by a ReLU; zeros for biases, BatchNorm β and
   * running means; ones for BatchNorm γ and running variances.
   */
  initializer: 'he-normal' | 'zeros' | 'ones';
  fanIn: number;
  /** False for buffers (BatchNorm running statistics): saved, never optimized. Default true. */
  trainable?: boolean;
}

export type ParameterMap = ReadonlyMap<string, tf.Tensor>;

interface ArchitectureBase {
  name: ArchitectureName;
  /** One line for people: layers and sizes. */
  description: string;
  /** The weights, in their fixed export order, for this input shape and class count. */
  parameters(spec: ModelSpec): ParameterSpec[];
}

/** The built-in architectures: the forward pass is a pure function of the named weights. */
export interface FunctionalArchitecture extends ArchitectureBase {
  forward(parameters: ParameterMap, images: tf.Tensor4D, options: ForwardOptions): ModelOutput;
  /**
   * The same layers as data, for the architecture description and the tfjs-layers export.
   * Every built-in architecture has one; without it (a test's ad-hoc model) export refuses.
   */
  graph?(spec: ModelSpec): ModelGraph;
}

/**
 * Architectures whose weights live inside objects of their own (an imported tfjs-layers model:
 * its layers create and read their variables). `instantiate` builds the Model around initial
 * values, one per ParameterSpec by name, which it copies (the caller still owns `values`).
 */
export interface SelfBuiltArchitecture extends ArchitectureBase {
  instantiate(spec: ModelSpec, values: ParameterMap): Model;
}

export type ArchitectureDefinition = FunctionalArchitecture | SelfBuiltArchitecture;

export interface NamedVariable {
  /** The architecture's name for it (ParameterSpec.name), e.g. 'conv1.weight'. */
  name: string;
  /** tfjs gives every variable a process-unique name of its own; ours can repeat across models. */
  variable: tf.Variable;
  /** False for buffers (see the file comment); equal to variable.trainable. */
  trainable: boolean;
}

export interface Model {
  readonly spec: ModelSpec;
  /** Trainable weights and buffers, in the architecture's parameter order. */
  readonly parameters: readonly NamedVariable[];
  forward(images: tf.Tensor4D, options?: ForwardOptions): ModelOutput;
  dispose(): void;
}

/** The variables an optimizer should update: every parameter except the buffers. */
export function trainableVariables(model: Model): tf.Variable[] {
  return model.parameters.filter((p) => p.trainable).map((p) => p.variable);
}
