/**
 * `rfw train`: standard, PGD or TRADES training with a learning-rate schedule, augmentation and
 * validation; `rfw train --resume RUN` continues an interrupted run from its last checkpoint.
 * Every setting not given is the Train tab's (common/training-defaults.ts).
 */
import { capRange, inRange } from '../../../common/number-range';
import { describeAccuracy } from '../../../common/proportion';
import {
  AugmentationChoice,
  OptimizerName,
  type LearningRateSchedule,
  type TrainingConfig,
  type ValidationConfig,
} from '../../../common/training-schemas';
import { trainableArchitectures } from '../../../common/model-schemas';
import type { DatasetSummary } from '../../../common/dataset-schemas';
import {
  defaultModelName,
  trainingFormDefaults as defaults,
} from '../../../common/training-defaults';
import type { CliArguments } from '../cli-arguments';
import type { CliCommand, CliSession } from '../cli-session';
import { numberList } from '../number-list';
import { rangeError } from '../option-error';
import { ranges } from '../option-ranges';
import { perturbationOptions } from './perturbation-options';

const scheduleForms = 'constant, step:GAMMA:E1,E2, cosine[:FLOOR] or one-cycle[:PEAK]';

/** A number inside --schedule, checked like an option of its own. */
function schedulePart(
  text: string | undefined,
  fallback: number,
  what: string,
  range = ranges.training.gamma,
) {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  const named = { ...range, condition: `as the ${what}` };
  if (Number.isNaN(value) || !inRange(value, range)) throw rangeError('schedule', named, text);
  return value;
}

/** --schedule constant | step:0.1:30,60 | cosine[:floor] | one-cycle[:peak] */
function schedule(args: CliArguments): LearningRateSchedule {
  const text = args.string('schedule', defaults.scheduleKind);
  const [kind, first, second] = text.split(':');
  switch (kind) {
    case 'constant':
      return { kind };
    case 'step':
      return {
        kind,
        gamma: schedulePart(first, defaults.schedule.gamma, 'step factor γ'),
        milestones: numberList(second ?? '', 'schedule', {
          ...ranges.training.milestone,
          condition: 'as a milestone epoch (step:GAMMA:E1,E2)',
        }),
      };
    case 'cosine':
      return {
        kind,
        floor: schedulePart(first, defaults.schedule.floor, 'cosine floor', ranges.training.floor),
      };
    case 'one-cycle':
      return {
        kind,
        peakFraction: schedulePart(
          first,
          defaults.schedule.peakFraction,
          'one-cycle peak position',
          ranges.training.peakFraction,
        ),
      };
    default:
      throw new Error(`--schedule must be ${scheduleForms} (got "${text}")`);
  }
}

/** Validation is on unless --no-validation: a fraction of the training split, or a count. */
function validation(args: CliArguments, trainImages: number): ValidationConfig | null {
  const off = args.flag('no-validation');
  const size = args.number('validation', ranges.training.validationSize);
  const everyEpochs = args.number(
    'validate-every',
    ranges.training.validationEvery,
    defaults.validation.everyEpochs,
  );
  if (off) {
    if (size !== undefined) throw new Error('--validation and --no-validation exclude each other');
    return null;
  }
  if (size !== undefined && (size >= trainImages || (size >= 1 && !Number.isInteger(size)))) {
    throw new Error(
      `--validation must be a fraction in (0, 1) or a whole number of images from 1 to ${trainImages - 1} (the training split has ${trainImages} images; got ${size})`,
    );
  }
  return { size: size ?? defaults.validation.size, everyEpochs, attack: null };
}

