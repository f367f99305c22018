/** The optimizers a training config can name; momentum uses the usual β = 0.9. */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerName } from '../../common/schemas';

export const MOMENTUM = 0.9;

export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, MOMENTUM);
    case 'adam':
      return tf.train.adam(learningRate);
    default:
      throw new Error(`unknown optimizer ${String(name)}; use sgd, momentum or adam`);
  }
}
