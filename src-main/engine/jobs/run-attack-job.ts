/**
 * AttackJobSpec → AttackJobResult. Images go through the attack in batches of ≤ ATTACK_BATCH;
 * each batch gets its own sub-seed from its global index (spec.batchOffset + b), so a result
 * depends neither on how far earlier batches got nor on how the attack was split into shards.
 * lossPerStep is the mean over the whole set of each batch's first-restart curve (see
 * AttackOutcome.lossPerStep), weighted by batch size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AttackExampleResult, AttackJobResult, AttackJobSpec, JobReporter } from '../protocol';
import { fgsmOptions, type AttackOptions } from '../attacks/attack-options';
import { runAttack } from '../attacks/pgd';
import { ImageSource, indexRange } from '../data/image-source';
import { importWeights } from '../models/model-weights';
import { deriveSeed } from '../random/seeded-random';
import { summarizeBatch } from './attack-summaries';
import { ProgressThrottle } from './progress-throttle';

/**
 * Images per attack batch. 64 rather than 128: per-example speed on wasm is the same, and a
 * 128-image attack then splits into two shards that two engine workers run in parallel.
 */
export const ATTACK_BATCH = 64;

function attackOptions(spec: AttackJobSpec): AttackOptions {
  const { config } = spec;
  const set = config.perturbation;
  if (config.method === 'fgsm') {
    return fgsmOptions({
      constraint: set.constraint,
      epsilon: set.epsilon,
      targetClass: config.targetClass,
      seed: config.seed,
    });
  }
  if (config.method !== 'pgd')
    throw new Error(`unknown attack method ${String(config.method)}; use fgsm or pgd`);
  return {
    constraint: set.constraint,
    epsilon: set.epsilon,
    steps: set.steps,
    stepSize: set.stepSize,
    randomStart: set.randomStart,
    restarts: config.restarts,
    targetClass: config.targetClass,
    seed: config.seed,
  };
}

export function runAttackJob(spec: AttackJobSpec, reporter: JobReporter): AttackJobResult {
  const options = attackOptions(spec);
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
  const stepsPerBatch = options.restarts * (options.steps + 1);
  const imageSize = source.imageShape.reduce((a, b) => a * b, 1);
  const adversarial = new Float32Array(n * imageSize);
  const examples: AttackExampleResult[] = [];
  const lossSums = new Array<number>(options.steps + 1).fill(0);
  let robust = 0;
  let clean = 0;
  try {
    for (let b = 0; b < batches; b++) {
      const start = b * ATTACK_BATCH;
      const { images, labels } = source.take(indexRange(start, Math.min(n, start + ATTACK_BATCH)));
      try {
        const outcome = runAttack(
          model,
          images,
          labels,
          { ...options, seed: deriveSeed(options.seed, 'batch', spec.batchOffset + b) },
          {
            beforeStep: (restart, step) => {
              progress.throwIfCancelled();
              const within = (restart * (options.steps + 1) + step) / stepsPerBatch;
              progress.report(
                (b + within) / batches,
                `batch ${b + 1}/${batches} · restart ${restart + 1} · step ${step}`,
              );
            },
          },
        );
        const summary = summarizeBatch(model, images, outcome.adversarial);
        adversarial.set(outcome.adversarial.dataSync(), start * imageSize);
        tf.dispose([outcome.adversarial, outcome.loss]);
        const batchSize = images.shape[0];
        outcome.lossPerStep.forEach(
          (value, i) => (lossSums[i] = (lossSums[i] ?? 0) + value * batchSize),
        );
        for (let i = 0; i < batchSize; i++) {
          const label = source.labels[start + i] ?? -1;
          const after = summary.adversarialPrediction[i] ?? -1;
          const cleanCorrect = summary.cleanPrediction[i] === label;
          clean += cleanCorrect ? 1 : 0;
          robust += after === label ? 1 : 0;
          examples.push({
            cleanTop5: summary.cleanTop[i] ?? [],
            adversarialTop5: summary.adversarialTop[i] ?? [],
            cleanCorrect,
            success: options.targetClass === null ? after !== label : after === options.targetClass,
            linfNorm: summary.linf[i] ?? NaN,
            l2Norm: summary.l2[i] ?? NaN,
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
    lossPerStep: lossSums.map((sum) => sum / n),
    cleanAccuracy: clean / n,
    robustAccuracy: robust / n,
  };
}
