/**
 * The optimizers a training config can name, written here (not tf.train.*) so that their state
 * can be saved in a checkpoint and restored bit for bit, and their rate changed every batch.
 * Same update rules as tfjs-core's, for parameter θ with gradient g at update t = 1, 2, …:
 *   sgd:       θ ← θ − η·g
 *   momentum:  v ← μ·v + g;  θ ← θ − η·v                       (μ = 0.9, as tf.train.momentum)
 *   adam:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
 *              θ ← θ − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)   (β₁ 0.9, β₂ 0.999, ε 1e-7)
 * Slots (v, m) are kept per position in the variable list the gradients arrive in (as tfjs does),
 * so a checkpoint fits a fresh model with the same architecture.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerName } from '../../common/training-schemas';
import type { OptimizerState, WeightTensor } from '../engine-types';

export const MOMENTUM = 0.9;
const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPSILON = 1e-7;

const slotNames: Record<OptimizerName, readonly string[]> = {
  sgd: [],
  momentum: ['v'],
  adam: ['m', 'v'],
};

export class TrainingOptimizer extends tf.Optimizer {
  /** η for the next update; the schedule sets it before each batch. */
  learningRate: number;
  /** slots[i][k]: slot k (slotNames order) of the i-th variable. */
  private slots: tf.Variable[][] = [];

  constructor(
    readonly name: OptimizerName,
    learningRate: number,
  ) {
    super();
    if (!(name in slotNames))
      throw new Error(`unknown optimizer ${String(name)}; use sgd, momentum or adam`);
    this.learningRate = learningRate;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { name: this.name, learningRate: this.learningRate };
  }

  override applyGradients(
    gradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[],
  ): void {
    const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
    const t = this.iterations + 1;
    const lr = this.learningRate;
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const gradient = Array.isArray(gradients) ? gradients[i]?.tensor : gradients[name];
        if (value === undefined || gradient === undefined) return;
        const slots = this.slotsFor(i, value);
        if (this.name === 'sgd') {
          value.assign(tf.sub(value, tf.mul(gradient, lr)));
        } else if (this.name === 'momentum') {
          const [velocity] = slots as [tf.Variable];
          const next = tf.add(tf.mul(velocity, MOMENTUM), gradient);
          velocity.assign(next);
          value.assign(tf.sub(value, tf.mul(next, lr)));
        } else {
          const [first, second] = slots as [tf.Variable, tf.Variable];
          const m = tf.add(tf.mul(first, BETA1), tf.mul(gradient, 1 - BETA1));
          const v = tf.add(tf.mul(second, BETA2), tf.mul(tf.square(gradient), 1 - BETA2));
          first.assign(m);
          second.assign(v);
          const mHat = tf.div(m, 1 - BETA1 ** t);
          const vHat = tf.div(v, 1 - BETA2 ** t);
          value.assign(
            tf.sub(value, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), ADAM_EPSILON)), lr)),
          );
        }
      });
    });
    this.incrementIterations();
  }

  /** A copy of the state (fresh buffers). */
  exportState(): OptimizerState {
    const kinds = slotNames[this.name];
    const slots: WeightTensor[] = [];
    this.slots.forEach((variables, i) => {
      variables.forEach((variable, k) => {
        slots.push({
          name: `${i}.${kinds[k] ?? k}`,
          shape: [...variable.shape],
          data: Float32Array.from(variable.dataSync()),
        });
      });
    });
    return { name: this.name, iterations: this.iterations, slots };
  }

  /** Replaces the state with a saved one (before the first update). */
  importState(state: OptimizerState): void {
    if (state.name !== this.name) {
      throw new Error(
        `the checkpoint's optimizer is ${state.name}, the config asks for ${this.name}`,
      );
    }
    if (!Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new Error(`optimizer iterations must be a whole number ≥ 0, got ${state.iterations}`);
    }
    const kinds = slotNames[this.name];
    if (state.slots.length % Math.max(1, kinds.length) !== 0) {
      throw new Error(
        `optimizer state has ${state.slots.length} slots, not a multiple of ${kinds.length}`,
      );
    }
    this.disposeSlots();
    const perVariable = kinds.length;
    const restored: tf.Variable[][] = [];
    for (let i = 0; perVariable > 0 && i < state.slots.length / perVariable; i++) {
      restored.push(
        kinds.map((kind, k) => {
          const slot = state.slots[i * perVariable + k];
          if (slot?.name !== `${i}.${kind}`) {
            throw new Error(
              `optimizer slot ${i * perVariable + k} should be ${i}.${kind}, got ${slot?.name}`,
            );
          }
          // A variable outlives tidy; the tensor it was made from does not need to.
          return tf.tidy(() => tf.variable(tf.tensor(slot.data, slot.shape, 'float32'), false));
        }),
      );
    }
    this.slots = restored;
    this.iterations_ = state.iterations;
  }

  override dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    tf.dispose(this.slots.flat());
    this.slots = [];
  }

  /** The slots of variable i, created as zeros on its first update. */
  private slotsFor(i: number, value: tf.Variable): tf.Variable[] {
    let slots = this.slots[i];
    if (slots === undefined) {
      // Called inside applyGradients' tidy: variables survive it, the zeros they start from do not.
      slots = slotNames[this.name].map(() => tf.variable(tf.zerosLike(value), false));
      this.slots[i] = slots;
    } else if (slots[0] !== undefined && slots[0].shape.join('x') !== value.shape.join('x')) {
      throw new Error(
        `optimizer slot ${i} has shape [${slots[0].shape.join(', ')}] but the variable is [${value.shape.join(', ')}]`,
      );
    }
    return slots;
  }
}

export function createOptimizer(name: OptimizerName, learningRate: number): TrainingOptimizer {
  return new TrainingOptimizer(name, learningRate);
}
