/**
 * Builds the images of D_rand / D_det: targeted L2 PGD from each x towards its new label t,
 *   x_adv = argmin_{‖x'−x‖₂ ≤ ε, x' ∈ [0,1]^d} CE(f(x'), t)
 * (no random start: the paper starts at x). What the attack adds is, by construction, a small
 * perturbation that the source model reads as class t — its non-robust features of t.
 * Runs in batches of ATTACK_BATCH; the result stays float32 so the planted signal survives.
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyPerExample, type PerExampleLoss } from '../attacks/per-example-loss';
import { runAttack } from '../attacks/pgd';
import type { ImageSource } from '../data/image-source';
import { ATTACK_BATCH } from '../attacks/attack-batch';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';

export interface TargetedL2Attack {
  epsilon: number;
  steps: number;
  stepSize: number;
}

export interface PlantedImages {
  /** N·H·W·C in [0,1]. */
  images: Float32Array;
  /** How many the source model classifies as their target. */
  reachedTarget: number;
  /** Σ_n ‖x_adv,n − x_n‖₂ */
  perturbationL2Sum: number;
}

/**
 * −CE(f(x'), t): the PGD loop maximizes its objective, so maximizing the negated cross-entropy
 * towards the labels it is given (here: the targets) walks towards those classes, per example.
 */
const towardsLabels: PerExampleLoss = {
  name: 'negative cross-entropy to the target',
  compute: (output, labels) => tf.neg(crossEntropyPerExample(output.logits, labels)),
};

export function plantTargetFeatures(
  model: Model,
  source: ImageSource,
  indices: Int32Array,
  targets: Int32Array,
  attack: TargetedL2Attack,
  seed: number,
  onStep: (done: number) => void,
): PlantedImages {
  if (indices.length !== targets.length) {
    throw new Error(`${indices.length} images but ${targets.length} targets`);
  }
  const [h, w, c] = source.imageShape;
  const size = h * w * c;
  const images = new Float32Array(indices.length * size);
  let reachedTarget = 0;
  let perturbationL2Sum = 0;
  for (let start = 0; start < indices.length; start += ATTACK_BATCH) {
    const end = Math.min(indices.length, start + ATTACK_BATCH);
    const batch = source.take(indices.subarray(start, end));
    const batchTargets = tf.tensor1d(targets.subarray(start, end), 'int32');
    try {
      const outcome = runAttack(
        model,
        batch.images,
        batchTargets,
        {
          constraint: 'l2',
          epsilon: attack.epsilon,
          steps: attack.steps,
          stepSize: attack.stepSize,
          randomStart: false,
          restarts: 1,
          targetClass: null,
          seed: deriveSeed(seed, 'batch', start),
          loss: towardsLabels,
        },
        { beforeStep: (_restart, step) => onStep(start + ((end - start) * step) / attack.steps) },
      );
      const stats = tf.tidy(() => {
        const predicted = tf.argMax(model.forward(outcome.adversarial).logits, 1);
        const hits = tf.sum(tf.cast(tf.equal(predicted, batchTargets), 'float32'));
        const delta = tf.reshape(tf.sub(outcome.adversarial, batch.images), [end - start, -1]);
        const norms = tf.sqrt(tf.sum(tf.square(delta), 1));
        return [hits.dataSync()[0] ?? 0, tf.sum(norms).dataSync()[0] ?? 0];
      });
      reachedTarget += stats[0] ?? 0;
      perturbationL2Sum += stats[1] ?? 0;
      images.set(outcome.adversarial.dataSync(), start * size);
      tf.dispose([outcome.adversarial, outcome.loss]);
    } finally {
      tf.dispose([batch.images, batch.labels, batchTargets]);
    }
  }
  return { images, reachedTarget, perturbationL2Sum };
}
