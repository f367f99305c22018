/**
 * `rfw attack`: one attack run on the first --count test images (or --indices, positions in the
 * test split) of the model's dataset (or --dataset), with the Attack tab's defaults (common/attack-defaults.ts) for every setting not
 * given.
 */
import { attackDefaults as defaults } from '../../../common/attack-defaults';
import { attackTally, describeAttackTally } from '../../../common/attack-tally';
import { capRange, maxItemsOf } from '../../../common/number-range';
import {
  AttackConfig,
  AttackLoss,
  AttackMethod,
  ConstraintName,
  type DatasetSummary,
} from '../../../common/schemas';
import type { CliArguments } from '../cli-arguments';
import type { CliCommand } from '../cli-session';
import { ranges } from '../option-ranges';
import { perturbationOptions } from './perturbation-options';

/** What an attack may take at once (the contract's limit on its image list). */
const maxImages = maxItemsOf(AttackConfig.shape.indices);

/** How the images are chosen: explicit test-split positions, or the first N of the test split. */
export type ImageChoice = { indices: number[] } | { count: number };

export function imageChoice(args: CliArguments, dataset: DatasetSummary): ImageChoice {
  const positions = capRange(
    ranges.imageIndex,
    dataset.split.test - 1,
    `the test split has ${dataset.split.test} images, 0 to ${dataset.split.test - 1}`,
  );
  const indices = args.numbers('indices', positions);
  const testImages = Math.min(dataset.split.test, maxImages);
  const reason =
    dataset.split.test <= maxImages
      ? `the test split has ${dataset.split.test} images`
      : `an attack takes at most ${maxImages} images`;
  const count = args.number(
    'count',
    capRange({ integer: true, low: 1 }, testImages, reason),
    defaults.count,
  );
  if (indices !== undefined) {
    if (args.given('count')) throw new Error('give --count or --indices, not both');
    if (indices.length > maxImages)
      throw new Error(`--indices takes at most ${maxImages} images (got ${indices.length})`);
    return { indices };
  }
  return { count };
}

/** The config `rfw attack` sends, but for its image list (resolved from `imageChoice`). */
export function attackConfig(
  args: CliArguments,
  modelId: number,
  dataset: DatasetSummary,
): Omit<AttackConfig, 'indices' | 'indexSpace'> {
  const method = args.choice('method', AttackMethod.options, defaults.method);
  const constraint = args.choice('constraint', ConstraintName.options, defaults.constraint);
  const apgd = method === 'apgd-ce' || method === 'apgd-t';
  const perturbation = perturbationOptions(args, constraint, dataset.imageShape, {
    threatModels: defaults.threatModels,
    // APGD's iterations are the steps; its paper default is 100, not PGD's 40.
    steps: apgd ? defaults.apgdIterations : defaults.steps,
    randomStart: defaults.randomStart,
  });
  const classes = dataset.classNames.length;
  return {
    modelId,
    datasetId: dataset.id,
    method,
    perturbation,
    restarts: args.number('restarts', ranges.restarts, defaults.restarts),
    targetClass:
      args.number(
        'target',
        capRange(ranges.targetClass, classes - 1, `the dataset has ${classes} classes`),
      ) ?? null,
    seed: args.number('seed', ranges.seed, defaults.seed),
    loss: args.choice('loss', AttackLoss.options, defaults.loss),
    apgdTargets: args.number('targets', ranges.apgdTargets, defaults.apgdTargets),
    squareQueries: args.number('queries', ranges.squareQueries, defaults.squareQueries),
    squareInitialFraction: args.number(
      'p-init',
      ranges.squareInitialFraction,
      defaults.squareInitialFraction,
    ),
  };
}

export const attackCommand: CliCommand = {
  name: 'attack',
  usage: `--model ID [--dataset ID] [--count N | --indices 1,2,3 (test-split positions)] [--method ${AttackMethod.options.join('|')}] [--loss ${AttackLoss.options.join('|')}] [--constraint ${ConstraintName.options.join('|')}] [--eps X] [--steps N (APGD: iterations)] [--step-size X] [--restarts N] [--target CLASS] [--targets N (APGD-T)] [--queries N] [--p-init X (Square)] [--no-random-start] [--seed N]`,
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const model = await session.model();
    // Without --dataset, the test images of the dataset the model was trained on (or imported
    // for), as rfw eval and rfw features take them; not the project's first dataset.
    const dataset = await session.dataset(model.datasetId);
    const choice = imageChoice(args, dataset);
    const partial = attackConfig(args, model.id, dataset);
    args.rejectUnknown();
    // Positions in the test split: the first N are 0…N−1.
    const indices =
      'indices' in choice ? choice.indices : Array.from({ length: choice.count }, (_, i) => i);
    const started = await session.call('jobs.startAttack', {
      ...partial,
      indices,
      indexSpace: 'test',
    });
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
