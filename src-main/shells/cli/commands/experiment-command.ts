/**
 * `rfw experiment TYPE …`: runs one experiment of the program as a project run and prints its
 * figures (or, with --json, the stored run: config and result).
 */
import type { CliCommand, CliSession } from '../cli-session';
import { experimentReport } from './experiment-report';
import { perturbationOptions } from './perturbation-options';

type ConfigBuilder = (session: CliSession) => Promise<Record<string, unknown>>;

function numbers(text: string): number[] {
  return text.split(',').map((part) => Number(part.trim()));
}

async function colourDataset(session: CliSession, datasetId: number): Promise<boolean> {
  const datasets = await session.call('datasets.list', {});
  return datasets.find((d) => d.id === datasetId)?.imageShape[2] === 3;
}

function freshTraining(session: CliSession, colour: boolean) {
  const args = session.args;
  return {
    architecture: args.string('arch', colour ? 'cifar-cnn' : 'small-cnn'),
    epochs: args.number('epochs', 10),
    batchSize: args.number('batch', 128),
    learningRate: args.number('lr', 0.001),
    optimizer: args.string('optimizer', 'adam'),
  };
}

function evaluation(session: CliSession) {
  return {
    steps: session.args.number('eval-steps', 20),
    count: session.args.number('eval-count', 500),
  };
}

const builders: Record<string, ConfigBuilder> = {
  async 'non-robust-features'(session) {
    const args = session.args;
    const modelId = args.number('model');
    if (modelId === undefined) throw new Error('--model ID (a standard model) is required');
    const model = (await session.call('models.list', {})).find((m) => m.id === modelId);
    if (!model) throw new Error(`there is no model ${modelId} in this project`);
    const colour = await colourDataset(session, model.datasetId);
    return {
      type: 'non-robust-features',
      name: args.string('name', 'Non-robust features'),
      datasetId: model.datasetId,
      sourceModelId: model.id,
      variants: args.string('variants', 'random,deterministic').split(','),
      trainLimit: args.number('limit') ?? null,
      attack: {
        epsilon: args.number('eps', colour ? 0.5 : 2),
        steps: args.number('steps', 100),
        stepSize: args.number('step-size', colour ? 0.1 : 0.2),
      },
      training: freshTraining(session, colour),
      seed: args.number('seed', 0),
    };
  },
  async 'robust-datasets'(session) {
    const args = session.args;
    const robustId = args.number('robust-model');
    const standardId = args.number('standard-model');
    if (robustId === undefined || standardId === undefined)
      throw new Error('--robust-model ID and --standard-model ID are required');
    const robust = (await session.call('models.list', {})).find((m) => m.id === robustId);
    if (!robust) throw new Error(`there is no model ${robustId} in this project`);
    const colour = await colourDataset(session, robust.datasetId);
    return {
      type: 'robust-datasets',
      name: args.string('name', 'Robust and non-robust datasets'),
      datasetId: robust.datasetId,
      robustModelId: robustId,
      standardModelId: standardId,
      variants: args.string('variants', 'robust,standard').split(','),
      trainLimit: args.number('limit') ?? null,
      inversion: {
        steps: args.number('steps', 1000),
        stepSize: args.number('step-size', 0.1),
        start: args.string('start', 'image'),
      },
      training: freshTraining(session, colour),
      evaluation: {
        constraint: args.string('constraint', colour ? 'l2' : 'linf'),
        epsilon: args.number('eps', colour ? 0.25 : 0.3),
        steps: args.number('eval-steps', 20),
        count: args.number('eval-count', 500),
      },
      seed: args.number('seed', 0),
    };
  },
  async 'robustness-tradeoff'(session) {
    const args = session.args;
    const datasetId = await session.datasetId();
    const colour = await colourDataset(session, datasetId);
    return {
      type: 'robustness-tradeoff',
      name: args.string('name', 'Robustness–accuracy trade-off'),
      datasetId,
      constraint: args.string('constraint', 'linf'),
      epsilons: numbers(
        args.string('epsilons', colour ? '0,0.0078,0.0157,0.0314' : '0,0.1,0.2,0.3'),
      ),
      trainingSteps: args.number('training-steps', 7),
      training: freshTraining(session, colour),
      trainLimit: args.number('limit') ?? null,
      evaluation: evaluation(session),
      seed: args.number('seed', 0),
    };
  },
  async 'data-efficiency'(session) {
    const args = session.args;
    const datasetId = await session.datasetId();
    const colour = await colourDataset(session, datasetId);
    return {
      type: 'data-efficiency',
      name: args.string('name', 'Data efficiency'),
      datasetId,
      sizes: numbers(args.string('sizes', '500,1000,2000,4000')),
      constraint: args.string('constraint', 'linf'),
      epsilon: args.number('eps', colour ? 0.0314 : 0.3),
      trainingSteps: args.number('training-steps', 7),
      training: freshTraining(session, colour),
      evaluation: evaluation(session),
      seed: args.number('seed', 0),
    };
  },
  'robust-gaussian'(session) {
    const args = session.args;
    return Promise.resolve({
      type: 'robust-gaussian',
      name: args.string('name', 'Robust Gaussian classification'),
      robustDirections: args.number('robust-directions', 5),
      nonRobustDirections: args.number('non-robust-directions', 5),
      robustVariance: args.number('robust-variance', 1),
      robustMean: args.number('robust-mean', 0.4),
      nonRobustVariance: args.number('non-robust-variance', 0.01),
      nonRobustMean: args.number('non-robust-mean', 0.05),
      rotate: !args.flag('no-rotate'),
      epsilon: args.number('eps', 0.5),
      trainSamples: args.number('train-samples', 5000),
      testSamples: args.number('test-samples', 20000),
      curveEpsilonMax: args.number('curve-max', 1),
      curvePoints: args.number('curve-points', 21),
      seed: args.number('seed', 0),
    });
  },
  'tsipras-toy'(session) {
    const args = session.args;
    return Promise.resolve({
      type: 'tsipras-toy',
      name: args.string('name', 'Tsipras et al. toy model'),
      weakFeatures: args.number('weak-features', 100),
      robustFeatureAccuracy: args.number('p', 0.9),
      weakFeatureMean: args.number('eta') ?? null,
      epsilon: args.number('eps') ?? null,
      samples: args.number('samples', 10000),
      curveEpsilonMax: args.number('curve-max', 1.2),
      curvePoints: args.number('curve-points', 25),
      seed: args.number('seed', 0),
    });
  },
  async transfer(session) {
    const args = session.args;
    return {
      type: 'transfer',
      name: args.string('name', 'Transferability'),
      datasetId: await session.datasetId(),
      modelIds: numbers(args.string('models', '')),
      count: args.number('count', 500),
      attack: perturbationOptions(args, args.string('constraint', 'linf')),
      seed: args.number('seed', 0),
    };
  },
};

