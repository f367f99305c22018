/**
 * EvaluationJobSpec → EvaluationJobResult: robust accuracy of one model over ε for every attack
 * of the config (and a transfer attack from another model, when given), the per-example worst
 * case, and the measurements behind the sanity checks (evaluation-measurements.ts):
 *
 *   curves      every attack a at every ε of E = {0} ∪ config.epsilons (ascending)
 *   large ε     the checks' PGD at ε_large (L∞: 1; L2: √(H·W·C), the diagonal of the pixel box)
 *   stronger    PGD with twice the steps and max(2, 2·restarts) restarts at ε_ref = max E
 *   PGD ≥ FGSM  from the curves when both are evaluated, else both at ε_ref
 *   gradients   ‖∇ₓ CE(f(x), y)‖₂ per image
 * The checks' PGD is the config's PGD when it has one (its curve is reused), else PGD-40.
 *
 * Images go through in batches of ATTACK_BATCH; batch b (global index batchOffset + b) seeds
 * every random start of its attacks, so a result does not depend on how the evaluation was
 * split into shards. Everything is counted per batch and added (mergeMeasurements); the curve
 * runs' per-example records (evaluation-examples.ts) are kept for the export of the results.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EvaluationAttackConfig } from '../../common/evaluation-schemas';
import { ImageSource, indexRange } from '../data/image-source';
import { inputGradientSummary } from '../evaluation/input-gradients';
import { robustAccuracyCurves, type CurveHooks } from '../evaluation/robust-accuracy';
import type { Model } from '../models/model-types';
import { importWeights } from '../models/model-weights';
import type { EvaluationJobResult, EvaluationJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { deriveSeed } from '../random/seeded-random';
import {
  defaultCheckPgd,
  pgdSettings,
  planAttack,
  plannedPgd,
  plannedTransfer,
  type PgdChoice,
  type PlannedAttack,
} from './evaluation-attacks';
import { EvaluationExampleRecorder } from './evaluation-examples';
import {
  countPerClass,
  mergeMeasurements,
  summarizeMeasurements,
  type EvaluationMeasurements,
} from './evaluation-measurements';
import { ProgressThrottle } from '../progress/progress-throttle';
import { ATTACK_BATCH } from '../attacks/attack-batch';

/** The curves' ε: the config's, with 0 added, sorted, without repeats. */
export function curveEpsilons(epsilons: readonly number[]): number[] {
  return [...new Set([0, ...epsilons])].sort((a, b) => a - b);
}

/** ε at which an honest attack can move any image anywhere in [0,1]^d. */
export function largeEpsilon(constraint: 'linf' | 'l2', shape: readonly number[]): number {
  return constraint === 'linf' ? 1 : Math.sqrt(shape.reduce((a, b) => a * b, 1));
}

/** Every (attack, ε) pair of one batch as the progress bar weighs it. */
interface WorkUnit {
  planned: PlannedAttack;
}

/**
 * Progress over batches × units: fraction = (batch + (cost done in the batch + the current
 * unit's share of its cost) / batch cost) / batches.
 */
class EvaluationProgress {
  private batch = 0;
  private doneInBatch = 0;

  constructor(
    private readonly throttle: ProgressThrottle,
    private readonly batches: number,
    private readonly batchCost: number,
  ) {}

  startBatch(batch: number): void {
    this.batch = batch;
    this.doneInBatch = 0;
  }

  /** Hooks for one robustAccuracyCurves call over `units` (in its ε-major, attack-minor order). */
  hooks(units: WorkUnit[], stage: string): CurveHooks {
    let index = 0;
    return {
      beforeStep: (run, step) => {
        this.throttle.throwIfCancelled();
        const unit = units[index];
        if (unit === undefined) return;
        const { planned } = unit;
        const within = Math.min(
          1,
          (run * planned.stepsPerRun + step) / (planned.runs * planned.stepsPerRun),
        );
        const fraction =
          (this.batch + (this.doneInBatch + within * planned.cost) / this.batchCost) / this.batches;
        this.throttle.report(
          fraction,
          `batch ${this.batch + 1}/${this.batches} · ${stage} · ${planned.attack.name}`,
        );
      },
      onProgress: (done) => {
        const finished = units[done - 1];
        if (finished !== undefined) this.doneInBatch += finished.planned.cost;
        index = done;
      },
    };
  }
}

