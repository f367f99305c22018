/**
 * Standard, PGD adversarial (Madry et al. 2018) and TRADES (Zhang et al. 2019) training:
 *   standard:  min_θ E[ CE(f_θ(x), y) ]
 *   pgd:       min_θ E[ max_{x' ∈ S(x)} CE(f_θ(x'), y) ], the inner max by PGD
 *   trades:    min_θ E[ CE(f_θ(x), y) + β · max_{x' ∈ S(x)} KL(f_θ(x) ‖ f_θ(x')) ]
 * (one batch of each: train-batch.ts). Around the batches:
 *   data       a seeded training subset, minus a seeded validation hold-out (data-split.ts);
 *              epoch e visits it in the order of a permutation seeded by (seed, e), batch b of
 *              epoch e is augmented with draws seeded by (seed, e, b) (augmentation.ts)
 *   rate       set before every batch from the schedule, a function of the batch index
 *   ε warm-up  adversarial recipes: ε and the step size grow linearly over the first epochs
 *   epoch end  test accuracy (and PGD accuracy on ROBUST_EVALUATION_LIMIT test images); every
 *              N epochs and after the last, clean and robust validation accuracy and the best
 *              checkpoint; then a checkpoint for resuming (all epochs but the last)
 * Every random choice is derived from (seed, epoch, step), never drawn from a running generator,
 * so a run resumed from a checkpoint ends with the weights of the uninterrupted run.
 */
import type { TrainingConfig } from '../../common/training-schemas';
import type { AttackOptions } from '../attacks/attack-options';
import type { ImageSource } from '../data/image-source';
import type { ProgressThrottle } from '../progress/progress-throttle';
import { createModel } from '../models/create-model';
import type { Model } from '../models/model-types';
import { exportWeights, importWeights } from '../models/model-weights';
import type { ModelSpec, TrainingCheckpoint } from '../engine-types';
import { deriveSeed, seededPermutation } from '../random/seeded-random';
import { augmentationEnabled } from './augmentation';
import { BestCheckpointTracker } from './best-checkpoint';
import { splitTrainingData, type DataSplit } from './data-split';
import { accuracy, accuracyOn, robustAccuracy, robustAccuracyOn } from './evaluate';
import { learningRateAt } from './learning-rate-schedule';
import { MetricWindow } from './metric-window';
import { createOptimizer } from './optimizers';
import { takeBatch, trainBatch } from './train-batch';
import { checkResumePoint } from './training-checkpoint';
import { validateTrainingConfig, withTrainingDefaults } from './training-options';

/** Batches between two metric reports. */
export const METRICS_EVERY = 10;
/** Test images attacked at each epoch end to measure robust accuracy. */
export const ROBUST_EVALUATION_LIMIT = 500;

export interface TrainingRun {
  config: TrainingConfig;
  spec: ModelSpec;
  train: ImageSource;
  test: ImageSource;
  progress: ProgressThrottle;
  metrics(step: number, values: Record<string, number>): void;
  /** Continue from this checkpoint (made by a run with the same config and data). */
  resume?: TrainingCheckpoint;
  /** Receives a checkpoint (fresh buffers) at the end of every epoch but the last. */
  checkpoint?(checkpoint: TrainingCheckpoint): void;
}

export interface TrainingOutcome {
  /** The model to save: the best validation checkpoint, or the final weights without validation. */
  model: Model;
  /** Test accuracy of `model`. */
  testAccuracy: number;
  /** 1-based epoch of the best validation checkpoint; null without validation. */
  bestEpoch: number | null;
  /** The final weights as well: only when config.saveFinalModel and the best is an earlier epoch. */
  final: { model: Model; testAccuracy: number } | null;
  /** Whether the training batches were augmented. */
  augmented: boolean;
}

