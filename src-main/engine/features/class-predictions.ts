/**
 * What a classifier says about a batch, for the synthesis and counterfactual views: per example,
 * the probability of its target class and the model's top-1 class. Read from the logits in
 * JavaScript (float64), so the numbers are the same on every backend and no tensor outlives the
 * call:
 *   lse_n = max_k z_nk + log Σ_k exp(z_nk − max_k z_nk)
 *   p_n   = exp(z_n,y_n − lse_n),   CE_n = lse_n − z_n,y_n,   top-1_n = argmax_k z_nk
 * (ties go to the lowest class, like tf.argMax).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';

export interface ClassPredictions {
  /** softmax(f(x_n))_{y_n}, per example. */
  targetProbability: number[];
  /** argmax_k f(x_n)_k, per example. */
  predictedClass: number[];
}

export interface LogitReadout extends ClassPredictions {
  /** −log softmax(f(x_n))_{y_n}, per example (exact even where p_n underflows). */
  crossEntropy: number[];
}

/** Throws unless there is one whole-number class in [0, numClasses) per image. */
export function checkTargetClasses(
  targetClasses: ArrayLike<number>,
  count: number,
  numClasses: number,
): void {
  if (targetClasses.length !== count) {
    throw new Error(`${count} images but ${targetClasses.length} target classes`);
  }
  for (let n = 0; n < count; n++) {
    const y = targetClasses[n];
    if (y === undefined || !Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new Error(
        `target class ${String(y)} (image ${n}) is out of range for a model with ${numClasses} classes`,
      );
    }
  }
}

/** The readout of logits [N·K] (row-major [N,K]) against target classes [N]. */
export function readLogits(
  logits: ArrayLike<number>,
  numClasses: number,
  targetClasses: ArrayLike<number>,
): LogitReadout {
  const count = targetClasses.length;
  if (logits.length !== count * numClasses) {
    throw new Error(`${logits.length} logits do not fit ${count} examples × ${numClasses} classes`);
  }
  const readout: LogitReadout = { targetProbability: [], predictedClass: [], crossEntropy: [] };
  for (let n = 0; n < count; n++) {
    let max = -Infinity;
    let top = 0;
    for (let k = 0; k < numClasses; k++) {
      const z = logits[n * numClasses + k] ?? NaN;
      if (z > max) {
        max = z;
        top = k;
      }
    }
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += Math.exp((logits[n * numClasses + k] ?? NaN) - max);
    const logSumExp = max + Math.log(sum);
    const target = logits[n * numClasses + (targetClasses[n] ?? 0)] ?? NaN;
    readout.crossEntropy.push(logSumExp - target);
    readout.targetProbability.push(Math.exp(target - logSumExp));
    readout.predictedClass.push(top);
  }
  return readout;
}

/** One model's logits on `images` [N,H,W,C], read back (no tensor outlives the call). */
export function logitsOf(model: Model, images: tf.Tensor4D): Float32Array {
  const logits = tf.tidy(() => model.forward(images).logits);
  try {
    return logits.dataSync() as Float32Array;
  } finally {
    logits.dispose();
  }
}

/**
 * Every model's predictions on the same images [N,H,W,C] against target classes [N], in model
 * order: what the counterfactual view shows live for both models (call it in onFrame).
 */
export function predictionsOf(
  models: readonly Model[],
  images: tf.Tensor4D,
  targetClasses: ArrayLike<number>,
): ClassPredictions[] {
  return models.map((model) => {
    checkTargetClasses(targetClasses, images.shape[0], model.spec.numClasses);
    const { targetProbability, predictedClass } = readLogits(
      logitsOf(model, images),
      model.spec.numClasses,
      targetClasses,
    );
    return { targetProbability, predictedClass };
  });
}