export const experimentCommand: CliCommand = {
  name: 'experiment',
  usage: [
    'non-robust-features --model ID [--variants random,deterministic] [--limit N] [--eps X] [--steps N] [--step-size X] TRAINING',
    '               robust-datasets --robust-model ID --standard-model ID [--variants robust,standard] [--limit N] [--steps N] [--step-size X] [--start image|noise] [--constraint linf|l2] [--eps X] EVALUATION TRAINING',
    '               robustness-tradeoff [--dataset ID] [--constraint linf|l2] [--epsilons 0,0.1,0.2,0.3] [--training-steps N] [--limit N] EVALUATION TRAINING',
    '               data-efficiency [--dataset ID] [--sizes 500,1000,2000] [--constraint linf|l2] [--eps X] [--training-steps N] EVALUATION TRAINING',
    '               transfer --models 1,2,3 [--dataset ID] [--count N] [--constraint linf|l2] [--eps X] [--steps N] [--step-size X] [--no-random-start]',
    '               robust-gaussian [--robust-directions K] [--non-robust-directions M] [--robust-variance X] [--robust-mean X] [--non-robust-variance X] [--non-robust-mean X] [--eps X] [--no-rotate] [--train-samples N] [--test-samples N]',
    '               tsipras-toy [--weak-features D] [--p P] [--eta X] [--eps X] [--samples N]',
    '               (all: [--name NAME] [--seed N]; TRAINING: [--arch ARCH] [--epochs N] [--batch N] [--lr X] [--optimizer O]; EVALUATION: [--eval-steps N] [--eval-count N])',
  ].join('\n'),
  opensProject: true,
  needsProject: true,
  async run(session) {
    const type = session.words[0] ?? '';
    const build = builders[type];
    if (!build)
      throw new Error(`name the experiment: rfw experiment ${Object.keys(builders).join('|')} …`);
    const config = await build(session);
    session.args.rejectUnknown();
    const started = await session.call('jobs.startExperiment', config);
    session.say(`experiment run ${started.runId} started`);
    const state = await session.follow(started.jobId);
    if (state !== 'completed') return 1;
    const run = await session.call('runs.experimentResult', { runId: started.runId });
    session.result(run, () => experimentReport(run.result));
    return 0;
  },
};
