/**
 * Experiment d, transferability: adversarial examples crafted on each source model i (untargeted
 * PGD, cross-entropy, the config's threat model) on the first `count` test images, then shown to
 * every model j. successRate[i][j] = |{n : j right on x_n, wrong on x_adv,n(i)}| / |{n : j right
 * on x_n}|; the diagonal is the white-box success. Images a target gets wrong even when clean
 * are left out of its denominator, so the rate measures the attack, not the model's errors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TransferConfig } from '../../common/experiment-schemas';
import { runAttack } from '../attacks/pgd';
import { indexRange } from '../data/image-source';
import { ATTACK_BATCH } from '../attacks/attack-batch';
import { importWeights } from '../models/model-weights';
import type { Model } from '../models/model-types';
import type { ExperimentJobResult, ExperimentJobSpec } from '../protocol';
import { JobCancelledError, type JobReporter } from '../engine-types';
import { deriveSeed } from '../random/seeded-random';
import { sentModel, testSource } from './experiment-sources';

/** 1 where the model predicts the label, per example. */
function correctMask(model: Model, images: tf.Tensor4D, labels: tf.Tensor1D): Uint8Array {
  return tf.tidy(() => {
    const right = tf.equal(tf.argMax(model.forward(images).logits, 1), tf.cast(labels, 'int32'));
    return Uint8Array.from(right.dataSync());
  });
}

export function runTransferExperiment(
  spec: ExperimentJobSpec,
  config: TransferConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  const test = testSource(spec);
  const count = Math.min(config.count, test.count);
  const inputs = config.modelIds.map((id) => sentModel(spec, id, 'model'));
  const models: Model[] = [];
  try {
    for (const input of inputs) models.push(importWeights(input.spec, input.weights));
    const m = models.length;
    const cleanRight = Array.from({ length: m }, () => 0);
    const fooled = Array.from({ length: m }, () => Array.from({ length: m }, () => 0));
    const rightAndAttacked = Array.from({ length: m }, () => Array.from({ length: m }, () => 0));
    const batches = Math.ceil(count / ATTACK_BATCH);
    for (let b = 0; b < batches; b++) {
      const start = b * ATTACK_BATCH;
      const batch = test.take(indexRange(start, Math.min(count, start + ATTACK_BATCH)));
      try {
        const clean = models.map((model) => correctMask(model, batch.images, batch.labels));
        clean.forEach(
          (mask, j) => (cleanRight[j] = (cleanRight[j] ?? 0) + mask.reduce((a, v) => a + v, 0)),
        );
        models.forEach((source, i) => {
          const outcome = runAttack(
            source,
            batch.images,
            batch.labels,
            {
              ...config.attack,
              restarts: 1,
              targetClass: null,
              seed: deriveSeed(config.seed, 'source', i, 'batch', b),
            },
            {
              beforeStep: (_restart, step) => {
                if (reporter.cancelled()) throw new JobCancelledError();
                const done = b * m + i + step / config.attack.steps;
                reporter.progress(
                  done / (batches * m),
                  `crafting on model ${inputs[i]?.id} · batch ${b + 1}/${batches}`,
                );
              },
            },
          );
          try {
            models.forEach((target, j) => {
              const after = correctMask(target, outcome.adversarial, batch.labels);
              const before = clean[j] ?? new Uint8Array();
              const row = fooled[i] ?? [];
              const denominators = rightAndAttacked[i] ?? [];
              before.forEach((wasRight, n) => {
                if (!wasRight) return;
                denominators[j] = (denominators[j] ?? 0) + 1;
                if (!after[n]) row[j] = (row[j] ?? 0) + 1;
              });
            });
          } finally {
            tf.dispose([outcome.adversarial, outcome.loss]);
          }
        });
      } finally {
        tf.dispose([batch.images, batch.labels]);
      }
    }
    reporter.progress(1, 'experiment finished');
    return {
      kind: 'experiment',
      datasets: [],
      models: [],
      summary: {
        type: 'transfer',
        modelIds: [...config.modelIds],
        cleanAccuracy: cleanRight.map((right) => right / count),
        successRate: fooled.map((row, i) =>
          row.map((n, j) => {
            const denominator = rightAndAttacked[i]?.[j] ?? 0;
            return denominator === 0 ? null : n / denominator;
          }),
        ),
        images: count,
      },
    };
  } finally {
    for (const model of models) model.dispose();
  }
}