/**
 * The training attack at a given point of training. With an ε warm-up of W epochs of B batches,
 * batch number s (0-based) trains at ε·min(1, (s+1)/(W·B)), the step size scaled alike, so the
 * ratio step/ε that the PGD schedule was tuned for is kept. `ramp` 1 is the full threat model.
 */
function trainingAttack(config: TrainingConfig, seed: number, ramp = 1): AttackOptions | null {
  const set = config.adversarial;
  if (set === null) return null;
  return {
    constraint: set.constraint,
    epsilon: set.epsilon * ramp,
    steps: set.steps,
    stepSize: set.stepSize * ramp,
    randomStart: set.randomStart,
    restarts: 1,
    targetClass: null,
    seed,
  };
}

/** The robust validation attack: the configured one, else the training threat model, else none. */
function validationAttack(config: TrainingConfig, seed: number): AttackOptions | null {
  const set = config.validation?.attack ?? config.adversarial;
  if (set === null) return null;
  return { ...set, restarts: 1, targetClass: null, seed };
}

interface EpochContext {
  run: TrainingRun;
  config: TrainingConfig;
  model: Model;
  split: DataSplit;
  tracker: BestCheckpointTracker;
}

/** Test and validation measurements after epoch `epoch` (0-based); updates the best checkpoint. */
function endOfEpoch(
  context: EpochContext,
  epoch: number,
  fraction: number,
  values: Record<string, number>,
): number {
  const { run, config, model, split, tracker } = context;
  const hooks = { beforeStep: () => run.progress.throwIfCancelled() };
  const testAccuracy = accuracy(model, run.test);
  values['test.accuracy'] = testAccuracy;
  const attack = trainingAttack(config, deriveSeed(config.seed, 'evaluation', epoch));
  if (attack !== null) {
    values['test.adversarialAccuracy'] = robustAccuracy(
      model,
      run.test,
      attack,
      ROBUST_EVALUATION_LIMIT,
      hooks,
    );
  }
  const validation = config.validation;
  const finished = epoch + 1;
  if (
    validation !== null &&
    (finished % validation.everyEpochs === 0 || finished === config.epochs)
  ) {
    run.progress.report(fraction, `epoch ${finished}/${config.epochs} · validating`, true);
    const clean = accuracyOn(model, run.train, split.validation);
    values['val_accuracy'] = clean;
    const robust = validationAttack(config, deriveSeed(config.seed, 'validation', epoch));
    if (robust !== null) {
      values['val_robust_accuracy'] = robustAccuracyOn(
        model,
        run.train,
        split.validation,
        robust,
        hooks,
      );
    }
    const score = config.adversarial !== null ? (values['val_robust_accuracy'] ?? NaN) : clean;
    tracker.offer(finished, score, testAccuracy, () => exportWeights(model));
    if (tracker.best !== null) values['best_epoch'] = tracker.best.epoch;
  }
  return testAccuracy;
}

/** The saved model(s) from the final weights and the best checkpoint. */
function outcome(
  run: TrainingRun,
  config: TrainingConfig,
  model: Model,
  tracker: BestCheckpointTracker,
  testAccuracy: number,
  augmented: boolean,
): TrainingOutcome {
  const best = tracker.best;
  if (config.validation === null || best === null) {
    return { model, testAccuracy, bestEpoch: null, final: null, augmented };
  }
  if (best.epoch === config.epochs) {
    return {
      model,
      testAccuracy: best.testAccuracy,
      bestEpoch: best.epoch,
      final: null,
      augmented,
    };
  }
  const bestModel = importWeights(run.spec, best.weights);
  const saved = {
    model: bestModel,
    testAccuracy: best.testAccuracy,
    bestEpoch: best.epoch,
    augmented,
  };
  if (config.saveFinalModel) return { ...saved, final: { model, testAccuracy } };
  model.dispose();
  return { ...saved, final: null };
}

