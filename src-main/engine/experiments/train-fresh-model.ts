/**
 * Trains a new model from scratch inside an experiment, through the same trainModel the training
 * runs use, so an experiment's models are made exactly as a user's: a standard recipe, or PGD
 * adversarial training (Madry et al. 2018) with the step-size rule α = 2.5·ε / steps.
 */
import { TrainingConfig } from '../../common/training-schemas';
import type { ConstraintName } from '../../common/attacks/threat-models';
import type { FreshModelTraining } from '../../common/experiment-schemas';
import type { ImageSource } from '../data/image-source';
import { ProgressThrottle } from '../progress/progress-throttle';
import type { Model } from '../models/model-types';
import type { JobReporter, ModelSpec } from '../engine-types';
import { exportWeights, parameterCount } from '../models/model-weights';
import type { TrainedModelOutput } from '../protocol';
import { trainModel } from '../training/train-model';

export interface FreshModel {
  model: Model;
  /** On `test`, after the last epoch. */
  testAccuracy: number;
}

/** The inner maximization of adversarial training; null trains a standard model. */
export interface TrainingAdversary {
  constraint: ConstraintName;
  epsilon: number;
  steps: number;
}

export interface FreshModelPlan {
  recipe: FreshModelTraining;
  adversary: TrainingAdversary | null;
  /** Train on the first N images of the seeded shuffle; null: all of `train`. */
  trainLimit: number | null;
  datasetId: number;
  name: string;
  seed: number;
  numClasses: number;
}

/** Madry et al.'s rule: enough step for the iterate to cross the ball 2.5 times. */
export function madryStepSize(epsilon: number, steps: number): number {
  return (2.5 * epsilon) / steps;
}

export function trainFreshModel(
  plan: FreshModelPlan,
  train: ImageSource,
  test: ImageSource,
  reporter: JobReporter,
): FreshModel {
  const [h, w, c] = train.imageShape;
  const spec: ModelSpec = {
    architecture: plan.recipe.architecture,
    inputShape: [h, w, c],
    numClasses: plan.numClasses,
  };
  const adversary = plan.adversary;
  // parse() fills the defaults of every field a plan does not set.
  const config = TrainingConfig.parse({
    datasetId: plan.datasetId,
    modelName: plan.name,
    architecture: plan.recipe.architecture,
    epochs: plan.recipe.epochs,
    batchSize: plan.recipe.batchSize,
    learningRate: plan.recipe.learningRate,
    optimizer: plan.recipe.optimizer,
    seed: plan.seed,
    trainLimit: plan.trainLimit,
    adversarial:
      adversary === null
        ? null
        : {
            constraint: adversary.constraint,
            epsilon: adversary.epsilon,
            steps: adversary.steps,
            stepSize: madryStepSize(adversary.epsilon, adversary.steps),
            randomStart: true,
          },
  });
  return trainModel({
    config,
    spec,
    train,
    test,
    progress: new ProgressThrottle(reporter),
    metrics: (step, values) => reporter.metrics(step, values),
  });
}

/**
 * A fresh model as an experiment's output: its spec and weights under `key`, with the facts the
 * summary shows. `trainedOn` is the constructed dataset's key, or null for the original dataset.
 */
export function freshModelOutput(
  key: string,
  fresh: FreshModel,
  robust: boolean,
  trainedOn: string | null,
): TrainedModelOutput {
  return {
    key,
    spec: fresh.model.spec,
    weights: exportWeights(fresh.model),
    parameterCount: parameterCount(fresh.model.spec),
    testAccuracy: fresh.testAccuracy,
    robust,
    trainedOn,
  };
}
