/**
 * Robust-accuracy curves of several evaluation runs on one chart: which curves a choice picks,
 * how each is named in the legend, and the long-format table they export as.
 *
 * An EvaluationRun fits ComparedEvaluation as it is; the methods' names are their descriptors'
 * (common/attacks).
 */
import { methodDescriptors } from '@common/attacks/attack-registry';

export type EvaluationNorm = 'linf' | 'l2';

/** The parts of an evaluation run (common/evaluation-schemas.ts EvaluationRun) read here. */
export interface ComparedEvaluation {
  runId: number;
  config: { modelId: number; constraint: EvaluationNorm };
  result: {
    /** Images evaluated. */
    examples: number;
    /** Ascending, starting at 0. */
    epsilons: readonly number[];
    curves: readonly {
      /** Display name with the settings, e.g. "PGD-40×1". */
      attack: string;
      method: string;
      access: string;
      /** acc(ε) for each ε of `epsilons`. */
      accuracy: readonly number[];
    }[];
    /** Per ε: correct under every attack at once (the per-example worst case). */
    worstCase: readonly number[];
  };
}

/** 'worst-case', 'every-curve', or an attack method ('pgd', 'square', 'transfer', …). */
export type CurveChoice = string;
export const worstCaseChoice: CurveChoice = 'worst-case';
export const everyCurveChoice: CurveChoice = 'every-curve';

export interface CurveOption {
  value: CurveChoice;
  /** For the select: the name and, when not every run has it, how many do. */
  label: string;
  /** The attack's name alone ("FGSM"), for sentences. */
  name: string;
}

export const normLabels: Record<EvaluationNorm, string> = { linf: 'L∞', l2: 'L2' };

/** The evaluation methods in the order the evaluation form offers them (the registry's), transfer last. */
const methodLabels: Record<string, string> = {
  ...Object.fromEntries(methodDescriptors.map((method) => [method.name, method.label])),
  transfer: 'transfer from another model',
};
const methodOrder = Object.keys(methodLabels);

function methodRank(method: string): number {
  const rank = methodOrder.indexOf(method);
  return rank === -1 ? methodOrder.length : rank;
}

/**
 * Worst case first (every run has it), then each attack method some run used, with how many of
 * the runs have it, then every curve of every run.
 */
export function curveOptions(runs: readonly ComparedEvaluation[]): CurveOption[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const method of new Set(run.result.curves.map((curve) => curve.method))) {
      counts.set(method, (counts.get(method) ?? 0) + 1);
    }
  }
  const methods = [...counts.keys()].sort(
    (a, b) => methodRank(a) - methodRank(b) || a.localeCompare(b),
  );
  return [
    { value: worstCaseChoice, label: 'Worst case over each run’s attacks', name: 'worst case' },
    ...methods.map((method) => {
      const found = counts.get(method) ?? 0;
      const name = methodLabels[method] ?? method;
      return {
        value: method,
        label: found === runs.length ? name : `${name} (${found} of ${runs.length} runs)`,
        name,
      };
    }),
    { value: everyCurveChoice, label: 'Every attack and the worst case', name: 'every curve' },
  ];
}

/** One line of the chart: a (run, attack) pair, or a run's worst case. */
export interface ComparedCurve {
  /** The legend entry: model, then (when needed to tell lines apart) run and norm, then attack. */
  label: string;
  runId: number;
  modelId: number;
  model: string;
  constraint: EvaluationNorm;
  examples: number;
  /** The attack's display name, or "worst case". */
  attack: string;
  /** The attack's access ('white-box', 'black-box'), or 'all' for the worst case. */
  access: string;
  points: { x: number; y: number }[];
}

function points(
  epsilons: readonly number[],
  values: readonly number[],
): { x: number; y: number }[] {
  return epsilons.map((x, e) => ({ x, y: values[e] ?? Number.NaN }));
}

