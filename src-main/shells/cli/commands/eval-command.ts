/**
 * `rfw eval`: a robustness evaluation of one model (curves of robust accuracy over ε per attack,
 * the worst case, and the sanity checks), printed as a table and a list of checks.
 */
import type { EvaluationRun } from '../../../common/evaluation-schemas';
import type { CliArguments } from '../cli-arguments';
import type { CliCommand, CliSession } from '../cli-session';
import { numberList } from '../number-list';

const methods = ['fgsm', 'pgd', 'apgd-ce', 'apgd-t', 'square'] as const;

/** --attacks with each method's settings from --steps, --iterations, --restarts, … */
function attackList(args: CliArguments): unknown[] {
  // AutoAttack's standard suite (APGD-CE, APGD-T, Square) plus FGSM and PGD, under L∞ or L2.
  const fallback = 'fgsm,pgd,apgd-ce,apgd-t,square';
  const names = args
    .string('attacks', fallback)
    .split(',')
    .map((name) => name.trim());
  const steps = args.number('steps');
  const iterations = args.number('iterations');
  const restarts = args.number('restarts');
  const targets = args.number('targets');
  const queries = args.number('queries');
  const initialFraction = args.number('p-init');
  // Only what was given goes out: the schema fills the paper defaults.
  const given = (fields: Record<string, number | undefined>) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return names.map((name) => {
    switch (name) {
      case 'fgsm':
        return { method: name };
      case 'pgd':
        return { method: name, ...given({ steps, restarts }) };
      case 'apgd-ce':
        return { method: name, ...given({ iterations, restarts }) };
      case 'apgd-t':
        return { method: name, ...given({ iterations, restarts, targets }) };
      case 'square':
        return { method: name, ...given({ queries, initialFraction }) };
      default:
        throw new Error(`--attacks: unknown attack "${name}"; use ${methods.join(', ')}`);
    }
  });
}

const percent = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(2)}%`;

/** The stored evaluation as a table (rows: attacks and the worst case; columns: ε) and checks. */
export function evaluationReport({ runId, result }: EvaluationRun): string[] {
  const width = Math.max(12, ...result.curves.map((curve) => curve.attack.length)) + 2;
  const row = (name: string, values: number[]) =>
    name.padEnd(width) + values.map((v) => percent(v).padStart(10)).join('');
  const passed = result.checks.filter((check) => check.passed).length;
  return [
    `evaluation run ${runId}: ${result.examples} images, clean accuracy ${percent(result.cleanAccuracy)}`,
    'robust accuracy'.padEnd(width) + result.epsilons.map((e) => `ε=${e}`.padStart(10)).join(''),
    ...result.curves.map((curve) => row(curve.attack, curve.accuracy)),
    row('worst case', result.worstCase),
    `sanity checks: ${passed} of ${result.checks.length} passed`,
    ...result.checks.map(
      (check) => `  ${check.passed ? 'pass' : 'WARN'}  ${check.name}: ${check.detail}`,
    ),
    ...result.skippedChecks.map((reason) => `  skip  ${reason}`),
  ];
}

async function modelDataset(session: CliSession, modelId: number | undefined): Promise<number> {
  const explicit = session.args.number('dataset');
  if (explicit !== undefined) return explicit;
  const models = await session.call('models.list', {});
  const model = models.find((m) => m.id === modelId);
  if (!model) throw new Error(`--model: there is no model ${String(modelId)} in the project`);
  return model.datasetId;
}

export const evalCommand: CliCommand = {
  name: 'eval',
  usage:
    '--model ID [--dataset ID] [--count N] [--constraint linf|l2] [--epsilons 0,0.1,0.2,0.3] [--attacks fgsm,pgd,apgd-ce,apgd-t,square] [--steps N] [--iterations N] [--restarts N] [--targets N] [--queries N] [--p-init X] [--transfer-from ID] [--seed N]',
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const modelId = args.number('model');
    if (modelId === undefined) throw new Error('--model ID is required');
    const constraint = args.string('constraint', 'linf');
    const config = {
      modelId,
      datasetId: await modelDataset(session, modelId),
      count: args.number('count', 100),
      constraint,
      epsilons: numberList(
        args.string('epsilons', constraint === 'linf' ? '0,0.1,0.2,0.3' : '0,0.5,1,2'),
        'epsilons',
      ),
      attacks: attackList(args),
      transferModelId: args.number('transfer-from') ?? null,
      seed: args.number('seed', 0),
    };
    args.rejectUnknown();
    const started = await session.call('jobs.startEvaluation', config);
    session.say(`evaluation run ${started.runId} started`);
    const state = await session.follow(started.jobId);
    if (state !== 'completed') return 1;
    const run = await session.call('runs.evaluationResult', { runId: started.runId });
    session.result(run, () => evaluationReport(run));
    return 0;
  },
};
