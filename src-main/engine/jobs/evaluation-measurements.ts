/**
 * What an evaluation job measures on its slice of the images, as counts and raw per-example
 * values, so that slices (shards of one evaluation, or the batches of one job) add up exactly:
 * every accuracy is (correct count) / (image count) of the whole set, never a mean of means.
 * summarizeMeasurements turns the total into the stored result: curves, the worst case, and the
 * sanity checks of engine/evaluation/sanity-checks.ts on the merged numbers. Pure: no tensors.
 */
import type {
  ClassCounts,
  EvaluationConstraint,
  EvaluationCurve,
  EvaluationResult,
  QueryCounts,
} from '../../common/evaluation-schemas';
import type { BallRecord, QueryRecord, StallRecord } from '../evaluation/robust-accuracy';
import { joinExampleRecords, type EvaluationExampleRecords } from './evaluation-example-records';
import {
  checkAttacksMoved,
  checkGradientValues,
  checkInsideBall,
  checkLargeEpsilon,
  checkMonotone,
  checkNoGradientMasking,
  checkPgdBeatsFgsm,
  checkStrongerAttack,
  checkZeroEpsilon,
  type SanityCheck,
} from '../evaluation/sanity-checks';

/** Correct predictions of one attack at each ε of the curves. */
export interface CurveCounts {
  attack: string;
  method: EvaluationCurve['method'];
  access: EvaluationCurve['access'];
  correct: number[];
  /** Per ε: images this attack broke first, in the curves' order (robust-accuracy.ts). */
  brokenFirst: number[];
}

/** Correct predictions of one attack at one ε. */
export interface AccuracyCount {
  attack: string;
  correct: number;
}

export interface EvaluationMeasurements {
  examples: number;
  numClasses: number;
  constraint: EvaluationConstraint;
  /** Clean-correct images. */
  clean: number;
  /** The curves' ε, ascending, starting at 0. */
  epsilons: number[];
  curves: CurveCounts[];
  /** Per ε: images clean-correct and correct under every attack. */
  worstCase: number[];
  /** The same counts per true class (index = class), which add up to clean and worstCase. */
  perClass: ClassCounts[];
  /** The ε of interest for the single-ε checks: the largest of the curves. */
  reference: number;
  /** The checks' PGD at an ε that covers the whole pixel range (should reach chance). */
  large: AccuracyCount & { epsilon: number };
  /** The checks' PGD at the reference ε, and a stronger PGD (more steps and restarts) there. */
  referencePgd: AccuracyCount;
  strongerPgd: AccuracyCount;
  /** PGD and FGSM at the same ε: every ε > 0 when both are evaluated, else the reference. */
  pgdVsFgsm: { epsilons: number[]; pgd: number[]; fgsm: number[] };
  /** Where every returned point lies, per (attack, ε) run, in a fixed order. */
  ball: BallRecord[];
  /** ‖∇ₓ CE‖₂ per image, and the count of non-finite gradient entries. */
  gradientNorms: number[];
  gradientNonFinite: number;
  /** Queries per clean-correct image of each query-counting curve run, per (attack, ε). */
  queries: QueryRecord[];
  /** Images each gradient attack left correct without moving them, per (attack, ε > 0). */
  stalls: StallRecord[];
  /** Per image, what the model said at each curve run's point, and the worst-case images. */
  perExample: EvaluationExampleRecords;
}

const addLists = (a: number[], b: number[]): number[] => a.map((value, i) => value + (b[i] ?? 0));

/**
 * Per true class: its images, the clean-correct ones and, per ε, the robust ones (clean-correct
 * and correct under every attack), from one slice's per-image outcomes.
 */
export function countPerClass(
  labels: ArrayLike<number>,
  clean: readonly boolean[],
  robustPerEpsilon: readonly (readonly boolean[])[],
  numClasses: number,
): ClassCounts[] {
  const perClass = Array.from({ length: numClasses }, () => ({
    images: 0,
    clean: 0,
    worstCase: robustPerEpsilon.map(() => 0),
  }));
  for (let n = 0; n < labels.length; n++) {
    const counts = perClass[labels[n] ?? -1];
    if (counts === undefined) throw new Error(`image ${n} has label ${labels[n]}, not a class`);
    counts.images += 1;
    if (clean[n] === true) counts.clean += 1;
    robustPerEpsilon.forEach((robust, e) => {
      if (robust[n] === true) counts.worstCase[e] = (counts.worstCase[e] ?? 0) + 1;
    });
  }
  return perClass;
}

