/**
 * Batch normalization (Ioffe & Szegedy 2015) over the last (channel) axis of NHWC tensors, with
 * PyTorch's conventions so that exported weights mean the same thing there:
 *   weights  γ = '<name>.weight', β = '<name>.bias'           [C], trainable
 *   buffers  μ_r = '<name>.running_mean', σ²_r = '<name>.running_var'   [C], not trainable
 *   ε = 1e-5, momentum 0.1.
 *
 * Training mode, per channel over the m = N·H·W values of the batch:
 *   μ = (1/m) Σ x,  σ² = (1/m) Σ (x − μ)²,  s = 1/√(σ² + ε),  x̂ = (x − μ)·s,  y = γ·x̂ + β
 *   μ_r ← (1 − 0.1)·μ_r + 0.1·μ,   σ²_r ← (1 − 0.1)·σ²_r + 0.1·σ²·m/(m − 1)   (unbiased, as PyTorch)
 * backward (one custom gradient instead of a dozen taped ops; it also needs no Rsqrt gradient):
 *   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ·s·(dy − dβ/m − x̂·dγ/m)
 * Inference mode (running statistics, so an example's output does not depend on its batch):
 *   a = γ/√(σ²_r + ε),  b = β − μ_r·a,  y = x·a + b   (gradients through the registered Mul/Add)
 */
import * as tf from '@tensorflow/tfjs-core';
import { parameter } from './layers';
import type { ParameterMap, ParameterSpec } from './model-types';

export const BATCH_NORM_EPSILON = 1e-5;
/** PyTorch's momentum: the weight of the new batch statistic (Keras' momentum is 1 − this). */
export const BATCH_NORM_MOMENTUM = 0.1;

export function batchNormParameters(name: string, channels: number): ParameterSpec[] {
  const vector = (suffix: string, initializer: 'zeros' | 'ones', trainable: boolean) => ({
    name: `${name}.${suffix}`,
    shape: [channels],
    initializer,
    fanIn: channels,
    trainable,
  });
  return [
    vector('weight', 'ones', true),
    vector('bias', 'zeros', true),
    vector('running_mean', 'zeros', false),
    vector('running_var', 'ones', false),
  ];
}

function runningStatistic(parameters: ParameterMap, name: string): tf.Variable {
  const value = parameter(parameters, name);
  if (!(value instanceof tf.Variable)) {
    throw new Error(`${name} must be a variable to take running-average updates`);
  }
  return value;
}

/** The per-channel statistics of one training-mode forward pass, for the running averages. */
type StatisticsSink = (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;

function trainingBatchNorm(onStatistics: StatisticsSink) {
  return tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = inputs;
    if (
      !(x instanceof tf.Tensor) ||
      !(gamma instanceof tf.Tensor) ||
      !(beta instanceof tf.Tensor) ||
      typeof save !== 'function'
    ) {
      throw new Error('batch norm takes x, γ and β');
    }
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const count = x.size / (x.shape[x.shape.length - 1] ?? 1);
    if (count < 2) {
      throw new Error(
        `batch norm in training mode needs more than 1 value per channel, got ${count}`,
      );
    }
    const mean = tf.div(tf.sum(x, axes), count) as tf.Tensor1D;
    const centered = tf.sub(x, mean);
    const variance = tf.div(tf.sum(tf.mul(centered, centered), axes), count) as tf.Tensor1D;
    const inverseStd = tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON));
    const normalized = tf.mul(centered, inverseStd);
    onStatistics(mean, variance, count);
    save([normalized, inverseStd, gamma]);
    return {
      value: tf.add(tf.mul(normalized, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, s, g] = saved;
        if (xHat === undefined || s === undefined || g === undefined) {
          throw new Error('batch norm gradient lost its saved tensors');
        }
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, xHat), axes);
        const dx = tf.mul(
          tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xHat, tf.div(dGamma, count))),
          tf.mul(g, s),
        );
        return [dx, dGamma, dBeta];
      },
    };
  });
}

/** BatchNorm '<name>' over the last axis of x; see the file comment for both modes. */
export function batchNorm<T extends tf.Tensor>(
  x: T,
  parameters: ParameterMap,
  name: string,
  training: boolean,
): T {
  const gamma = parameter(parameters, `${name}.weight`);
  const beta = parameter(parameters, `${name}.bias`);
  const runningMean = parameter(parameters, `${name}.running_mean`);
  const runningVariance = parameter(parameters, `${name}.running_var`);
  if (!training) {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(runningVariance, BATCH_NORM_EPSILON)));
    const shift = tf.sub(beta, tf.mul(runningMean, scale));
    return tf.add(tf.mul(x, scale), shift) as T;
  }
  const meanVariable = runningStatistic(parameters, `${name}.running_mean`);
  const varianceVariable = runningStatistic(parameters, `${name}.running_var`);
  const update: StatisticsSink = (mean, variance, count) => {
    const keep = 1 - BATCH_NORM_MOMENTUM;
    const unbiased = tf.mul(variance, count / (count - 1));
    meanVariable.assign(tf.add(tf.mul(meanVariable, keep), tf.mul(mean, BATCH_NORM_MOMENTUM)));
    varianceVariable.assign(
      tf.add(tf.mul(varianceVariable, keep), tf.mul(unbiased, BATCH_NORM_MOMENTUM)),
    );
  };
  return trainingBatchNorm(update)(x, gamma, beta) as T;
}