/** The batch's attacks and the checks' PGD variants, seeded by the batch. */
function planBatch(
  spec: EvaluationJobSpec,
  numClasses: number,
  seed: number,
  transferSource: { id: number; model: Model } | null,
): {
  attacks: PlannedAttack[];
  checkPgd: PlannedAttack;
  strongerPgd: PlannedAttack;
  fgsm: PlannedAttack;
} {
  const { config } = spec;
  const choices: EvaluationAttackConfig[] = config.attacks;
  const attacks = choices.map((choice) => planAttack(choice, config.constraint, numClasses, seed));
  const pgdChoice: PgdChoice =
    choices.find((choice): choice is PgdChoice => choice.method === 'pgd') ?? defaultCheckPgd;
  // The same seed as the config's own PGD, so the check's PGD IS that attack.
  const checkPgd = plannedPgd(pgdSettings(pgdChoice, config.constraint, deriveSeed(seed, 'pgd')));
  const strongerPgd = plannedPgd(
    pgdSettings(
      { ...pgdChoice, steps: 2 * pgdChoice.steps, restarts: Math.max(2, 2 * pgdChoice.restarts) },
      config.constraint,
      deriveSeed(seed, 'stronger-pgd'),
    ),
  );
  if (transferSource !== null) attacks.push(plannedTransfer(transferSource, checkPgd));
  const fgsm = planAttack({ method: 'fgsm' }, config.constraint, numClasses, seed);
  return { attacks, checkPgd, strongerPgd, fgsm };
}

/** Model passes of one batch, for the progress bar. */
function batchCost(
  plan: ReturnType<typeof planBatch>,
  epsilons: number[],
  hasPgd: boolean,
  hasFgsm: boolean,
): number {
  const curves = epsilons.length * plan.attacks.reduce((sum, a) => sum + a.cost, 0);
  const checks =
    plan.checkPgd.cost * (hasPgd ? 1 : 2) + plan.strongerPgd.cost + (hasFgsm ? 0 : plan.fgsm.cost);
  return curves + checks + 1;
}

const count = (accuracy: number | undefined, n: number): number => Math.round((accuracy ?? 0) * n);

function measureBatch(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  spec: EvaluationJobSpec,
  plan: ReturnType<typeof planBatch>,
  progress: EvaluationProgress,
): EvaluationMeasurements {
  const { config } = spec;
  const n = images.shape[0];
  const epsilons = curveEpsilons(config.epsilons);
  const reference = epsilons[epsilons.length - 1] ?? 0;
  const large = largeEpsilon(config.constraint, model.spec.inputShape);
  const units = (attacks: PlannedAttack[], count: number): WorkUnit[] =>
    Array.from({ length: count }, () => attacks.map((planned) => ({ planned }))).flat();

  const recorder = new EvaluationExampleRecorder(
    model,
    images,
    labels,
    epsilons.length,
    plan.attacks.length,
  );
  const curves = robustAccuracyCurves(
    model,
    images,
    labels,
    epsilons,
    plan.attacks.map((p) => p.attack),
    {
      ...progress.hooks(units(plan.attacks, epsilons.length), 'curves'),
      onAdversarial: recorder.record,
    },
  );
  const ball = [...curves.ball];
  const stalls = [...curves.stalls];
  /**
   * Images correct under one attack at one ε, for a sanity check; its ball and stall records
   * join the curves'.
   */
  const single = (planned: PlannedAttack, epsilon: number, stage: string) => {
    const run = robustAccuracyCurves(
      model,
      images,
      labels,
      [epsilon],
      [planned.attack],
      progress.hooks(units([planned], 1), stage),
    );
    ball.push(...run.ball);
    stalls.push(...run.stalls);
    return count(run.curves[0]?.accuracy[0], n);
  };
  const curveIndex = (method: string): number => plan.attacks.findIndex((p) => p.method === method);
  const pgdIndex = curveIndex('pgd');
  const fgsmIndex = curveIndex('fgsm');
  const referenceIndex = epsilons.length - 1;

  /**
   * Images correct at the reference ε under the curves' attack `index`, or (when the evaluation
   * did not run that method, index −1) under `fallback`, attacked once.
   */
  const atReference = (index: number, fallback: PlannedAttack, stage: string): number =>
    index >= 0
      ? count(curves.curves[index]?.accuracy[referenceIndex], n)
      : single(fallback, reference, stage);

  const largeCorrect = single(plan.checkPgd, large, 'large ε check');
  const strongerCorrect = single(plan.strongerPgd, reference, 'stronger attack check');
  const referencePgd = atReference(pgdIndex, plan.checkPgd, 'reference PGD');
  let pgdVsFgsm: EvaluationMeasurements['pgdVsFgsm'];
  if (pgdIndex >= 0 && fgsmIndex >= 0) {
    const positive = epsilons.map((_, i) => i).filter((i) => (epsilons[i] ?? 0) > 0);
    const at = (a: number) => positive.map((i) => count(curves.curves[a]?.accuracy[i], n));
    pgdVsFgsm = {
      epsilons: positive.map((i) => epsilons[i] ?? 0),
      pgd: at(pgdIndex),
      fgsm: at(fgsmIndex),
    };
  } else {
    const fgsm = atReference(fgsmIndex, plan.fgsm, 'FGSM check');
    pgdVsFgsm = { epsilons: [reference], pgd: [referencePgd], fgsm: [fgsm] };
  }
  const gradients = inputGradientSummary(model, images, labels);
  return {
    examples: n,
    numClasses: model.spec.numClasses,
    constraint: config.constraint,
    clean: count(curves.cleanAccuracy, n),
    epsilons,
    curves: plan.attacks.map((planned, a) => ({
      attack: planned.attack.name,
      method: planned.method,
      access: planned.attack.access,
      correct: (curves.curves[a]?.accuracy ?? []).map((accuracy) => count(accuracy, n)),
      brokenFirst: curves.curves[a]?.brokenFirst ?? [],
    })),
    worstCase: curves.worstCase.map((accuracy) => count(accuracy, n)),
    perClass: countPerClass(
      labels.dataSync(),
      curves.cleanPerExample,
      curves.robustPerExample,
      model.spec.numClasses,
    ),
    reference,
    large: {
      attack: plan.checkPgd.attack.name,
      epsilon: large,
      correct: largeCorrect,
    },
    referencePgd: { attack: plan.checkPgd.attack.name, correct: referencePgd },
    strongerPgd: {
      attack: plan.strongerPgd.attack.name,
      correct: strongerCorrect,
    },
    pgdVsFgsm,
    ball,
    gradientNorms: gradients.norms,
    gradientNonFinite: gradients.nonFinite,
    queries: curves.queries,
    stalls,
    perExample: recorder.result(),
  };
}

