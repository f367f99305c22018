/**
 * `rfw experiment TYPE …`: runs one experiment of the program as a project run and prints its
 * figures (or, with --json, the stored run: config and result).
 */
import { attackDefaults } from '../../../common/attack-defaults';
import { ConstraintName, OptimizerName, trainableArchitectures } from '../../../common/schemas';
import type { CliCommand, CliSession } from '../cli-session';
import { ranges } from '../option-ranges';
import { experimentReport } from './experiment-report';
import { perturbationOptions } from './perturbation-options';

type ConfigBuilder = (session: CliSession) => Promise<Record<string, unknown>>;

async function colourDataset(session: CliSession, datasetId: number): Promise<boolean> {
  const datasets = await session.call('datasets.list', {});
  return datasets.find((d) => d.id === datasetId)?.imageShape[2] === 3;
}

function freshTraining(session: CliSession, colour: boolean) {
  const args = session.args;
  return {
    architecture: args.choice('arch', trainableArchitectures, colour ? 'cifar-cnn' : 'small-cnn'),
    epochs: args.number('epochs', ranges.experiment.epochs, 10),
    batchSize: args.number('batch', ranges.experiment.batchSize, 128),
    learningRate: args.number('lr', ranges.experiment.learningRate, 0.001),
    optimizer: args.choice('optimizer', OptimizerName.options, 'adam'),
  };
}

function evaluation(session: CliSession) {
  return {
    steps: session.args.number('eval-steps', ranges.experiment.evaluationSteps, 20),
    count: session.args.number('eval-count', ranges.experiment.evaluationCount, 500),
  };
}

const builders: Record<string, ConfigBuilder> = {
  async 'non-robust-features'(session) {
    const args = session.args;
    const modelId = args.number('model', ranges.id);
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
      trainLimit: args.number('limit', ranges.experiment.trainLimit) ?? null,
      attack: {
        epsilon: args.number('eps', ranges.experiment.attackEpsilon, colour ? 0.5 : 2),
        steps: args.number('steps', ranges.experiment.attackSteps, 100),
        stepSize: args.number('step-size', ranges.experiment.attackStepSize, colour ? 0.1 : 0.2),
      },
      training: freshTraining(session, colour),
      seed: args.number('seed', ranges.seed, 0),
    };
  },
  async 'robust-datasets'(session) {
    const args = session.args;
    const robustId = args.number('robust-model', ranges.id);
    const standardId = args.number('standard-model', ranges.id);
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
      trainLimit: args.number('limit', ranges.experiment.trainLimit) ?? null,
      inversion: {
        steps: args.number('steps', ranges.experiment.inversionSteps, 1000),
        stepSize: args.number('step-size', ranges.experiment.inversionStepSize, 0.1),
        start: args.choice('start', ['image', 'noise'] as const, 'image'),
      },
      training: freshTraining(session, colour),
      evaluation: {
        constraint: args.choice('constraint', ConstraintName.options, colour ? 'l2' : 'linf'),
        epsilon: args.number('eps', ranges.experiment.evaluationEpsilon, colour ? 0.25 : 0.3),
        steps: args.number('eval-steps', ranges.experiment.evaluationSteps, 20),
        count: args.number('eval-count', ranges.experiment.evaluationCount, 500),
      },
      seed: args.number('seed', ranges.seed, 0),
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
      constraint: args.choice('constraint', ConstraintName.options, 'linf'),
      epsilons: args.numbers(
        'epsilons',
        ranges.experiment.tradeoffEpsilon,
        colour ? [0, 0.0078, 0.0157, 0.0314] : [0, 0.1, 0.2, 0.3],
      ),
      trainingSteps: args.number('training-steps', ranges.experiment.trainingSteps, 7),
      training: freshTraining(session, colour),
      trainLimit: args.number('limit', ranges.experiment.trainLimit) ?? null,
      evaluation: evaluation(session),
      seed: args.number('seed', ranges.seed, 0),
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
      sizes: args.numbers('sizes', ranges.experiment.size, [500, 1000, 2000, 4000]),
      constraint: args.choice('constraint', ConstraintName.options, 'linf'),
      epsilon: args.number('eps', ranges.experiment.dataEfficiencyEpsilon, colour ? 0.0314 : 0.3),
      trainingSteps: args.number('training-steps', ranges.experiment.trainingSteps, 7),
      training: freshTraining(session, colour),
      evaluation: evaluation(session),
      seed: args.number('seed', ranges.seed, 0),
    };
  },
  'robust-gaussian'(session) {
    const args = session.args;
    return Promise.resolve({
      type: 'robust-gaussian',
      name: args.string('name', 'Robust Gaussian classification'),
      robustDirections: args.number(
        'robust-directions',
        ranges.experiment.gaussian.robustDirections,
        5,
      ),
      nonRobustDirections: args.number(
        'non-robust-directions',
        ranges.experiment.gaussian.nonRobustDirections,
        5,
      ),
      robustVariance: args.number('robust-variance', ranges.experiment.gaussian.robustVariance, 1),
      robustMean: args.number('robust-mean', ranges.experiment.gaussian.robustMean, 0.4),
      nonRobustVariance: args.number(
        'non-robust-variance',
        ranges.experiment.gaussian.nonRobustVariance,
        0.01,
      ),
      nonRobustMean: args.number('non-robust-mean', ranges.experiment.gaussian.nonRobustMean, 0.05),
      rotate: !args.flag('no-rotate'),
      epsilon: args.number('eps', ranges.experiment.gaussian.epsilon, 0.5),
      trainSamples: args.number('train-samples', ranges.experiment.gaussian.trainSamples, 5000),
      testSamples: args.number('test-samples', ranges.experiment.gaussian.testSamples, 20000),
      curveEpsilonMax: args.number('curve-max', ranges.experiment.gaussian.curveEpsilonMax, 1),
      curvePoints: args.number('curve-points', ranges.experiment.gaussian.curvePoints, 21),
      seed: args.number('seed', ranges.seed, 0),
    });
  },
  'tsipras-toy'(session) {
    const args = session.args;
    return Promise.resolve({
      type: 'tsipras-toy',
      name: args.string('name', 'Tsipras et al. toy model'),
      weakFeatures: args.number('weak-features', ranges.experiment.tsipras.weakFeatures, 100),
      robustFeatureAccuracy: args.number('p', ranges.experiment.tsipras.p, 0.9),
      weakFeatureMean: args.number('eta', ranges.experiment.tsipras.eta) ?? null,
      epsilon: args.number('eps', ranges.experiment.tsipras.epsilon) ?? null,
      samples: args.number('samples', ranges.experiment.tsipras.samples, 10000),
      curveEpsilonMax: args.number('curve-max', ranges.experiment.tsipras.curveEpsilonMax, 1.2),
      curvePoints: args.number('curve-points', ranges.experiment.tsipras.curvePoints, 25),
      seed: args.number('seed', ranges.seed, 0),
    });
  },
  async transfer(session) {
    const args = session.args;
    const dataset = await session.dataset();
    const constraint = args.choice('constraint', ConstraintName.options, attackDefaults.constraint);
    return {
      type: 'transfer',
      name: args.string('name', 'Transferability'),
      datasetId: dataset.id,
      modelIds: args.numbers('models', ranges.id) ?? [],
      count: args.number('count', ranges.experiment.transferCount, 500),
      attack: perturbationOptions(args, constraint, dataset.imageShape, {
        threatModels: attackDefaults.threatModels,
        steps: attackDefaults.steps,
        randomStart: attackDefaults.randomStart,
      }),
      seed: args.number('seed', ranges.seed, 0),
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
