/**
 * `rfw attack`: one attack run on the first --count test images (or --indices, positions in the
 * test split) of the model's dataset (or --dataset), with the Attack tab's defaults
 * (common/attack-defaults.ts, and the method's descriptor in common/attacks) for every setting
 * not given.
 */
import { attackDefaults as defaults } from '../../../common/attack-defaults';
import {
  attackJobFields,
  methodDescriptors,
  methodSteps,
  methodThreatModels,
  type JobFieldName,
} from '../../../common/attacks/attack-registry';
import { attackTally, describeAttackTally } from '../../../common/attack-tally';
import { capRange, maxItemsOf } from '../../../common/number-range';
import { AttackConfig, AttackMethod } from '../../../common/attack-schemas';
import { AttackLoss, ConstraintName } from '../../../common/attacks/threat-models';
import type { DatasetSummary } from '../../../common/dataset-schemas';
import { describeProportion, proportionOf } from '../../../common/proportion';
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
  const perturbation = perturbationOptions(args, constraint, dataset.imageShape, {
    // The method's own threat models and step count (APGD: 100 iterations, the paper's).
    threatModels: methodThreatModels(method),
    steps: methodSteps(method),
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
    // Every method's own fields (--targets, --queries, …), each from its descriptor's default.
    ...(Object.fromEntries(
      attackJobFields.map((field) => [
        field.name,
        args.number(field.flag, ranges[field.name], field.default),
      ]),
    ) as Record<JobFieldName, number>),
  };
}

/** The options of the methods' own fields, e.g. "[--targets N (APGD-T)]". */
const methodFieldUsage = methodDescriptors
  .flatMap((method) =>
    method.job.fields.map(
      (field) => `[--${field.flag} ${field.input.step === '1' ? 'N' : 'X'} (${method.label})]`,
    ),
  )
  .join(' ');

export const attackCommand: CliCommand = {
  name: 'attack',
  usage: `--model ID [--dataset ID] [--count N | --indices 1,2,3 (test-split positions)] [--method ${AttackMethod.options.join('|')}] [--loss ${AttackLoss.options.join('|')}] [--constraint ${ConstraintName.options.join('|')}] [--eps X] [--steps N (APGD: iterations)] [--step-size X] [--restarts N] [--target CLASS] ${methodFieldUsage} [--no-random-start] [--seed N]`,
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
    const result = await session.runJob(
      'jobs.startAttack',
      { ...partial, indices, indexSpace: 'test' },
      'attack',
      'runs.attackResult',
      ` on ${indices.length} images`,
    );
    if (result === null) return 1;
    const { examples, ...summary } = result;
    const queries = examples.flatMap((example) =>
      example.queries === undefined ? [] : [example.queries],
    );
    const meanQueries =
      queries.length === 0 ? null : queries.reduce((a, b) => a + b, 0) / queries.length;
    // Success is counted over the images the model had right before the attack.
    const tally = attackTally(examples, result.config.targetClass);
    session.result({ ...summary, examples: examples.length, meanQueries, tally }, () => [
      `clean accuracy ${describeProportion(proportionOf(result.cleanAccuracy, examples.length))}`,
      `robust accuracy ${describeProportion(proportionOf(result.robustAccuracy, examples.length))}`,
      `attack ${describeAttackTally(tally, result.config.targetClass)}`,
      ...(meanQueries === null
        ? []
        : [`queries per image: mean ${meanQueries.toFixed(1)}, most ${Math.max(...queries)}`]),
    ]);
    return 0;
  },
};
