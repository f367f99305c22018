import { attackTally, describeAttackTally } from '../../../common/attack-tally';
import { attackDefaults } from '../../../common/evaluation-schemas';
import type { CliCommand, CliSession } from '../cli-session';
import { perturbationOptions } from './perturbation-options';

/**
 * --indices 1,2,3 (positions in the test split: 0 is its first test image), or the first --count
 * test images (at most the whole test split).
 */
async function chosenIndices(session: CliSession, datasetId: number): Promise<number[]> {
  const text = session.args.string('indices');
  if (text) return text.split(',').map((part) => Number(part.trim()));
  const count = session.args.number('count', 100);
  const dataset = (await session.call('datasets.list', {})).find((d) => d.id === datasetId);
  const testCount = Math.min(count, dataset?.split.test ?? count);
  return Array.from({ length: testCount }, (_, position) => position);
}

export const attackCommand: CliCommand = {
  name: 'attack',
  usage:
    '--model ID [--dataset ID] [--count N | --indices 1,2,3 (test-split positions)] [--method fgsm|pgd|apgd-ce|apgd-t|square] [--loss cross-entropy|cw-margin|dlr|dlr-targeted] [--constraint linf|l2|unconstrained] [--eps X] [--steps N (APGD: iterations)] [--step-size X] [--restarts N] [--target CLASS] [--targets N (APGD-T)] [--queries N] [--p-init X (Square)] [--no-random-start] [--seed N]',
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const datasetId = await session.datasetId();
    const indices = await chosenIndices(session, datasetId);
    const method = args.string('method', 'pgd');
    const perturbation = perturbationOptions(args, args.string('constraint', 'linf'));
    // APGD's iterations are the steps; its paper default is 100, not PGD's 40.
    if (method.startsWith('apgd') && args.number('steps') === undefined)
      perturbation.steps = attackDefaults.apgdIterations;
    const config = {
      modelId: args.number('model'),
      datasetId,
      indices,
      indexSpace: 'test',
      method,
      perturbation,
      restarts: args.number('restarts', 1),
      targetClass: args.number('target') ?? null,
      seed: args.number('seed', 0),
      loss: args.string('loss', attackDefaults.loss),
      apgdTargets: args.number('targets', attackDefaults.apgdTargets),
      squareQueries: args.number('queries', attackDefaults.squareQueries),
      squareInitialFraction: args.number('p-init', attackDefaults.squareInitialFraction),
    };
    args.rejectUnknown();
    const started = await session.call('jobs.startAttack', config);
    session.say(`attack run ${started.runId} started on ${indices.length} images`);
    const state = await session.follow(started.jobId);
    if (state !== 'completed') return 1;
    const result = await session.call('runs.attackResult', { runId: started.runId });
    const { examples, ...summary } = result;
    const queries = examples.flatMap((example) =>
      example.queries === undefined ? [] : [example.queries],
    );
    const meanQueries =
      queries.length === 0 ? null : queries.reduce((a, b) => a + b, 0) / queries.length;
    // Success is counted over the images the model had right before the attack.
    const tally = attackTally(examples, result.config.targetClass);
    session.result({ ...summary, examples: examples.length, meanQueries, tally }, () => [
      `clean accuracy ${(result.cleanAccuracy * 100).toFixed(2)}% · robust accuracy ${(result.robustAccuracy * 100).toFixed(2)}% on ${examples.length} images`,
      `attack ${describeAttackTally(tally, result.config.targetClass)}`,
      ...(meanQueries === null
        ? []
        : [`queries per image: mean ${meanQueries.toFixed(1)}, most ${Math.max(...queries)}`]),
    ]);
    return 0;
  },
};