/**
 * The curves `choice` picks from each run, in the runs' order. The legend names the model; it
 * adds the run when one model has several of the runs, and the norm when the runs mix L∞ and L2
 * (their ε are on different scales and must not be read as one axis).
 */
export function comparedCurves(
  runs: readonly ComparedEvaluation[],
  choice: CurveChoice,
  modelName: (modelId: number) => string,
): ComparedCurve[] {
  runs = runsShown(runs, choice);
  const runsPerModel = new Map<number, number>();
  for (const run of runs) {
    runsPerModel.set(run.config.modelId, (runsPerModel.get(run.config.modelId) ?? 0) + 1);
  }
  const mixedNorms = new Set(runs.map((run) => run.config.constraint)).size > 1;
  const curves: ComparedCurve[] = [];
  for (const run of runs) {
    const { modelId, constraint } = run.config;
    const { epsilons, examples } = run.result;
    const model = modelName(modelId);
    let prefix = model;
    if ((runsPerModel.get(modelId) ?? 0) > 1) prefix += ` (run #${run.runId})`;
    if (mixedNorms) prefix += ` · ${normLabels[constraint]}`;
    const common = { runId: run.runId, modelId, model, constraint, examples };
    const worst: ComparedCurve = {
      ...common,
      label: `${prefix} · worst case`,
      attack: 'worst case',
      access: 'all',
      points: points(epsilons, run.result.worstCase),
    };
    const picked = run.result.curves.filter(
      (curve) => choice === everyCurveChoice || curve.method === choice,
    );
    if (choice !== worstCaseChoice) {
      for (const curve of picked) {
        curves.push({
          ...common,
          label: `${prefix} · ${curve.attack}`,
          attack: curve.attack,
          access: curve.access,
          points: points(epsilons, curve.accuracy),
        });
      }
    }
    if (choice === worstCaseChoice || choice === everyCurveChoice) curves.push(worst);
  }
  return curves;
}

function hasChoice(run: ComparedEvaluation, choice: CurveChoice): boolean {
  if (choice === worstCaseChoice || choice === everyCurveChoice) return true;
  return run.result.curves.some((curve) => curve.method === choice);
}

/** The runs with a curve of the choice: those on the chart. */
export function runsShown<R extends ComparedEvaluation>(
  runs: readonly R[],
  choice: CurveChoice,
): R[] {
  return runs.filter((run) => hasChoice(run, choice));
}

/** The runs that have no curve of the chosen method (they are left off the chart). */
export function runsWithout(runs: readonly ComparedEvaluation[], choice: CurveChoice): number[] {
  return runs.filter((run) => !hasChoice(run, choice)).map((run) => run.runId);
}

/** The chart's x-axis title: the runs' norm, or a warning that the ε of two norms share it. */
export function epsilonAxisTitle(runs: readonly ComparedEvaluation[]): string {
  const norms = [...new Set(runs.map((run) => run.config.constraint))].sort();
  if (norms.length === 0) return 'ε';
  if (norms.length === 1) return `ε (${normLabels[norms[0] ?? 'linf']})`;
  return `ε (${norms.map((norm) => normLabels[norm]).join(' and ')}: different scales)`;
}

/** A table to save: its column names and rows (experiment-export.ts csvText writes it). */
export interface CurvesTable {
  header: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}

/** Long format: one row per (curve, ε), which every plotting tool reads. */
export function curvesTable(curves: readonly ComparedCurve[]): CurvesTable {
  const header = [
    'run_id',
    'model_id',
    'model',
    'constraint',
    'examples',
    'attack',
    'access',
    'epsilon',
    'robust_accuracy',
  ];
  const rows = curves.flatMap((curve) =>
    curve.points.map((point) => [
      curve.runId,
      curve.modelId,
      curve.model,
      curve.constraint,
      curve.examples,
      curve.attack,
      curve.access,
      point.x,
      point.y,
    ]),
  );
  return { header, rows };
}
