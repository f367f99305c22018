/**
 * tfjs-core's CommonJS build (what Node loads) registers no gradients: only the
 * @tensorflow/tfjs union package does, and the engine does not depend on it (it arrives only
 * with the optional tfjs-node). So the engine registers the gradients of the kernels its models,
 * losses and attacks use. Any gradient already registered (e.g. by the union) is kept.
 * Ops built with tf.customGrad (logSoftmax, softmax cross-entropy) need no registry entry.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig } from '@tensorflow/tfjs-core';
import { activationGradients } from './activation-gradients';
import { arithmeticGradients } from './arithmetic-gradients';
import { concatDepthwiseGradients } from './concat-depthwise-gradients';
import { layerGradients } from './layer-gradients';
import { shapeGradients } from './shape-gradients';

export const engineGradients: readonly GradConfig[] = [
  ...arithmeticGradients,
  ...shapeGradients,
  ...layerGradients,
  ...activationGradients,
  ...concatDepthwiseGradients,
];

export function registerGradients(): void {
  for (const config of engineGradients) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
  }
}