/** The measurements of two consecutive slices of one evaluation, as one. */
export function addMeasurements(
  a: EvaluationMeasurements,
  b: EvaluationMeasurements,
): EvaluationMeasurements {
  return mergeMeasurements([a, b]);
}

/** The counts of two slices added; the per-example records are `a`'s (mergeMeasurements joins them). */
function addCounts(a: EvaluationMeasurements, b: EvaluationMeasurements): EvaluationMeasurements {
  if (a.epsilons.join() !== b.epsilons.join() || a.curves.length !== b.curves.length) {
    throw new Error('evaluation slices with different ε or attacks cannot be merged');
  }
  if (a.ball.length !== b.ball.length) throw new Error('evaluation slices ran different attacks');
  return {
    ...a,
    examples: a.examples + b.examples,
    clean: a.clean + b.clean,
    curves: a.curves.map((curve, i) => ({
      ...curve,
      correct: addLists(curve.correct, b.curves[i]?.correct ?? []),
      brokenFirst: addLists(curve.brokenFirst, b.curves[i]?.brokenFirst ?? []),
    })),
    worstCase: addLists(a.worstCase, b.worstCase),
    perClass: a.perClass.map((counts, c) => {
      const other = b.perClass[c];
      if (other === undefined) throw new Error('evaluation slices with different classes');
      return {
        images: counts.images + other.images,
        clean: counts.clean + other.clean,
        worstCase: addLists(counts.worstCase, other.worstCase),
      };
    }),
    large: { ...a.large, correct: a.large.correct + b.large.correct },
    referencePgd: { ...a.referencePgd, correct: a.referencePgd.correct + b.referencePgd.correct },
    strongerPgd: { ...a.strongerPgd, correct: a.strongerPgd.correct + b.strongerPgd.correct },
    pgdVsFgsm: {
      epsilons: a.pgdVsFgsm.epsilons,
      pgd: addLists(a.pgdVsFgsm.pgd, b.pgdVsFgsm.pgd),
      fgsm: addLists(a.pgdVsFgsm.fgsm, b.pgdVsFgsm.fgsm),
    },
    ball: a.ball.map((record, i) => {
      const other = b.ball[i];
      if (other === undefined || other.attack !== record.attack || other.epsilon !== record.epsilon)
        throw new Error('evaluation slices ran different attacks');
      return {
        ...record,
        geometry: {
          distances: [...record.geometry.distances, ...other.geometry.distances],
          minPixel: Math.min(record.geometry.minPixel, other.geometry.minPixel),
          maxPixel: Math.max(record.geometry.maxPixel, other.geometry.maxPixel),
        },
      };
    }),
    gradientNorms: [...a.gradientNorms, ...b.gradientNorms],
    gradientNonFinite: a.gradientNonFinite + b.gradientNonFinite,
    queries: addQueryRecords(a.queries, b.queries),
    stalls: addStallRecords(a.stalls, b.stalls),
  };
}

/**
 * Two slices' records merged pairwise by `merge`; the slices must have run the same attacks at the
 * same ε, in the same order.
 */
function mergeRecords<T extends { attack: string; epsilon: number }>(
  a: T[],
  b: T[],
  merge: (record: T, other: T) => T,
): T[] {
  if (a.length !== b.length) throw new Error('evaluation slices ran different attacks');
  return a.map((record, i) => {
    const other = b[i];
    if (other === undefined || other.attack !== record.attack || other.epsilon !== record.epsilon)
      throw new Error('evaluation slices ran different attacks');
    return merge(record, other);
  });
}

function addStallRecords(a: StallRecord[], b: StallRecord[]): StallRecord[] {
  return mergeRecords(a, b, (record, other) => ({
    ...record,
    images: record.images + other.images,
  }));
}

