/**
 * `rfw eval`: a robustness evaluation of one model (curves of robust accuracy over ε per attack,
 * the worst case, and the sanity checks), printed as a table and a list of checks.
 */
import { evaluationDefaults } from '../../../common/attack-defaults';
import { attackDescriptor, isAttackMethod } from '../../../common/attacks/attack-registry';
import {
  EvaluationConstraint,
  EvaluationMethod,
  type EvaluationConfigInput,
  type EvaluationRun,
} from '../../../common/evaluation-schemas';
import { capRange } from '../../../common/number-range';
import { perturbationLimit } from '../../../common/perturbation-limits';
import type { DatasetSummary } from '../../../common/dataset-schemas';
import { describeInterval, describeProportion, proportionOf } from '../../../common/proportion';
import type { CliArguments } from '../cli-arguments';
import type { CliCommand } from '../cli-session';
import { ranges } from '../option-ranges';

type EvaluationAttackInput = EvaluationConfigInput['attacks'][number];

/** --attacks with each method's settings from --steps, --iterations, --restarts, … */
function attackList(args: CliArguments): EvaluationConfigInput['attacks'] {
  const methods = args
    .string('attacks', evaluationDefaults.attacks.join(','))
    .split(',')
    .map((name) => name.trim());
  const options = Object.entries(ranges.evaluation.attackOptions).map(
    ([flag, range]) => [flag, args.number(flag, range)] as const,
  );
  const given = new Map(options.filter(([, value]) => value !== undefined));
  // Only what was given goes out: the schema fills the defaults (the methods' descriptors).
  return methods.map((name) => {
    if (!isAttackMethod(name)) {
      throw new Error(
        `--attacks must list some of ${EvaluationMethod.options.join(', ')} (got "${name}")`,
      );
    }
    const settings = attackDescriptor(name).settings.flatMap((setting) => {
      const value = given.get(setting.flag);
      return value === undefined ? [] : [[setting.key, value] as const];
    });
    return { method: name, ...Object.fromEntries(settings) } as EvaluationAttackInput;
  });
}

/** `rfw eval`'s attack options, e.g. "[--steps N] [--p-init X]". */
const attackOptionUsage = Object.entries(ranges.evaluation.attackOptions)
  .map(([flag, range]) => `[--${flag} ${range.integer ? 'N' : 'X'}]`)
  .join(' ');

/** The config `rfw eval` sends, from its options and the dataset of the evaluated model. */
export function evaluationConfig(
  args: CliArguments,
  modelId: number,
  dataset: DatasetSummary,
): EvaluationConfigInput {
  const constraint = args.choice(
    'constraint',
    EvaluationConstraint.options,
    evaluationDefaults.constraint,
  );
  const limit = perturbationLimit(constraint, dataset.imageShape);
  const epsilons = capRange(
    ranges.evaluation.epsilon,
    limit.high,
    limit.reason,
    `for ${constraint}`,
  );
  const testImages = dataset.split.test;
  return {
    modelId,
    datasetId: dataset.id,
    count: args.number(
      'count',
      capRange(ranges.evaluation.count, testImages, `the test split has ${testImages} images`),
      evaluationDefaults.count,
    ),
    constraint,
    epsilons: args.numbers('epsilons', epsilons, evaluationDefaults.epsilons[constraint]),
    attacks: attackList(args),
    transferModelId: args.number('transfer-from', ranges.id) ?? null,
    seed: args.number('seed', ranges.seed, evaluationDefaults.seed),
  };
}

/** A table cell: "62.0% [55.1–68.4]" (k of the evaluation's n images, with Wilson's 95% interval). */
function cell(fraction: number, examples: number): string {
  if (!Number.isFinite(fraction)) return '—';
  const proportion = proportionOf(fraction, examples);
  return `${((proportion.count / examples) * 100).toFixed(1)}% [${describeInterval(proportion)}]`;
}

/** AutoAttack's cascade count: per ε, the images each attack broke first, in the curves' order. */
function brokenFirstTable(result: EvaluationRun['result'], width: number): string[] {
  if (result.curves.some((curve) => curve.brokenFirst === undefined)) return [];
  return [
    'images each attack broke first (not broken by an attack above it):',
    ...result.curves.map(
      (curve) =>
        curve.attack.padEnd(width) +
        result.epsilons.map((_, e) => String(curve.brokenFirst?.[e] ?? '—').padStart(22)).join(''),
    ),
  ];
}

/** Robust accuracy per true class: the worst case's k of each class's n, at every ε. */
function perClassTable(result: EvaluationRun['result']): string[] {
  if (result.perClass === undefined) return [];
  const cellWidth = 16;
  const share = (count: number, of: number) =>
    of === 0 ? '—' : `${((count / of) * 100).toFixed(1)}% (${count})`;
  return [
    'worst-case robust accuracy per class (in brackets: images; n: the class’s images):',
    'class      n' +
      ['clean', ...result.epsilons.map((e) => `ε=${e}`)].map((h) => h.padStart(cellWidth)).join(''),
    ...result.perClass.map(
      (counts, label) =>
        String(label).padEnd(6) +
        String(counts.images).padStart(6) +
        [counts.clean, ...counts.worstCase]
          .map((count) => share(count, counts.images).padStart(cellWidth))
          .join(''),
    ),
  ];
}

/** The stored evaluation as a table (rows: attacks and the worst case; columns: ε) and checks. */
export function evaluationReport({ runId, result }: EvaluationRun): string[] {
  const n = result.examples;
  const width = Math.max(12, ...result.curves.map((curve) => curve.attack.length)) + 2;
  const cellWidth = 22;
  const row = (name: string, values: number[]) =>
    name.padEnd(width) + values.map((v) => cell(v, n).padStart(cellWidth)).join('');
  const passed = result.checks.filter((check) => check.passed).length;
  return [
    `evaluation run ${runId}: ${n} images, clean accuracy ${describeProportion(proportionOf(result.cleanAccuracy, n))}`,
    `robust accuracy of the ${n} images, with its 95% Wilson interval:`,
    'ε'.padEnd(width) + result.epsilons.map((e) => String(e).padStart(cellWidth)).join(''),
    ...result.curves.map((curve) => row(curve.attack, curve.accuracy)),
    row('worst case', result.worstCase),
    ...brokenFirstTable(result, width),
    ...perClassTable(result),
    `sanity checks: ${passed} of ${result.checks.length} passed`,
    ...result.checks.map(
      (check) => `  ${check.passed ? 'pass' : 'WARN'}  ${check.name}: ${check.detail}`,
    ),
    ...result.skippedChecks.map((reason) => `  skip  ${reason}`),
  ];
}

export const evalCommand: CliCommand = {
  name: 'eval',
  usage: `--model ID [--dataset ID] [--count N] [--constraint linf|l2] [--epsilons 0,0.1,0.2,0.3 (l2: 0,0.5,1,2)] [--attacks ${EvaluationMethod.options.join(',')}] ${attackOptionUsage} [--transfer-from ID] [--seed N]`,
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const model = await session.model();
    const config = evaluationConfig(args, model.id, await session.dataset(model.datasetId));
    args.rejectUnknown();
    const run = await session.runJob(
      'jobs.startEvaluation',
      config,
      'evaluation',
      'runs.evaluationResult',
    );
    if (run === null) return 1;
    session.result(run, () => evaluationReport(run));
    return 0;
  },
};
