/**
 * Measures and runs every sanity check of sanity-checks.ts on one model and batch:
 *   1. curves of FGSM and PGD over [0, ε_1, …, ε_k, ε_large]  → ε = 0, monotone, large ε →
 *      chance, PGD ≤ FGSM, every point inside the ball
 *   2. a stronger PGD (more steps and restarts) at the reference ε → no significant gain
 *   3. the Square attack (L∞ only) and, given a source model, a transfer attack at the
 *      reference ε → neither beats white-box PGD (gradient masking)
 *   4. input gradients finite and non-zero
 * The reference ε is the largest of ε_1…ε_k.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { transferAttack } from '../attacks/transfer-attack';
import type { Model } from '../models/model-types';
import {
  fgsmAttack,
  pgdAttack,
  squareAttack,
  type BallConstraint,
  type PgdSettings,
} from './evaluation-attack';
import { inputGradientSummary } from './input-gradients';
import { robustAccuracyCurves, type CurveHooks } from './robust-accuracy';
import {
  checkGradientValues,
  checkInsideBall,
  checkLargeEpsilon,
  checkMonotone,
  checkNoGradientMasking,
  checkPgdBeatsFgsm,
  checkStrongerAttack,
  checkZeroEpsilon,
  type SanityCheck,
} from './sanity-checks';

export interface SanitySuiteConfig {
  constraint: BallConstraint;
  /** The ε of interest (> 0); 0 and largeEpsilon are added. */
  epsilons: number[];
  /** An ε at which any honest attack reaches chance (L∞: 1 covers the whole pixel range). */
  largeEpsilon: number;
  /** The PGD under test. */
  pgd: Omit<PgdSettings, 'constraint'>;
  /** A stronger PGD to compare with (more steps and/or restarts). */
  stronger: Omit<PgdSettings, 'constraint'>;
  /** Square attack queries per example (L∞ only; 0 skips it). */
  squareQueries: number;
  /** A model to craft transfer attacks on (null skips the transfer check). */
  transferSource: Model | null;
  seed: number;
}

export function runSanityChecks(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  config: SanitySuiteConfig,
  hooks: CurveHooks = {},
): SanityCheck[] {
  if (config.epsilons.length === 0 || config.epsilons.some((e) => !(e > 0))) {
    throw new Error('give at least one ε, each greater than 0');
  }
  const constraint = config.constraint;
  const reference = Math.max(...config.epsilons);
  const epsilons = [0, ...config.epsilons, config.largeEpsilon];
  const fgsm = fgsmAttack(constraint, config.seed);
  const pgd = pgdAttack({ ...config.pgd, constraint });
  const curves = robustAccuracyCurves(model, images, labels, epsilons, [fgsm, pgd], hooks);
  const n = curves.examples;
  const [fgsmCurve, pgdCurve] = curves.curves;
  if (fgsmCurve === undefined || pgdCurve === undefined) throw new Error('missing curves');
  const at = (curve: number[], epsilon: number): number => curve[epsilons.indexOf(epsilon)] ?? NaN;

  const checks: SanityCheck[] = [
    checkZeroEpsilon(
      curves.cleanAccuracy,
      curves.curves.map((c) => ({ attack: c.attack, accuracy: c.accuracy[0] ?? NaN })),
      n,
    ),
    ...curves.curves.map((c) => checkMonotone(c.attack, epsilons, c.accuracy, n)),
    checkLargeEpsilon(
      pgd.name,
      config.largeEpsilon,
      at(pgdCurve.accuracy, config.largeEpsilon),
      model.spec.numClasses,
    ),
    checkPgdBeatsFgsm(
      epsilons.slice(1),
      pgdCurve.accuracy.slice(1),
      fgsmCurve.accuracy.slice(1),
      n,
    ),
  ];
  const ball = [...curves.ball];

  const pgdAtReference = { attack: pgd.name, accuracy: at(pgdCurve.accuracy, reference) };
  const stronger = pgdAttack({ ...config.stronger, constraint });
  const strongerCurves = robustAccuracyCurves(
    model,
    images,
    labels,
    [reference],
    [stronger],
    hooks,
  );
  ball.push(...strongerCurves.ball);
  checks.push(
    checkStrongerAttack(
      pgdAtReference,
      { attack: stronger.name, accuracy: strongerCurves.curves[0]?.accuracy[0] ?? NaN },
      n,
    ),
  );

  if (constraint === 'linf' && config.squareQueries > 0) {
    const square = squareAttack({ queries: config.squareQueries, seed: config.seed });
    const squareCurves = robustAccuracyCurves(model, images, labels, [reference], [square], hooks);
    checks.push(
      checkNoGradientMasking(
        pgdAtReference,
        { attack: square.name, accuracy: squareCurves.curves[0]?.accuracy[0] ?? NaN },
        n,
      ),
    );
    ball.push(...squareCurves.ball);
  }

  if (config.transferSource !== null) {
    const transfer = transferAttack(config.transferSource, model, images, labels, (m, x, y) =>
      pgd.run(m, x, y, reference, hooks),
    );
    checks.push(
      checkNoGradientMasking(
        pgdAtReference,
        { attack: `transfer ${pgd.name}`, accuracy: transfer.targetAccuracy },
        n,
      ),
    );
  }

  checks.push(checkInsideBall(ball));
  const gradients = inputGradientSummary(model, images, labels);
  checks.push(checkGradientValues(gradients.norms, gradients.nonFinite));
  return checks;
}