/**
 * Every batch of `source` through the curves and the checks' attacks, as counts that add up
 * (evaluation-measurements.ts). The job runs it on the imported model; tests can run it on any
 * Model (a gradient-masked one, for example).
 */
export function measureModel(
  model: Model,
  source: ImageSource,
  spec: EvaluationJobSpec,
  transferSource: { id: number; model: Model } | null,
  throttle: ProgressThrottle,
): EvaluationMeasurements {
  const { config } = spec;
  const n = source.count;
  const batches = Math.ceil(n / ATTACK_BATCH);
  const epsilons = curveEpsilons(config.epsilons);
  const hasPgd = config.attacks.some((a) => a.method === 'pgd');
  const hasFgsm = config.attacks.some((a) => a.method === 'fgsm');
  const slices: EvaluationMeasurements[] = [];
  throttle.report(0, 'evaluation starting', true);
  for (let b = 0; b < batches; b++) {
    const seed = deriveSeed(config.seed, 'batch', spec.batchOffset + b);
    const plan = planBatch(spec, model.spec.numClasses, seed, transferSource);
    const progress = new EvaluationProgress(
      throttle,
      batches,
      batchCost(plan, epsilons, hasPgd, hasFgsm),
    );
    progress.startBatch(b);
    const start = b * ATTACK_BATCH;
    const { images, labels } = source.take(indexRange(start, Math.min(n, start + ATTACK_BATCH)));
    try {
      slices.push(measureBatch(model, images, labels, spec, plan, progress));
    } finally {
      tf.dispose([images, labels]);
    }
  }
  if (slices.length === 0) throw new Error('evaluation images: no images');
  return mergeMeasurements(slices);
}

export function runEvaluationJob(
  spec: EvaluationJobSpec,
  reporter: JobReporter,
): EvaluationJobResult {
  const source = new ImageSource(
    spec.images,
    spec.labels,
    spec.model.numClasses,
    'evaluation images',
  );
  const shape = spec.model.inputShape;
  if (source.imageShape.join('x') !== shape.join('x')) {
    throw new Error(
      `images are ${source.imageShape.join('×')} but the model takes ${shape.join('×')}`,
    );
  }
  const transfer = spec.transferSource;
  if (transfer !== null) {
    if (transfer.spec.inputShape.join('x') !== shape.join('x'))
      throw new Error(
        `the transfer source model takes ${transfer.spec.inputShape.join('×')} images, the evaluated one ${shape.join('×')}`,
      );
    if (transfer.spec.numClasses !== spec.model.numClasses)
      throw new Error(
        `the transfer source model has ${transfer.spec.numClasses} classes, the evaluated one ${spec.model.numClasses}`,
      );
  }
  const model = importWeights(spec.model, spec.weights);
  let sourceModel: Model | null = null;
  try {
    sourceModel = transfer === null ? null : importWeights(transfer.spec, transfer.weights);
    const transferSource =
      transfer === null || sourceModel === null ? null : { id: transfer.id, model: sourceModel };
    const throttle = new ProgressThrottle(reporter);
    const total = measureModel(model, source, spec, transferSource, throttle);
    throttle.report(1, 'evaluation finished', true);
    return { kind: 'evaluation', measurements: total, summary: summarizeMeasurements(total) };
  } finally {
    model.dispose();
    sourceModel?.dispose();
  }
}
