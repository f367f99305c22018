/**
 * `rfw experiment TYPE …`: runs one experiment of the program as a project run and prints its
 * figures (or, with --json, the stored run: config and result).
 */
import { attackDefaults } from '../../../common/attack-defaults';
import { experimentDefaults as d, imageKind } from '../../../common/experiment-defaults';
import { ConstraintName } from '../../../common/attacks/threat-models';
import { TargetDraw } from '../../../common/experiment-schemas';
import { OptimizerName } from '../../../common/training-schemas';
import { trainableArchitectures } from '../../../common/model-schemas';
import type { CliCommand, CliSession } from '../cli-session';
import { ranges } from '../option-ranges';
import { experimentReport } from './experiment-report';
import { perturbationOptions } from './perturbation-options';

/** What building a config needs of the session: the options and the project's lookups. */
export type ExperimentSession = Pick<CliSession, 'args' | 'call' | 'dataset' | 'datasetId'>;

type ConfigBuilder = (session: ExperimentSession) => Promise<Record<string, unknown>>;

async function colourDataset(session: ExperimentSession, datasetId: number): Promise<boolean> {
  const datasets = await session.call('datasets.list', {});
  return datasets.find((d) => d.id === datasetId)?.imageShape[2] === 3;
}

function freshTraining(session: ExperimentSession, colour: boolean) {
  const args = session.args;
  const recipe = d.freshTraining;
  return {
    architecture: args.choice(
      'arch',
      trainableArchitectures,
      recipe.architecture[imageKind(colour)],
    ),
    epochs: args.number('epochs', ranges.experiment.epochs, recipe.epochs),
    batchSize: args.number('batch', ranges.experiment.batchSize, recipe.batchSize),
    learningRate: args.number('lr', ranges.experiment.learningRate, recipe.learningRate),
    optimizer: args.choice('optimizer', OptimizerName.options, recipe.optimizer),
  };
}

function evaluation(session: ExperimentSession) {
  return {
    steps: session.args.number('eval-steps', ranges.experiment.evaluationSteps, d.evaluation.steps),
    count: session.args.number('eval-count', ranges.experiment.evaluationCount, d.evaluation.count),
  };
}

/** --constraint among the norms an experiment offers, defaulting to `fallback`. */
function norm(session: ExperimentSession, fallback: 'linf' | 'l2'): 'linf' | 'l2' {
  return session.args.choice('constraint', ['linf', 'l2'] as const, fallback);
}

