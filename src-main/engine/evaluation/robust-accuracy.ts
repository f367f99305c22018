/**
 * Robust accuracy over a list of ε and a list of attacks (curves), and the per-example worst
 * case over the attacks.
 *
 * For attack a and radius ε, with x'_n = a(x_n, ε):
 *   acc_a(ε)    = (1/N) Σ_n [argmax f(x'_n) = y_n]              (the attack's curve)
 *   robust_n(ε) = [argmax f(x_n) = y_n] ∧ ∀a: [argmax f(x'_n) = y_n]
 *   worst(ε)    = (1/N) Σ_n robust_n(ε)                         (an example counts only if it is
 *                                                                 clean-correct and every attack fails)
 * Curves are raw (not AND-ed with the clean prediction), so that acc_a(0) = clean accuracy is a
 * real check of the attack's projection, not true by construction.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { correctPerExample, fractionTrue } from '../attacks/transfer-attack';
import type { AttackHooks } from '../attacks/pgd';
import type { Model } from '../models/model-types';
import { ballGeometry, type BallGeometry } from './ball-geometry';
import type { BallConstraint, EvaluationAttack } from './evaluation-attack';

export interface AttackCurve {
  attack: string;
  access: EvaluationAttack['access'];
  /** acc_a(ε) for each ε of the list, in its order. */
  accuracy: number[];
  /**
   * Per ε: the images this attack broke first — clean-correct, not broken by any attack before
   * it in the list, misclassified by this one. AutoAttack's cascade count: over the list they
   * add up to clean − worst case.
   */
  brokenFirst: number[];
}

/** Where one attack's returned points lie, for one ε (checked by checkInsideBall). */
export interface BallRecord {
  attack: string;
  constraint: BallConstraint;
  epsilon: number;
  geometry: BallGeometry;
}

/**
 * The model queries a query-counting attack (Square) spent at one ε, on the clean-correct images
 * only (the paper's convention: the others need no attack), in image order.
 */
export interface QueryRecord {
  attack: string;
  epsilon: number;
  /** Queries per clean-correct image, the initialization included. */
  queries: number[];
  /** Whether the attack misclassified that image. */
  fooled: boolean[];
}

/**
 * Images a gradient attack left correctly classified without ever moving them, at one ε > 0:
 * clean-correct, still correct at the returned point, and no step changed the iterate. A working
 * gradient attack always moves an image it has not broken; one that does not had a zero (or
 * numerically lost) gradient there, and its robust accuracy is not a measurement.
 */
export interface StallRecord {
  attack: string;
  epsilon: number;
  /** How many images, of the slice's clean-correct ones. */
  images: number;
}

export interface RobustAccuracyCurves {
  epsilons: number[];
  examples: number;
  cleanAccuracy: number;
  curves: AttackCurve[];
  /** worst(ε) for each ε. */
  worstCase: number[];
  /** clean_n: the model is right on image n before any attack. */
  cleanPerExample: boolean[];
  /** robust_n(ε): robustPerExample[ε index][n]. */
  robustPerExample: boolean[][];
  ball: BallRecord[];
  /** One record per (query-counting attack, ε), ε-major like `ball`. */
  queries: QueryRecord[];
  /** One record per (gradient attack, ε > 0), ε-major like `ball`. */
  stalls: StallRecord[];
}

/** robust_n = clean_n ∧ every attack failed on n; `correctByAttack[a][n]`. */
export function worstCaseOverAttacks(clean: boolean[], correctByAttack: boolean[][]): boolean[] {
  for (const correct of correctByAttack) {
    if (correct.length !== clean.length) {
      throw new Error(`an attack reported ${correct.length} examples, expected ${clean.length}`);
    }
  }
  return clean.map((ok, n) => ok && correctByAttack.every((correct) => correct[n] === true));
}

