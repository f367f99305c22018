/**
 * What an experiment's figures say about the run itself: warnings where a result contradicts the
 * phenomenon the experiment exists to show, or rests on a step that failed. Each names the
 * figure, what it means and what to change. A pure function of the stored result, so that runs
 * stored before these checks get them too, and the page, the CLI and the tests agree.
 *
 * The checks (thresholds are deliberately coarse: they flag a broken run, not a weak effect):
 *   below chance          a fresh model's test accuracy < 1/C: it learned nothing that carries to
 *                         real images (on D_det: it learned the robust features the labels
 *                         contradict).
 *   attack did not plant  attack success < MIN_ATTACK_SUCCESS: the rest of D_rand / D_det are
 *                         real images under a wrong label, not planted features.
 *   under-fitted          train accuracy < test accuracy − UNDERFIT_GAP: the fresh model did not
 *                         even fit its own (constructed) training set.
 *   collapsed             a robust model's clean accuracy below the midpoint between chance and
 *                         the reference (the standard model of the run, or 100%): adversarial
 *                         training diverged or was far too strong (Madry et al.'s MNIST model
 *                         keeps ~98% at L∞ 0.3). 16–19% on MNIST is collapsed; 90% is not.
 *   all robust 0%         every robust figure at ε > 0 is 0: the radii are too large to rank
 *                         anything.
 *   D_det sweep           every point at or below chance, or a point whose attack failed.
 *   no ordering           experiment c with D, D_R and D_NR: no radius shows D_NR < D < D_R
 *                         (robust-datasets-curves.ts).
 * Results stored before `chance` was recorded skip the chance checks; the collapse check then
 * measures from 0.
 */
import type {
  DataEfficiencyResult,
  ExperimentResult,
  NonRobustFeaturesResult,
  RobustDatasetsResult,
  TradeoffResult,
} from './experiment-schemas';
import { attackedPoints, orderedPoints, robustCurves } from './robust-datasets-curves';

/** Below this share of constructed images reaching their target, the construction failed. */
export const MIN_ATTACK_SUCCESS = 0.8;
/** Train accuracy this far below test accuracy means the fresh model is under-fitted. */
export const UNDERFIT_GAP = 0.1;

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The warnings a result carries: those stored with it (from its config), then the computed. */
export function resultWarnings(result: ExperimentResult): string[] {
  const stored = 'warnings' in result ? result.warnings : [];
  return [...stored, ...experimentWarnings(result)];
}

export function experimentWarnings(result: ExperimentResult): string[] {
  switch (result.type) {
    case 'non-robust-features':
      return nonRobustWarnings(result);
    case 'robust-datasets':
      return robustDatasetsWarnings(result);
    case 'robustness-tradeoff':
      return tradeoffWarnings(result);
    case 'data-efficiency':
      return dataEfficiencyWarnings(result);
    case 'transfer':
    case 'robust-gaussian':
    case 'tsipras-toy':
      return [];
  }
}

const variantNames = { random: 'D_rand', deterministic: 'D_det' } as const;

function nonRobustWarnings(result: NonRobustFeaturesResult): string[] {
  const warnings: string[] = [];
  const { chance } = result;
  if (result.sourceTestAccuracy < midpoint(chance, 1)) {
    warnings.push(
      `the source model scores only ${pct(result.sourceTestAccuracy)} on the original test set: its adversarial examples carry little of any class's features — train the source model well (standard training) first`,
    );
  }
  for (const v of result.variants) {
    const name = variantNames[v.variant];
    if (v.attackSuccessRate < MIN_ATTACK_SUCCESS) {
      warnings.push(
        `only ${pct(v.attackSuccessRate)} of ${name}'s images reach their new label on the source model: the rest are real images under a wrong label, not planted features — raise the attack's ε or its steps (steps × step size must exceed ε)`,
      );
    }
    if (v.testAccuracy < chance) {
      warnings.push(
        v.variant === 'deterministic'
          ? `the model trained on D_det scores ${pct(v.testAccuracy)} on the original test set, below chance (${pct(chance)}): it learned the images' robust features, which D_det's labels contradict, not the planted ones — raise the attack's ε (D_det needs a larger ε than D_rand) and its steps`
          : `the model trained on D_rand scores ${pct(v.testAccuracy)} on the original test set, below chance (${pct(chance)}): nothing it learned carries to real images — check the attack success, raise ε or the steps, train longer or on more images`,
      );
    }
    if (v.trainAccuracy < v.testAccuracy - UNDERFIT_GAP) {
      warnings.push(
        `the model trained on ${name} fits its own training set (${pct(v.trainAccuracy)}) worse than the original test set (${pct(v.testAccuracy)}): it is under-fitted to the constructed labels — train more epochs or raise the learning rate`,
      );
    }
  }
  warnings.push(...detSweepWarnings(result));
  return warnings;
}

/**
 * The D_det sweep: a point below chance is expected at small ε (the robust features win there),
 * so only a sweep none of whose points rises above chance contradicts the claim.
 */
