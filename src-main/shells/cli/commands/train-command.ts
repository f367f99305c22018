import type { CliCommand } from '../cli-session';
import { perturbationOptions } from './perturbation-options';

export const trainCommand: CliCommand = {
  name: 'train',
  usage:
    '[--dataset ID] [--name NAME] [--arch ARCH] [--epochs N] [--batch N] [--lr X] [--optimizer sgd|momentum|adam] [--seed N] [--limit N] [--robust linf|l2 --eps X --steps N --step-size X [--warmup EPOCHS] [--no-random-start]]',
  opensProject: true,
  needsProject: true,
  async run(session) {
    const args = session.args;
    const robust = args.string('robust');
    const architecture = args.string('arch', 'small-cnn');
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
    };
    args.rejectUnknown();
    const started = await session.call('jobs.startTraining', config);
    session.say(`training run ${started.runId} started`);
    const state = await session.follow(started.jobId);
    const models = await session.call('models.list', {});
    const model = models.find((m) => m.trainingRunId === started.runId) ?? null;
    session.result({ runId: started.runId, state, model }, () =>
      model
        ? [`model ${model.id} "${model.name}": test accuracy ${percent(model.testAccuracy)}`]
        : [`training run ${started.runId} ${state}`],
    );
    return state === 'completed' ? 0 : 1;
  },
};

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(2)}%`;
}