const builders: Record<string, ConfigBuilder> = {
  async 'non-robust-features'(session) {
    const args = session.args;
    const modelId = args.number('model', ranges.id);
    if (modelId === undefined) throw new Error('--model ID (a standard model) is required');
    const model = (await session.call('models.list', {})).find((m) => m.id === modelId);
    if (!model) throw new Error(`there is no model ${modelId} in this project`);
    const colour = await colourDataset(session, model.datasetId);
    const kind = imageKind(colour);
    const own = d.nonRobustFeatures;
    return {
      type: 'non-robust-features',
      name: args.string('name', own.name),
      datasetId: model.datasetId,
      sourceModelId: model.id,
      variants: args.string('variants', own.variants.join(',')).split(','),
      targetDraw: args.choice('target-draw', TargetDraw.options, own.targetDraw),
      trainLimit: args.number('limit', ranges.experiment.trainLimit) ?? null,
      attack: {
        epsilon: args.number('eps', ranges.experiment.attackEpsilon, own.epsilon[kind]),
        steps: args.number('steps', ranges.experiment.attackSteps, own.steps),
        stepSize: args.number('step-size', ranges.experiment.attackStepSize, own.stepSize[kind]),
      },
      training: freshTraining(session, colour),
      detEpsilons: args.numbers('det-epsilons', ranges.experiment.attackEpsilon, own.detEpsilons),
      seed: args.number('seed', ranges.seed, d.seed),
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
    const kind = imageKind(colour);
    const own = d.robustDatasets;
    const constraint = norm(session, own.constraint[kind]);
    return {
      type: 'robust-datasets',
      name: args.string('name', own.name),
      datasetId: robust.datasetId,
      robustModelId: robustId,
      standardModelId: standardId,
      variants: args.string('variants', own.variants.join(',')).split(','),
      trainLimit: args.number('limit', ranges.experiment.trainLimit) ?? null,
      inversion: {
        steps: args.number('steps', ranges.experiment.inversionSteps, own.inversion.steps),
        stepSize: args.number(
          'step-size',
          ranges.experiment.inversionStepSize,
          own.inversion.stepSize,
        ),
        start: args.choice('start', ['image', 'noise'] as const, own.inversion.start),
      },
      training: freshTraining(session, colour),
      evaluation: {
        constraint,
        epsilons: args.numbers('epsilons', ranges.experiment.evaluationEpsilon, [
          ...own.epsilons[constraint][kind],
        ]),
        ...evaluation(session),
      },
      seed: args.number('seed', ranges.seed, d.seed),
    };
  },
  async 'robustness-tradeoff'(session) {
    const args = session.args;
    const datasetId = await session.datasetId();
    const colour = await colourDataset(session, datasetId);
    const own = d.tradeoff;
    const constraint = norm(session, own.constraint);
    return {
      type: 'robustness-tradeoff',
      name: args.string('name', own.name),
      datasetId,
      constraint,
      epsilons: args.numbers('epsilons', ranges.experiment.tradeoffEpsilon, [
        ...own.epsilons[constraint][imageKind(colour)],
      ]),
      trainingSteps: args.number(
        'training-steps',
        ranges.experiment.trainingSteps,
        d.adversarialTrainingSteps,
      ),
      training: freshTraining(session, colour),
      trainLimit: args.number('limit', ranges.experiment.trainLimit) ?? null,
      evaluation: evaluation(session),
      seed: args.number('seed', ranges.seed, d.seed),
    };
  },
  async 'data-efficiency'(session) {
    const args = session.args;
    const datasetId = await session.datasetId();
    const colour = await colourDataset(session, datasetId);
    const own = d.dataEfficiency;
    const constraint = norm(session, own.constraint);
    return {
      type: 'data-efficiency',
      name: args.string('name', own.name),
      datasetId,
      sizes: args.numbers('sizes', ranges.experiment.size, [...own.sizes]),
      constraint,
      epsilon: args.number(
        'eps',
        ranges.experiment.dataEfficiencyEpsilon,
        own.epsilon[constraint][imageKind(colour)],
      ),
      trainingSteps: args.number(
        'training-steps',
        ranges.experiment.trainingSteps,
        d.adversarialTrainingSteps,
      ),
      training: freshTraining(session, colour),
      evaluation: evaluation(session),
      seed: args.number('seed', ranges.seed, d.seed),
    };
  },
  'robust-gaussian'(session) {
    const args = session.args;
    const own = d.robustGaussian;
    const gaussian = ranges.experiment.gaussian;
    return Promise.resolve({
      type: 'robust-gaussian',
      name: args.string('name', own.name),
      robustDirections: args.number(
        'robust-directions',
        gaussian.robustDirections,
        own.robustDirections,
      ),
      nonRobustDirections: args.number(
        'non-robust-directions',
        gaussian.nonRobustDirections,
        own.nonRobustDirections,
      ),
      robustVariance: args.number('robust-variance', gaussian.robustVariance, own.robustVariance),
      robustMean: args.number('robust-mean', gaussian.robustMean, own.robustMean),
      nonRobustVariance: args.number(
        'non-robust-variance',
        gaussian.nonRobustVariance,
        own.nonRobustVariance,
      ),
      nonRobustMean: args.number('non-robust-mean', gaussian.nonRobustMean, own.nonRobustMean),
      rotate: args.flag('no-rotate') ? false : own.rotate,
      epsilon: args.number('eps', gaussian.epsilon, own.epsilon),
      trainSamples: args.number('train-samples', gaussian.trainSamples, own.trainSamples),
      testSamples: args.number('test-samples', gaussian.testSamples, own.testSamples),
      curveEpsilonMax: args.number('curve-max', gaussian.curveEpsilonMax, own.curveEpsilonMax),
      curvePoints: args.number('curve-points', gaussian.curvePoints, own.curvePoints),
      seed: args.number('seed', ranges.seed, d.seed),
    });
  },
  'tsipras-toy'(session) {
    const args = session.args;
    const own = d.tsipras;
    const toy = ranges.experiment.tsipras;
    return Promise.resolve({
      type: 'tsipras-toy',
      name: args.string('name', own.name),
      weakFeatures: args.number('weak-features', toy.weakFeatures, own.weakFeatures),
      robustFeatureAccuracy: args.number('p', toy.p, own.robustFeatureAccuracy),
      weakFeatureMean: args.number('eta', toy.eta) ?? own.weakFeatureMean,
      epsilon: args.number('eps', toy.epsilon) ?? own.epsilon,
      samples: args.number('samples', toy.samples, own.samples),
      curveEpsilonMax: args.number('curve-max', toy.curveEpsilonMax, own.curveEpsilonMax),
      curvePoints: args.number('curve-points', toy.curvePoints, own.curvePoints),
      seed: args.number('seed', ranges.seed, d.seed),
    });
  },
  async transfer(session) {
    const args = session.args;
    const modelIds = args.numbers('models', ranges.id) ?? [];
    // Without --dataset, the first model's dataset (a project's first dataset may be another
    // one of the same image size, which the models would be attacked on without a word).
    const first = (await session.call('models.list', {})).find((m) => m.id === modelIds[0]);
    const dataset = await session.dataset(first?.datasetId);
    const constraint = args.choice('constraint', ConstraintName.options, attackDefaults.constraint);
    return {
      type: 'transfer',
      name: args.string('name', d.transfer.name),
      datasetId: dataset.id,
      modelIds,
      count: args.number('count', ranges.experiment.transferCount, d.transfer.count),
      attack: perturbationOptions(args, constraint, dataset.imageShape, {
        threatModels: d.transfer.threatModels[imageKind(dataset.imageShape[2] === 3)],
        steps: d.transfer.steps,
        randomStart: d.transfer.randomStart,
      }),
      seed: args.number('seed', ranges.seed, d.seed),
    };
  },
};

/** The config `rfw experiment TYPE` sends, from the options (defaults: experimentDefaults). */
export function experimentConfig(
  type: string,
  session: ExperimentSession,
): Promise<Record<string, unknown>> {
  const build = builders[type];
  if (!build)
    throw new Error(`name the experiment: rfw experiment ${Object.keys(builders).join('|')} …`);
  return build(session);
}

export const experimentCommand: CliCommand = {
  name: 'experiment',
  usage: [
    'non-robust-features --model ID [--variants random,deterministic] [--target-draw uniform|other-classes] [--limit N] [--eps X] [--steps N] [--step-size X] [--det-epsilons 2,3,4.5] TRAINING',
    '               robust-datasets --robust-model ID --standard-model ID [--variants robust,standard] [--limit N] [--steps N] [--step-size X] [--start image|noise] [--constraint linf|l2] [--epsilons 0,0.05,0.1,0.2,0.3] EVALUATION TRAINING',
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
    const config = await experimentConfig(session.words[0] ?? '', session);
    session.args.rejectUnknown();
    const started = await session.call('jobs.startExperiment', config);
    const state = await session.followRun(started, 'experiment');
    if (state !== 'completed') return 1;
    const run = await session.call('runs.experimentResult', { runId: started.runId });
    session.result(run, () => experimentReport(run.result, run.config));
    return 0;
  },
};