export interface CurveHooks extends AttackHooks {
  /** After each (attack, ε) pair: `done` of `total` finished. */
  onProgress?(done: number, total: number): void;
  /**
   * Each (attack, ε) run's returned points, before they are disposed (the per-example records
   * of the export); `epsilon` and `attack` index the lists given.
   */
  onAdversarial?(epsilon: number, attack: number, adversarial: tf.Tensor4D): void;
}

export function robustAccuracyCurves(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  epsilons: number[],
  attacks: EvaluationAttack[],
  hooks: CurveHooks = {},
): RobustAccuracyCurves {
  if (epsilons.length === 0) throw new Error('give at least one ε');
  if (attacks.length === 0) throw new Error('give at least one attack');
  for (const epsilon of epsilons) {
    if (!Number.isFinite(epsilon) || epsilon < 0) {
      throw new Error(`every ε must be a finite number ≥ 0, got ${epsilon}`);
    }
  }
  const clean = correctPerExample(model, images, labels);
  const curves: AttackCurve[] = attacks.map((a) => ({
    attack: a.name,
    access: a.access,
    accuracy: [],
    brokenFirst: [],
  }));
  const ball: BallRecord[] = [];
  const queries: QueryRecord[] = [];
  const stalls: StallRecord[] = [];
  const robustPerExample: boolean[][] = [];
  const total = epsilons.length * attacks.length;
  let done = 0;
  for (const [epsilonIndex, epsilon] of epsilons.entries()) {
    const correctByAttack: boolean[][] = [];
    attacks.forEach((attack, a) => {
      const spent: { queries: number[] | null; stalled: boolean[] | null } = {
        queries: null,
        stalled: null,
      };
      const adversarial = attack.run(model, images, labels, epsilon, {
        beforeStep: (run, step) => hooks.beforeStep?.(run, step),
        onQueries: (perImage) => {
          spent.queries = perImage;
        },
        onStalled: (perImage) => {
          spent.stalled = perImage;
        },
      });
      try {
        hooks.onAdversarial?.(epsilonIndex, a, adversarial);
        const correct = correctPerExample(model, adversarial, labels);
        correctByAttack.push(correct);
        const perImage = spent.queries;
        if (perImage !== null) {
          if (perImage.length !== clean.length)
            throw new Error(
              `${attack.name} reported queries for ${perImage.length} images, expected ${clean.length}`,
            );
          const attacked = clean.map((_, n) => n).filter((n) => clean[n] === true);
          queries.push({
            attack: attack.name,
            epsilon,
            queries: attacked.map((n) => perImage[n] ?? 0),
            fooled: attacked.map((n) => correct[n] === false),
          });
        }
        // A transfer attack's steps are on its source model: only white-box runs count here.
        const stalled = spent.stalled;
        if (stalled !== null && attack.access === 'white-box' && epsilon > 0) {
          stalls.push({
            attack: attack.name,
            epsilon,
            images: clean.filter((ok, n) => ok && correct[n] === true && stalled[n] === true)
              .length,
          });
        }
        curves[a]?.accuracy.push(fractionTrue(correct));
        ball.push({
          attack: attack.name,
          constraint: attack.constraint,
          epsilon,
          geometry: ballGeometry(attack.constraint, images, adversarial),
        });
      } finally {
        adversarial.dispose();
      }
      hooks.onProgress?.(++done, total);
    });
    robustPerExample.push(worstCaseOverAttacks(clean, correctByAttack));
    let standing = clean.slice();
    correctByAttack.forEach((correct, a) => {
      const next = standing.map((ok, n) => ok && correct[n] === true);
      curves[a]?.brokenFirst.push(standing.filter(Boolean).length - next.filter(Boolean).length);
      standing = next;
    });
  }
  return {
    epsilons,
    examples: clean.length,
    cleanAccuracy: fractionTrue(clean),
    curves,
    worstCase: robustPerExample.map(fractionTrue),
    cleanPerExample: clean,
    robustPerExample,
    ball,
    queries,
    stalls,
  };
}