export function trainModel(run: TrainingRun): TrainingOutcome {
  const config = withTrainingDefaults(run.config);
  validateTrainingConfig(config);
  const split = splitTrainingData(
    run.train.count,
    config.seed,
    config.trainLimit,
    config.validation,
  );
  const used = split.training;
  const batchesPerEpoch = Math.ceil(used.length / config.batchSize);
  const totalBatches = batchesPerEpoch * config.epochs;
  const schedule = { learningRate: config.learningRate, batchesPerEpoch, totalBatches };
  const augmented = augmentationEnabled(config.augmentation, run.train.imageShape);
  const resume = run.resume ?? null;
  if (resume !== null) checkResumePoint(resume, config.epochs, batchesPerEpoch);

  const model =
    resume === null
      ? createModel(run.spec, deriveSeed(config.seed, 'weights'))
      : importWeights(run.spec, resume.weights);
  const optimizer = createOptimizer(config.optimizer, config.learningRate);
  const window = new MetricWindow();
  const tracker = new BestCheckpointTracker(resume?.best ?? null);
  const context: EpochContext = { run, config, model, split, tracker };
  let testAccuracy = resume?.testAccuracy ?? NaN;
  let step = resume?.step ?? 0;
  let learningRate = config.learningRate;
  try {
    if (resume !== null) {
      optimizer.importState(resume.optimizer);
      run.progress.report(step / totalBatches, `resuming after epoch ${resume.epoch}`, true);
    }
    for (let epoch = resume?.epoch ?? 0; epoch < config.epochs; epoch++) {
      const order = seededPermutation(used, deriveSeed(config.seed, 'epoch', epoch));
      for (let b = 0; b < batchesPerEpoch; b++) {
        run.progress.throwIfCancelled();
        const where = `epoch ${epoch + 1}/${config.epochs} · batch ${b + 1}/${batchesPerEpoch}`;
        run.progress.report(step / totalBatches, where, b === 0);
        const batch = takeBatch(
          run.train,
          order.subarray(b * config.batchSize, (b + 1) * config.batchSize),
          augmented ? { seed: config.seed, epoch, batch: b } : null,
        );
        try {
          const warmupBatches = config.epsilonWarmupEpochs * batchesPerEpoch;
          const ramp = warmupBatches > 0 ? Math.min(1, (step + 1) / warmupBatches) : 1;
          const attack = trainingAttack(config, deriveSeed(config.seed, 'attack', step), ramp);
          learningRate = learningRateAt(config.learningRateSchedule, schedule, step);
          optimizer.learningRate = learningRate;
          const recipe = { attack, loss: config.adversarialLoss, beta: config.tradesBeta };
          const values = trainBatch(model, optimizer, batch, recipe, () => {
            run.progress.throwIfCancelled();
            run.progress.report(step / totalBatches, `${where} · attack`);
          });
          if (attack !== null) values['train.epsilon'] = attack.epsilon;
          window.add(values, batch.labels.shape[0]);
        } finally {
          batch.images.dispose();
          batch.labels.dispose();
        }
        step++;
        if (step % METRICS_EVERY === 0 && b < batchesPerEpoch - 1) {
          run.metrics(step, { ...window.flush(), lr: learningRate });
        }
      }
      run.progress.report(
        step / totalBatches,
        `epoch ${epoch + 1}/${config.epochs} · evaluating`,
        true,
      );
      const values = window.empty ? {} : window.flush();
      values['lr'] = learningRate;
      testAccuracy = endOfEpoch(context, epoch, step / totalBatches, values);
      run.metrics(step, values);
      if (run.checkpoint !== undefined && epoch + 1 < config.epochs) {
        run.checkpoint({
          epoch: epoch + 1,
          step,
          weights: exportWeights(model),
          optimizer: optimizer.exportState(),
          best: tracker.snapshot(),
          testAccuracy,
        });
      }
    }
    run.progress.report(1, 'training finished', true);
    return outcome(run, config, model, tracker, testAccuracy, augmented);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
