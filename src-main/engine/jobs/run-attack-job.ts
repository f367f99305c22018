/**
 * AttackJobSpec → AttackJobResult, for every method of AttackConfig (attack-methods.ts). Images
 * go through the attack in batches of ≤ ATTACK_BATCH; each batch gets its own sub-seed from its
 * global index (spec.batchOffset + b), so a result depends neither on how far earlier batches got
 * nor on how the attack was split into shards: every method decides per batch (APGD's early stop
 * once a batch is all misclassified, Square's queries to the images still standing), and shards
 * are cut at batch boundaries. lossPerStep is the mean over the set of each batch's first-restart
 * curve (see AttackOutcome.lossPerStep), weighted by batch size, over the batches that have one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AttackMethod } from '../../common/attack-schemas';
import { withAttackDefaults } from '../../common/evaluation-schemas';
import type { AttackExampleResult, AttackJobResult, AttackJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { ATTACK_BATCH } from '../attacks/attack-batch';
import { ImageSource, indexRange } from '../data/image-source';
import { importWeights } from '../models/model-weights';
import { deriveSeed } from '../random/seeded-random';
import { attackBatch, checkAttackConfig, progressShape } from './attack-methods';
import { summarizeBatch } from './attack-summaries';
import { ProgressThrottle } from '../progress/progress-throttle';

export function runAttackJob(spec: AttackJobSpec, reporter: JobReporter): AttackJobResult {
  if (!AttackMethod.options.includes(spec.config.method)) {
    throw new Error(
      `unknown attack method ${String(spec.config.method)}; use ${AttackMethod.options.join(', ')}`,
    );
  }
  const config = withAttackDefaults(spec.config);
  checkAttackConfig(config);
  const source = new ImageSource(spec.images, spec.labels, spec.model.numClasses, 'attack images');
  if (source.imageShape.join('x') !== spec.model.inputShape.join('x')) {
    throw new Error(
      `images are ${source.imageShape.join('×')} but the model takes ${spec.model.inputShape.join('×')}`,
    );
  }
  const model = importWeights(spec.model, spec.weights);
  const progress = new ProgressThrottle(reporter);
  const n = source.count;
  const batches = Math.ceil(n / ATTACK_BATCH);
  const { runs, stepsPerRun } = progressShape(config, spec.model.numClasses);
  const imageSize = source.imageShape.reduce((a, b) => a * b, 1);
  const adversarial = new Float32Array(n * imageSize);
  const examples: AttackExampleResult[] = [];
  const lossSums: number[] = [];
  let lossExamples = 0;
  let robust = 0;
  let clean = 0;
  try {
    for (let b = 0; b < batches; b++) {
      const start = b * ATTACK_BATCH;
      const { images, labels } = source.take(indexRange(start, Math.min(n, start + ATTACK_BATCH)));
      try {
        const outcome = attackBatch(
          model,
          images,
          labels,
          config,
          deriveSeed(config.seed, 'batch', spec.batchOffset + b),
          {
            beforeStep: (run, step) => {
              progress.throwIfCancelled();
              const within = Math.min(1, (run * stepsPerRun + step) / (runs * stepsPerRun));
              progress.report(
                (b + within) / batches,
                `batch ${b + 1}/${batches} · ${runs > 1 ? `run ${run + 1}/${runs} · ` : ''}step ${step}`,
              );
            },
          },
        );
        const summary = summarizeBatch(model, images, outcome.adversarial, labels);
        adversarial.set(outcome.adversarial.dataSync(), start * imageSize);
        outcome.adversarial.dispose();
        const batchSize = images.shape[0];
        if (outcome.lossPerStep.length > 0) {
          lossExamples += batchSize;
          outcome.lossPerStep.forEach(
            (value, i) => (lossSums[i] = (lossSums[i] ?? 0) + value * batchSize),
          );
        }
        for (let i = 0; i < batchSize; i++) {
          const label = source.labels[start + i] ?? -1;
          const after = summary.adversarialPrediction[i] ?? -1;
          const cleanCorrect = summary.cleanPrediction[i] === label;
          clean += cleanCorrect ? 1 : 0;
          robust += after === label ? 1 : 0;
          const queries = outcome.queries?.[i];
          const stalled = outcome.stalled?.[i];
          examples.push({
            cleanTop5: summary.cleanTop[i] ?? [],
            adversarialTop5: summary.adversarialTop[i] ?? [],
            cleanCorrect,
            success: config.targetClass === null ? after !== label : after === config.targetClass,
            linfNorm: summary.linf[i] ?? NaN,
            l2Norm: summary.l2[i] ?? NaN,
            cleanLoss: summary.cleanLoss[i] ?? NaN,
            adversarialLoss: summary.adversarialLoss[i] ?? NaN,
            ...(queries === undefined ? {} : { queries }),
            ...(stalled === undefined ? {} : { stalled }),
          });
        }
      } finally {
        tf.dispose([images, labels]);
      }
    }
  } finally {
    model.dispose();
  }
  progress.report(1, 'attack finished', true);
  return {
    kind: 'attack',
    adversarial,
    examples,
    lossPerStep: lossSums.map((sum) => sum / lossExamples),
    lossExamples,
    cleanAccuracy: clean / n,
    robustAccuracy: robust / n,
  };
}
