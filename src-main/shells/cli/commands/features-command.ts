/**
 * `rfw features VIEW --models A[,B] --images I,J,…`: one view of the features lab as a project
 * run, for one model or two side by side. Each view's flags, their limits and their defaults
 * (the papers' values scaled to the dataset's image size) come from the view's descriptor
 * (common/features-views/), as the lab's form does, and the config is built by the same
 * function. Prints the view's table and warnings (or, with --json, the stored run: config and
 * result). The run, its pictures and its figure open in the UI's Features lab and Gallery like
 * one started there.
 */
import { z } from 'zod';
import { describeIssues } from '../../../common/contract';
import { featuresRunDefaults } from '../../../common/features-defaults';
import type { FeaturesRun } from '../../../common/features-result-schemas';
import {
  buildFeaturesConfig,
  featuresViewList,
  featuresViewNames,
  featuresViews,
  type FeaturesConfig,
  type FeaturesInput,
  type FeaturesViewName,
} from '../../../common/features-views/registry';
import {
  forDataset,
  type FeaturesOption,
  type OptionSet,
  type ViewDataset,
} from '../../../common/features-views/view-options';
import { capRange } from '../../../common/number-range';
import type { DatasetSummary } from '../../../common/dataset-schemas';
import type { CliArguments } from '../cli-arguments';
import type { CliCommand, CliSession } from '../cli-session';
import { ranges } from '../option-ranges';

/** The first `count` test images of the dataset, when --images is not given. */
async function firstTestImages(session: CliSession, datasetId: number, count: number) {
  const page = await session.call('datasets.page', {
    datasetId,
    split: 'test',
    offset: 0,
    limit: count,
  });
  return page.items.map((item) => item.index);
}

/** One setting from its flag, checked as its descriptor says; its default when not given. */
function optionValue(args: CliArguments, option: FeaturesOption, dataset: ViewDataset): unknown {
  const fallback = forDataset<unknown>(option.default, dataset);
  if (option.cli === null) return fallback;
  const { flag } = option.cli;
  switch (option.kind) {
    case 'number': {
      const range = forDataset(option.range, dataset);
      if (option.cli.required) return args.requiredNumber(flag, range, option.cli.value ?? 'N');
      return args.number(flag, range) ?? fallback;
    }
    case 'numbers':
      return args.numbers(flag, forDataset(option.range, dataset)) ?? fallback;
    case 'choice':
      return args.choice(flag, option.choices) ?? fallback;
    case 'choices':
      // Each word is checked by the schema, which names the one it refuses.
      return args.string(flag)?.split(',') ?? fallback;
    case 'switch':
      return args.flag(flag) ? !fallback : fallback;
    case 'mask':
      return fallback;
  }
}

/** A view's settings from the command line. */
export function featuresOptionValues(
  args: CliArguments,
  options: OptionSet,
  dataset: ViewDataset,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([key, option]) => [key, optionValue(args, option, dataset)]),
  );
}

/**
 * The validated config `rfw features VIEW` sends, from its options, the models and the images
 * (--images, or the first test images when not given; resolved by the caller).
 */
export function featuresConfig(
  args: CliArguments,
  view: FeaturesViewName,
  dataset: DatasetSummary,
  chosen: { modelIds: number[]; images: number[] },
): FeaturesConfig {
  const input = {
    name: args.string('name', `${view} (CLI)`),
    datasetId: dataset.id,
    modelIds: chosen.modelIds,
    seed: args.number('seed', ranges.seed, featuresRunDefaults.seed),
    images: chosen.images,
    options: featuresOptionValues(args, featuresViews[view].options, {
      imageShape: dataset.imageShape,
      classCount: dataset.classNames.length,
    }),
  };
  try {
    // Each value was read as its descriptor's kind says; the schema checks the config whole.
    return buildFeaturesConfig(view, input as FeaturesInput);
  } catch (error) {
    if (error instanceof z.ZodError) throw new Error(describeIssues(error), { cause: error });
    throw error;
  }
}

async function buildConfig(session: CliSession, view: FeaturesViewName) {
  const args = session.args;
  const modelIds = args.numbers('models', ranges.id);
  const first = modelIds?.[0];
  if (modelIds === undefined || first === undefined)
    throw new Error('--models A[,B] is required (one model, or two side by side)');
  const model = (await session.call('models.list', {})).find((m) => m.id === first);
  if (!model) throw new Error(`--models: there is no model ${first} in the project`);
  const dataset = await session.dataset(model.datasetId);
  const positions = capRange(
    ranges.imageIndex,
    dataset.count - 1,
    `the dataset has ${dataset.count} images`,
  );
  const given = args.numbers('images', positions);
  const count = featuresViews[view].images.cliDefault;
  const images = given ?? (count > 0 ? await firstTestImages(session, dataset.id, count) : []);
  return featuresConfig(args, view, dataset, { modelIds, images });
}

/** What the help calls a flag's value: its own word, or the choices. */
function valueUsage(option: FeaturesOption): string {
  if (option.cli?.value !== undefined) return option.cli.value;
  if (option.kind === 'choice') return option.choices.join('|');
  if (option.kind === 'choices') return option.choices.join(',');
  return 'X';
}

/** `[--eps X]`, `--target CLASS`, `[--explain label|predicted]`; null for a setting with no flag. */
function flagUsage(option: FeaturesOption): string | null {
  if (option.cli === null) return null;
  const shown =
    option.kind === 'switch'
      ? `--${option.cli.flag}`
      : `--${option.cli.flag} ${valueUsage(option)}`;
  return option.cli.required ? shown : `[${shown}]`;
}

function report(run: FeaturesRun): string[] {
  const { result } = run;
  const cell = (value: string | number) =>
    typeof value === 'number' ? String(Number(value.toPrecision(4))) : value;
  return [
    `features run ${run.runId} (${run.config.view}): ${result.panels.reduce((n, p) => n + p.rows.reduce((m, r) => m + r.cells.length, 0), 0)} pictures saved`,
    result.table.columns.join(' | '),
    ...result.table.rows.map((row) => row.map(cell).join(' | ')),
    ...result.warnings.map((warning) => `WARN ${warning}`),
  ];
}

export const featuresCommand: CliCommand = {
  name: 'features',
  usage: [
    `${featuresViewNames.join('|')} --models A[,B] [--dataset ID] [--images I,J,… (dataset positions, as the lab's picker shows them; default: the first test images)] [--name NAME] [--seed N]`,
    ...featuresViewList.map((view) =>
      [`               ${view.view}`, ...Object.values(view.options).map(flagUsage)]
        .filter((part) => part !== null)
        .join(' '),
    ),
    "               (defaults: the papers' values scaled to the image size)",
  ].join('\n'),
  opensProject: true,
  needsProject: true,
  async run(session) {
    const view = session.words[0] ?? '';
    if (!(featuresViewNames as readonly string[]).includes(view))
      throw new Error(`name the view: rfw features ${featuresViewNames.join('|')} …`);
    const config = await buildConfig(session, view as FeaturesViewName);
    session.args.rejectUnknown();
    const run = await session.runJob(
      'jobs.startFeatures',
      config,
      'features',
      'runs.featuresResult',
    );
    if (run === null) return 1;
    session.result(run, () => report(run));
    return 0;
  },
};