/** The config `rfw train` sends, from its options and the dataset it trains on. */
export function trainingConfig(args: CliArguments, dataset: DatasetSummary): TrainingConfig {
  const robust = args.choice('robust', ['linf', 'l2'] as const);
  const architecture = args.choice('arch', trainableArchitectures, defaults.architecture);
  const tradesBeta = args.number('trades', ranges.training.tradesBeta);
  const trainImages = dataset.split.train;
  const config: TrainingConfig = {
    datasetId: dataset.id,
    modelName: args.string('name', defaultModelName(architecture, robust !== undefined)),
    architecture,
    epochs: args.number('epochs', ranges.training.epochs, defaults.epochs),
    batchSize: args.number('batch', ranges.training.batchSize, defaults.batchSize),
    learningRate: args.number('lr', ranges.training.learningRate, defaults.learningRate),
    optimizer: args.choice('optimizer', OptimizerName.options, defaults.optimizer),
    seed: args.number('seed', ranges.seed, defaults.seed),
    trainLimit:
      args.number(
        'limit',
        capRange(
          ranges.training.trainLimit,
          trainImages,
          `the training split has ${trainImages} images`,
        ),
      ) ?? null,
    adversarial: robust
      ? perturbationOptions(args, robust, dataset.imageShape, defaults.robust)
      : null,
    epsilonWarmupEpochs: args.number(
      'warmup',
      ranges.training.warmup,
      robust ? defaults.robust.epsilonWarmupEpochs : 0,
    ),
    adversarialLoss: tradesBeta === undefined ? defaults.adversarialLoss : 'trades',
    tradesBeta: tradesBeta ?? defaults.tradesBeta,
    learningRateSchedule: schedule(args),
    augmentation: args.choice('augment', AugmentationChoice.options, defaults.augmentation),
    validation: validation(args, trainImages),
    saveFinalModel: args.flag('save-final') || defaults.saveFinalModel,
  };
  if (!robust) {
    for (const option of ['eps', 'steps', 'step-size', 'warmup', 'trades', 'no-random-start'])
      if (args.given(option))
        throw new Error(`--${option} is for robust training: add --robust linf|l2`);
  }
  return config;
}

async function follow(session: CliSession, started: { jobId: string; runId: number }) {
  const state = await session.follow(started.jobId);
  const models = await session.call('models.list', {});
  const trained = models.filter((m) => m.trainingRunId === started.runId);
  const datasets = await session.call('datasets.list', {});
  const testImages = (datasetId: number) =>
    datasets.find((d) => d.id === datasetId)?.split.test ?? 0;
  session.result({ runId: started.runId, state, model: trained[0] ?? null, models: trained }, () =>
    trained.length > 0
      ? trained.map(
          (m) =>
            `model ${m.id} "${m.name}": test accuracy ${describeAccuracy(m.testAccuracy, testImages(m.datasetId))}`,
        )
      : [`training run ${started.runId} ${state}`],
  );
  return state === 'completed' ? 0 : 1;
}

export const trainCommand: CliCommand = {
  name: 'train',
  usage: [
    `[--dataset ID] [--name NAME] [--arch ${trainableArchitectures.join('|')}] [--epochs N] [--batch N] [--lr X] [--optimizer sgd|momentum|adam] [--seed N] [--limit N]`,
    '               [--robust linf|l2 [--eps X] [--steps N] [--step-size X] [--warmup EPOCHS] [--no-random-start] [--trades BETA]]',
    '               [--schedule constant|step:GAMMA:E1,E2|cosine[:FLOOR]|one-cycle[:PEAK]] [--augment auto|on|off]',
    '               [--validation SIZE] [--validate-every N] [--no-validation] [--save-final]   |   --resume RUN',
    '               (defaults: the Train tab’s; robust: 7 steps of ε/3 after one epoch of ε warm-up; validation on 10%)',
  ].join('\n'),
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const resume = args.number('resume', ranges.id);
    if (resume !== undefined) {
      args.rejectUnknown();
      const started = await session.call('jobs.resumeTraining', { runId: resume });
      session.say(`training run ${started.runId} resumed`);
      return follow(session, started);
    }
    const config = trainingConfig(args, await session.dataset());
    args.rejectUnknown();
    const started = await session.call('jobs.startTraining', config);
    session.say(`training run ${started.runId} started`);
    return follow(session, started);
  },
};
