/**
 * What the experiment forms share: the image-kind test, number lists as typed, the fresh-model
 * recipe, the robust evaluation, the ε-ball norms the forms offer and the adversarial-training
 * fields. Each form binds its inputs directly, turns them into the contract's config (the main side
 * validates it again and names any bad field), and loads a recorded config back so a past run can
 * be rerun or varied.
 */
import { experimentDefaults as d, type ImageKind } from '@common/experiment-defaults';
import type { FreshModelTraining, RobustEvaluation } from '@common/experiment-schemas';
import type { ConstraintName } from '@common/attacks/threat-models';
import type { DatasetSummary } from '@common/dataset-schemas';
import type { OptimizerName } from '@common/training-schemas';
import type { TrainableArchitecture } from '@common/model-schemas';

/** Colour (3-channel) images get the CIFAR-10 defaults of the papers, grey ones the MNIST ones. */
export function isColour(dataset: DatasetSummary): boolean {
  return dataset.imageShape[2] === 3;
}

/**
 * A comma-separated list of numbers, as typed: "0, 0.1, 0.2". Each token must be a finite number
 * (and a whole one when `whole`); the error names the field and the token so the user can find it.
 */
export function parseNumberList(text: string, field: string, whole = false): number[] {
  const tokens = text.split(',').map((token) => token.trim());
  if (tokens.length === 1 && tokens[0] === '') throw new Error(`${field}: give at least one value`);
  return tokens.map((token, i) => {
    if (token === '') throw new Error(`${field}: value ${i + 1} is empty (two commas in a row?)`);
    const value = Number(token);
    if (!Number.isFinite(value)) throw new Error(`${field}: "${token}" is not a number`);
    if (whole && !Number.isInteger(value))
      throw new Error(`${field}: "${token}" is not a whole number`);
    return value;
  });
}

/** Writes a list back the way parseNumberList reads it. */
export function numberList(values: readonly number[]): string {
  return values.join(', ');
}

/** The standard recipe for the fresh models an experiment trains. */
export class FreshTrainingForm {
  architecture = $state<TrainableArchitecture>(d.freshTraining.architecture.grey);
  epochs = $state<number | null>(d.freshTraining.epochs);
  batchSize = $state<number | null>(d.freshTraining.batchSize);
  learningRate = $state<number | null>(d.freshTraining.learningRate);
  optimizer = $state<OptimizerName>(d.freshTraining.optimizer);

  /** The architecture the papers use for this kind of image. */
  suitKind(kind: ImageKind): void {
    this.architecture = d.freshTraining.architecture[kind];
  }

  toConfig(): FreshModelTraining {
    return {
      architecture: this.architecture,
      epochs: this.epochs ?? Number.NaN,
      batchSize: this.batchSize ?? Number.NaN,
      learningRate: this.learningRate ?? Number.NaN,
      optimizer: this.optimizer,
    };
  }

  load(recipe: FreshModelTraining): void {
    this.architecture = recipe.architecture;
    this.epochs = recipe.epochs;
    this.batchSize = recipe.batchSize;
    this.learningRate = recipe.learningRate;
    this.optimizer = recipe.optimizer;
  }
}

/** The robust evaluation of the models an experiment trains (PGD with a random start). */
export class EvaluationForm {
  steps = $state<number | null>(d.evaluation.steps);
  count = $state<number | null>(d.evaluation.count);

  toConfig(): RobustEvaluation {
    return { steps: this.steps ?? Number.NaN, count: this.count ?? Number.NaN };
  }

  load(evaluation: RobustEvaluation): void {
    this.steps = evaluation.steps;
    this.count = evaluation.count;
  }
}

/**
 * The norms the forms offer: without an ε-ball there is nothing to trade off. A recorded run made
 * with 'unconstrained' (the CLI allows it) still loads as it was.
 */
export type ExperimentConstraint = Exclude<ConstraintName, 'unconstrained'>;

/** The ε-ball norm whose defaults apply: 'unconstrained' keeps whatever the fields hold. */
export function normOf(constraint: ConstraintName): ExperimentConstraint | null {
  return constraint === 'unconstrained' ? null : constraint;
}

/** Which paper defaults apply to a dataset: the MNIST ones (grey) or the CIFAR-10 ones (colour). */
export type { ImageKind };

/** The part of a config that an AdversarialTrainingForm fills in. */
export interface AdversarialTrainingFields {
  datasetId: number;
  constraint: ConstraintName;
  trainingSteps: number;
  training: FreshModelTraining;
  evaluation: RobustEvaluation;
  seed: number;
}

/**
 * The fields of the experiments that train fresh models with PGD adversarial training and
 * evaluate them (the trade-off, data efficiency): dataset, norm, training steps, seed, the recipe
 * and the evaluation. Choosing a dataset or a norm loads that norm's ε defaults for the image
 * kind, which each experiment keeps in its own field(s): `loadEpsilonDefaults`.
 */
export abstract class AdversarialTrainingForm {
  datasetId = $state<number | null>(null);
  constraint = $state<ConstraintName>(d.tradeoff.constraint);
  trainingSteps = $state<number | null>(d.adversarialTrainingSteps);
  seed = $state<number | null>(d.seed);
  readonly evaluation = new EvaluationForm();
  readonly training = new FreshTrainingForm();
  #colour = $state(false);

  protected abstract loadEpsilonDefaults(norm: ExperimentConstraint, kind: ImageKind): void;

  chooseDataset(dataset: DatasetSummary | undefined): void {
    if (!dataset) return;
    this.datasetId = dataset.id;
    this.#colour = isColour(dataset);
    this.training.suitKind(this.#colour ? 'colour' : 'grey');
    this.#loadEpsilon();
  }

  /** Switching the norm loads that norm's ε defaults. */
  chooseConstraint(constraint: ConstraintName): void {
    this.constraint = constraint;
    this.#loadEpsilon();
  }

  #loadEpsilon(): void {
    const norm = normOf(this.constraint);
    if (norm) this.loadEpsilonDefaults(norm, this.#colour ? 'colour' : 'grey');
  }

  /** The shared part of the config; empty number fields go out as NaN for the main side to name. */
  protected sharedConfig(): AdversarialTrainingFields {
    if (this.datasetId === null) throw new Error('choose a dataset: import or open one first');
    return {
      datasetId: this.datasetId,
      constraint: this.constraint,
      trainingSteps: this.trainingSteps ?? Number.NaN,
      training: this.training.toConfig(),
      evaluation: this.evaluation.toConfig(),
      seed: this.seed ?? 0,
    };
  }

  /** `dataset`: the run's dataset, when it is still in the project (for the norm defaults). */
  protected loadShared(
    config: AdversarialTrainingFields,
    dataset: DatasetSummary | undefined,
  ): void {
    if (dataset) this.#colour = isColour(dataset);
    this.datasetId = config.datasetId;
    this.constraint = config.constraint;
    this.trainingSteps = config.trainingSteps;
    this.seed = config.seed;
    this.evaluation.load(config.evaluation);
    this.training.load(config.training);
  }
}