function detSweepWarnings(result: NonRobustFeaturesResult): string[] {
  const sweep = result.detSweep ?? [];
  const warnings: string[] = [];
  // The D_det variant's own point has its own warning above.
  const variantDatasets = new Set(result.variants.map((v) => v.datasetId));
  const weak = sweep.filter(
    (point) =>
      point.attackSuccessRate < MIN_ATTACK_SUCCESS && !variantDatasets.has(point.datasetId),
  );
  if (weak.length > 0) {
    warnings.push(
      `in the D_det sweep, fewer than ${pct(MIN_ATTACK_SUCCESS)} of the images reach their new label at ε = ${weak.map((point) => point.epsilon).join(', ')}: there D_det is partly real images under a wrong label, not planted features — read those points as such, or raise the steps if steps × step size does not exceed ε`,
    );
  }
  if (sweep.length >= 2 && sweep.every((point) => point.testAccuracy <= result.chance)) {
    const best = sweep.reduce((a, b) => (b.testAccuracy > a.testAccuracy ? b : a));
    warnings.push(
      `no ε of the D_det sweep takes the fresh model above chance (${pct(result.chance)}; best ${pct(best.testAccuracy)} at ε = ${best.epsilon}): extend the sweep to larger ε, with steps × step size above the largest`,
    );
  }
  return warnings;
}

const datasetNames = { original: 'D', robust: 'D_R', standard: 'D_NR' } as const;

function robustDatasetsWarnings(result: RobustDatasetsResult): string[] {
  const warnings: string[] = [];
  const { chance } = result;
  for (const row of result.rows) {
    if (chance !== undefined && row.testAccuracy < chance) {
      warnings.push(
        `the model trained on ${datasetNames[row.dataset]} scores ${pct(row.testAccuracy)} on the original test set, below chance (${pct(chance)}): ${row.dataset === 'original' ? 'the training recipe failed — train more epochs or change the learning rate' : 'the constructed images carry no usable features — run more inversion steps (the representation distance should be small)'}`,
      );
    }
  }
  const curves = robustCurves(result);
  const attacked = attackedPoints(curves);
  const zero = allRobustZero(curves.rows.map((row) => attacked.map((i) => row.curve[i] ?? NaN)));
  warnings.push(...zero);
  const ordered = orderedPoints(curves);
  if (zero.length === 0 && attacked.length > 0 && ordered?.length === 0) {
    warnings.push(
      'no evaluated radius shows the ordering D_NR < D < D_R: evaluate over a range of smaller ε (where standard models are not all at 0%), check that the D_R model is robust and D_R well inverted (more inversion steps), and compare only models of one training recipe',
    );
  }
  return warnings;
}

function tradeoffWarnings(result: TradeoffResult): string[] {
  const warnings: string[] = [];
  const chance = result.chance;
  const standard = result.rows.find((row) => row.trainEpsilon === 0);
  // The reference a robust model's clean accuracy is judged against: the run's own standard model.
  const reference = standard?.testAccuracy ?? 1;
  for (const row of result.rows) {
    const what =
      row.trainEpsilon === 0
        ? 'the standard model'
        : `the model trained at ε = ${row.trainEpsilon}`;
    if (chance !== undefined && row.testAccuracy < chance) {
      warnings.push(
        `${what} scores ${pct(row.testAccuracy)} clean, below chance (${pct(chance)}): its training failed — train more epochs or change the learning rate`,
      );
    } else if (row.trainEpsilon > 0 && row.testAccuracy < midpoint(chance ?? 0, reference)) {
      warnings.push(
        `${what} collapsed to ${pct(row.testAccuracy)} clean accuracy${standard ? ` (the standard model: ${pct(standard.testAccuracy)})` : ''}: adversarial training at this ε failed rather than traded accuracy for robustness — train more epochs, lower the learning rate, or lower ε`,
      );
    }
  }
  warnings.push(
    ...allRobustZero(
      result.rows.map((row) =>
        row.robustAccuracy.filter((_, i) => (result.evaluationEpsilons[i] ?? 0) > 0),
      ),
    ),
  );
  return warnings;
}

/**
 * No collapse check here: robust training on few images losing much clean accuracy is the
 * effect this experiment measures (Schmidt et al. 2018), not a failed step.
 */
function dataEfficiencyWarnings(result: DataEfficiencyResult): string[] {
  const warnings: string[] = [];
  const chance = result.chance;
  for (const row of result.rows) {
    if (chance !== undefined && row.testAccuracy < chance) {
      warnings.push(
        `the ${row.recipe} model on ${row.size} images scores ${pct(row.testAccuracy)} clean, below chance (${pct(chance)}): its training failed — train more epochs or change the learning rate`,
      );
    }
  }
  warnings.push(...allRobustZero(result.rows.map((row) => [row.robustAccuracy])));
  return warnings;
}

/** Halfway from chance to a reference accuracy. */
function midpoint(chance: number, reference: number): number {
  return chance + (reference - chance) / 2;
}

/** One warning if there are robust figures (ε > 0) and every one of them is 0. */
function allRobustZero(figures: readonly (readonly number[])[]): string[] {
  const all = figures.flat();
  if (all.length === 0 || all.some((value) => value !== 0)) return [];
  return [
    'every robust accuracy is 0%: at these radii every model is broken, so the figures cannot rank the models — evaluate at smaller ε',
  ];
}