/** Per-image lists concatenated, so that means and medians are those of the whole set. */
function addQueryRecords(a: QueryRecord[], b: QueryRecord[]): QueryRecord[] {
  return mergeRecords(a, b, (record, other) => ({
    ...record,
    queries: [...record.queries, ...other.queries],
    fooled: [...record.fooled, ...other.fooled],
  }));
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;

/** The middle value, or the mean of the two middle values (null: empty). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** Mean and median queries at each ε > 0 (at ε = 0 every image costs the one first query). */
export function summarizeQueries(records: QueryRecord[]): QueryCounts[] {
  return records
    .filter((record) => record.epsilon > 0)
    .map((record) => {
      const fooled = record.queries.filter((_, n) => record.fooled[n] === true);
      return {
        attack: record.attack,
        epsilon: record.epsilon,
        attacked: record.queries.length,
        fooled: fooled.length,
        mean: mean(record.queries),
        median: median(record.queries),
        meanFooled: mean(fooled),
        medianFooled: median(fooled),
      };
    });
}

/** Consecutive slices of one evaluation, in order, as one. */
export function mergeMeasurements(slices: EvaluationMeasurements[]): EvaluationMeasurements {
  const [first, ...rest] = slices;
  if (first === undefined) throw new Error('no evaluation results to merge');
  return {
    ...rest.reduce(addCounts, first),
    perExample: joinExampleRecords(slices.map((slice) => slice.perExample)),
  };
}

/** Curves, worst case and the sanity checks from the (merged) measurements. */
export function summarizeMeasurements(m: EvaluationMeasurements): EvaluationResult {
  const n = m.examples;
  const fraction = (count: number): number => count / n;
  const curves: EvaluationCurve[] = m.curves.map((curve) => ({
    attack: curve.attack,
    method: curve.method,
    access: curve.access,
    accuracy: curve.correct.map(fraction),
    brokenFirst: curve.brokenFirst,
  }));
  const at = (curve: EvaluationCurve, epsilon: number): number =>
    curve.accuracy[m.epsilons.indexOf(epsilon)] ?? NaN;
  const cleanAccuracy = fraction(m.clean);
  const reference = { attack: m.referencePgd.attack, accuracy: fraction(m.referencePgd.correct) };

  const checks: SanityCheck[] = [
    checkZeroEpsilon(
      cleanAccuracy,
      curves.map((curve) => ({ attack: curve.attack, accuracy: at(curve, 0) })),
      n,
    ),
    ...curves.map((curve) => checkMonotone(curve.attack, m.epsilons, curve.accuracy, n)),
    checkLargeEpsilon(m.large.attack, m.large.epsilon, fraction(m.large.correct), m.numClasses),
    checkStrongerAttack(
      reference,
      { attack: m.strongerPgd.attack, accuracy: fraction(m.strongerPgd.correct) },
      n,
    ),
    checkPgdBeatsFgsm(
      m.pgdVsFgsm.epsilons,
      m.pgdVsFgsm.pgd.map(fraction),
      m.pgdVsFgsm.fgsm.map(fraction),
      n,
    ),
    checkInsideBall(m.ball),
  ];
  const skippedChecks: string[] = [];

  // Gradient masking: a black-box or transfer attack must not beat the strongest white-box
  // attack at the reference ε (the checks' own PGD counts as one of them).
  const whiteBox = curves
    .filter((curve) => curve.access === 'white-box')
    .map((curve) => ({ attack: curve.attack, accuracy: at(curve, m.reference) }))
    .concat([reference])
    .reduce((best, next) => (next.accuracy < best.accuracy ? next : best));
  const blackBox = curves.filter((curve) => curve.access === 'black-box');
  for (const curve of blackBox) {
    checks.push(
      checkNoGradientMasking(
        whiteBox,
        { attack: curve.attack, accuracy: at(curve, m.reference) },
        n,
      ),
    );
  }
  if (blackBox.length === 0) {
    skippedChecks.push(
      'black-box / transfer versus white-box (gradient masking): add the Square attack or a transfer source model',
    );
  }
  checks.push(checkGradientValues(m.gradientNorms, m.gradientNonFinite));
  checks.push(checkAttacksMoved(m.stalls));

  return {
    examples: n,
    numClasses: m.numClasses,
    cleanAccuracy,
    epsilons: m.epsilons,
    curves,
    worstCase: m.worstCase.map(fraction),
    perClass: m.perClass,
    checks,
    skippedChecks,
    warnings: checks.filter((check) => !check.passed).map((check) => check.name),
    queryCounts: summarizeQueries(m.queries),
  };
}
