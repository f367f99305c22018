/**
 * `rfw train`: standard, PGD or TRADES training with a learning-rate schedule, augmentation and
 * validation; `rfw train --resume RUN` continues an interrupted run from its last checkpoint.
 */
import type { CliArguments } from '../cli-arguments';
import type { CliCommand, CliSession } from '../cli-session';
import { perturbationOptions } from './perturbation-options';

/** --schedule constant | step:0.1:30,60 | cosine[:floor] | one-cycle[:peak] */
function schedule(args: CliArguments) {
  const [kind = 'constant', first, second] = args.string('schedule', 'constant').split(':');
  switch (kind) {
    case 'step':
      return {
        kind,
        gamma: Number(first ?? 0.1),
        milestones: (second ?? '').split(',').filter(Boolean).map(Number),
      };
    case 'cosine':
      return { kind, floor: Number(first ?? 0) };
    case 'one-cycle':
      return { kind, peakFraction: Number(first ?? 0.5) };
    default:
      return { kind };
  }
}

async function follow(session: CliSession, started: { jobId: string; runId: number }) {
  const state = await session.follow(started.jobId);
  const models = await session.call('models.list', {});
  const trained = models.filter((m) => m.trainingRunId === started.runId);
  session.result({ runId: started.runId, state, model: trained[0] ?? null, models: trained }, () =>
    trained.length > 0
      ? trained.map((m) => `model ${m.id} "${m.name}": test accuracy ${percent(m.testAccuracy)}`)
      : [`training run ${started.runId} ${state}`],
  );
  return state === 'completed' ? 0 : 1;
}

export const trainCommand: CliCommand = {
  name: 'train',
  usage: [
    '[--dataset ID] [--name NAME] [--arch ARCH] [--epochs N] [--batch N] [--lr X] [--optimizer sgd|momentum|adam] [--seed N] [--limit N]',
    '               [--robust linf|l2 --eps X --steps N --step-size X [--warmup EPOCHS] [--no-random-start] [--trades BETA]]',
    '               [--schedule constant|step:GAMMA:E1,E2|cosine[:FLOOR]|one-cycle[:PEAK]] [--augment auto|on|off]',
    '               [--validation SIZE [--validate-every N]] [--save-final]   |   --resume RUN',
  ].join('\n'),
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const resume = args.number('resume');
    if (resume !== undefined) {
      args.rejectUnknown();
      const started = await session.call('jobs.resumeTraining', { runId: resume });
      session.say(`training run ${started.runId} resumed`);
      return follow(session, started);
    }
    const robust = args.string('robust');
    const architecture = args.string('arch', 'small-cnn');
    const tradesBeta = args.number('trades');
    const validationSize = args.number('validation');
    const config = {
      datasetId: await session.datasetId(),
      modelName: args.string('name', robust ? `robust ${architecture}` : architecture),
      architecture,
      epochs: args.number('epochs', 2),
      batchSize: args.number('batch', 64),
      learningRate: args.number('lr', 0.001),
      optimizer: args.string('optimizer', 'adam'),
      seed: args.number('seed', 0),
      trainLimit: args.number('limit') ?? null,
      adversarial: robust ? perturbationOptions(args, robust) : null,
      epsilonWarmupEpochs: args.number('warmup', 0),
      adversarialLoss: tradesBeta === undefined ? 'pgd' : 'trades',
      tradesBeta: tradesBeta ?? 6,
      learningRateSchedule: schedule(args),
      augmentation: args.string('augment', 'auto'),
      validation:
        validationSize === undefined
          ? null
          : { size: validationSize, everyEpochs: args.number('validate-every', 1), attack: null },
      saveFinalModel: args.flag('save-final'),
    };
    args.rejectUnknown();
    const started = await session.call('jobs.startTraining', config);
    session.say(`training run ${started.runId} started`);
    return follow(session, started);
  },
};

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(2)}%`;
}
