/**
 * Reading experiment c's robust-accuracy curves (Ilyas et al. 2019 §3.1), for the result page,
 * the CLI report and the warnings alike.
 *
 * The claim under test is an ordering at a radius ε > 0: standard training on D_R gives some
 * robustness and on D_NR less than on D itself,
 *     robust(D_NR, ε) < robust(D, ε) < robust(D_R, ε).
 * At a radius where standard models all score 0% (MNIST L∞ 0.3) nothing can be ordered, hence the
 * curve. The comparison holds only within one training recipe: standard models' small-ε
 * robustness on MNIST moves by tens of points with the weight initialisation alone, so the three
 * models share one seed and one recipe, and a figure from another run is no baseline.
 */
import type { RobustDatasetsConfig, RobustDatasetsResult } from './experiment-schemas';

export const recipeNote =
  'Only comparisons within one training recipe mean something: the three models share one seed and recipe, and a standard model’s small-ε robustness moves by tens of points with the weight initialisation alone.';

/** The radii a config evaluates at (a config stored before the curve: its one ε). */
export function evaluationEpsilons(evaluation: RobustDatasetsConfig['evaluation']): number[] {
  return evaluation.epsilons ?? (evaluation.epsilon === undefined ? [] : [evaluation.epsilon]);
}

export interface RobustCurves {
  /** One per point; NaN where a stored result does not say (a legacy result without its config). */
  epsilons: number[];
  rows: { dataset: RobustDatasetsResult['rows'][number]['dataset']; curve: number[] }[];
}

/**
 * Every row's curve. A result stored before the curve has one point, at its config's ε (pass the
 * config when there is one); that ε was positive by the config's schema.
 */
export function robustCurves(
  result: RobustDatasetsResult,
  config?: RobustDatasetsConfig,
): RobustCurves {
  if (result.evaluationEpsilons) {
    return {
      epsilons: result.evaluationEpsilons,
      rows: result.rows.map((row) => ({ dataset: row.dataset, curve: row.robustCurve ?? [] })),
    };
  }
  return {
    epsilons: [config?.evaluation.epsilon ?? Number.NaN],
    rows: result.rows.map((row) => ({
      dataset: row.dataset,
      curve: [row.robustAccuracy ?? Number.NaN],
    })),
  };
}

/**
 * Indices of the points under attack: ε > 0, or a legacy point whose ε is unknown here (NaN),
 * which was positive.
 */
export function attackedPoints(curves: RobustCurves): number[] {
  return curves.epsilons.flatMap((epsilon, i) => (epsilon > 0 || Number.isNaN(epsilon) ? [i] : []));
}

/**
 * The points under attack where robust(D_NR) < robust(D) < robust(D_R), as point estimates on
 * the evaluation's images; null when a row is missing (the ordering needs all three).
 */
export function orderedPoints(curves: RobustCurves): number[] | null {
  const curve = (dataset: 'original' | 'robust' | 'standard') =>
    curves.rows.find((row) => row.dataset === dataset)?.curve;
  const d = curve('original');
  const robust = curve('robust');
  const nonRobust = curve('standard');
  if (!d || !robust || !nonRobust) return null;
  return attackedPoints(curves).filter((i) => {
    const [nr, base, r] = [nonRobust[i], d[i], robust[i]];
    return nr !== undefined && base !== undefined && r !== undefined && nr < base && base < r;
  });
}

/** One sentence on where the ordering shows, for the page and the report. */
export function orderingSentence(curves: RobustCurves): string | null {
  const points = orderedPoints(curves);
  if (points === null) return null;
  const attacked = attackedPoints(curves);
  if (attacked.length === 0) return 'No radius above 0 was evaluated: the ordering cannot show.';
  const at = (i: number) => {
    const epsilon = curves.epsilons[i] ?? Number.NaN;
    return Number.isNaN(epsilon) ? 'the evaluated ε' : `ε = ${epsilon}`;
  };
  if (points.length === 0) return 'The ordering D_NR < D < D_R shows at no evaluated radius.';
  return `The ordering D_NR < D < D_R shows at ${points.map(at).join(', ')} (${points.length} of ${attacked.length} radii above 0).`;
}
