/**
 * The configuration forms of the experiments, one class per experiment type. Each binds its
 * inputs directly, turns them into the contract's config (the main side validates it again and
 * names any bad field), and loads a recorded config back so a past run can be rerun or varied.
 */
import type {
  DataEfficiencyConfig,
  FreshModelTraining,
  NonRobustFeaturesConfig,
  RelabelRule,
  RobustEvaluation,
  TradeoffConfig,
  TransferConfig,
} from '@common/experiment-schemas';
import type {
  ConstraintName,
  DatasetSummary,
  ModelSummary,
  OptimizerName,
  TrainableArchitecture,
} from '@common/schemas';
import { PerturbationForm, type PerturbationDefaults } from './perturbation-form.svelte';

/** Colour (3-channel) images get the CIFAR-10 defaults of the papers, grey ones the MNIST ones. */
function isColour(dataset: DatasetSummary): boolean {
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
function numberList(values: readonly number[]): string {
  return values.join(', ');
}

/** The standard recipe for the fresh models an experiment trains. */
export class FreshTrainingForm {
  architecture = $state<TrainableArchitecture>('small-cnn');
  epochs = $state<number | null>(10);
  batchSize = $state<number | null>(128);
  learningRate = $state<number | null>(0.001);
  optimizer = $state<OptimizerName>('adam');

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

/**
 * Experiment b. The attack defaults follow the paper where it applies (CIFAR-10: L2 ε = 0.5, 100
 * steps of 0.1); for one-channel 28×28 digits a standard CNN needs a larger L2 budget to be
 * pushed to an arbitrary class, so ε = 2 with steps of 0.2 (measured on the bundled MNIST).
 */
export class NonRobustForm {
  name = $state('Non-robust features');
  datasetId = $state<number | null>(null);
  sourceModelId = $state<number | null>(null);
  random = $state(true);
  deterministic = $state(true);
  trainLimit = $state<number | null>(null);
  epsilon = $state<number | null>(2);
  steps = $state<number | null>(100);
  stepSize = $state<number | null>(0.2);
  seed = $state<number | null>(0);
  readonly training = new FreshTrainingForm();

  /** Paper defaults for colour images, digit defaults for grey ones. */
  suitDataset(dataset: DatasetSummary | undefined): void {
    if (!dataset) return;
    const colour = dataset.imageShape[2] === 3;
    this.epsilon = colour ? 0.5 : 2;
    this.stepSize = colour ? 0.1 : 0.2;
    this.training.architecture = colour ? 'cifar-cnn' : 'small-cnn';
  }

  toConfig(model: ModelSummary | undefined): NonRobustFeaturesConfig {
    if (!model) throw new Error('choose a standard model to attack: train one first');
    const variants: RelabelRule[] = [];
    if (this.random) variants.push('random');
    if (this.deterministic) variants.push('deterministic');
    return {
      type: 'non-robust-features',
      name: this.name,
      datasetId: this.datasetId ?? model.datasetId,
      sourceModelId: model.id,
      variants,
      trainLimit: this.trainLimit,
      attack: {
        epsilon: this.epsilon ?? Number.NaN,
        steps: this.steps ?? Number.NaN,
        stepSize: this.stepSize ?? Number.NaN,
      },
      training: this.training.toConfig(),
      seed: this.seed ?? 0,
    };
  }

  load(config: NonRobustFeaturesConfig): void {
    this.name = config.name;
    this.datasetId = config.datasetId;
    this.sourceModelId = config.sourceModelId;
    this.random = config.variants.includes('random');
    this.deterministic = config.variants.includes('deterministic');
    this.trainLimit = config.trainLimit;
    this.epsilon = config.attack.epsilon;
    this.steps = config.attack.steps;
    this.stepSize = config.attack.stepSize;
    this.seed = config.seed;
    this.training.load(config.training);
  }
}

/** The robust evaluation of the models an experiment trains (PGD with a random start). */
export class EvaluationForm {
  steps = $state<number | null>(20);
  count = $state<number | null>(500);

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
function normOf(constraint: ConstraintName): ExperimentConstraint | null {
  return constraint === 'unconstrained' ? null : constraint;
}

/**
 * Experiment a. Training ε lists per norm and image kind: L∞ follows the CLI (MNIST 0–0.3,
 * CIFAR-10 0–8/255, Madry et al. / Tsipras et al.); L2 uses the budgets of the robustness
 * library's pretrained models (CIFAR-10 0.25–1) and Tsipras et al.'s MNIST L2 range (up to 2).
 */
const tradeoffEpsilons: Record<ExperimentConstraint, { grey: string; colour: string }> = {
  linf: { grey: '0, 0.1, 0.2, 0.3', colour: '0, 0.0078, 0.0157, 0.0314' },
  l2: { grey: '0, 0.5, 1, 2', colour: '0, 0.25, 0.5, 1' },
};

export class TradeoffForm {
  name = $state('Robustness–accuracy trade-off');
  datasetId = $state<number | null>(null);
  constraint = $state<ConstraintName>('linf');
  /** Comma-separated training ε values, one model each. */
  epsilons = $state(tradeoffEpsilons.linf.grey);
  trainingSteps = $state<number | null>(7);
  trainLimit = $state<number | null>(null);
  seed = $state<number | null>(0);
  readonly evaluation = new EvaluationForm();
  readonly training = new FreshTrainingForm();
  #colour = $state(false);

  chooseDataset(dataset: DatasetSummary | undefined): void {
    if (!dataset) return;
    this.datasetId = dataset.id;
    this.#colour = isColour(dataset);
    this.training.architecture = this.#colour ? 'cifar-cnn' : 'small-cnn';
    this.#loadEpsilons();
  }

  /** Switching the norm loads that norm's ε list. */
  chooseConstraint(constraint: ConstraintName): void {
    this.constraint = constraint;
    this.#loadEpsilons();
  }

  #loadEpsilons(): void {
    const norm = normOf(this.constraint);
    if (norm) this.epsilons = tradeoffEpsilons[norm][this.#colour ? 'colour' : 'grey'];
  }

  toConfig(): TradeoffConfig {
    if (this.datasetId === null) throw new Error('choose a dataset: import or open one first');
    return {
      type: 'robustness-tradeoff',
      name: this.name,
      datasetId: this.datasetId,
      constraint: this.constraint,
      epsilons: parseNumberList(this.epsilons, 'training ε values'),
      trainingSteps: this.trainingSteps ?? Number.NaN,
      training: this.training.toConfig(),
      trainLimit: this.trainLimit,
      evaluation: this.evaluation.toConfig(),
      seed: this.seed ?? 0,
    };
  }

  /** `dataset`: the run's dataset, when it is still in the project (for the norm defaults). */
  load(config: TradeoffConfig, dataset: DatasetSummary | undefined): void {
    if (dataset) this.#colour = isColour(dataset);
    this.name = config.name;
    this.datasetId = config.datasetId;
    this.constraint = config.constraint;
    this.epsilons = numberList(config.epsilons);
    this.trainingSteps = config.trainingSteps;
    this.trainLimit = config.trainLimit;
    this.seed = config.seed;
    this.evaluation.load(config.evaluation);
    this.training.load(config.training);
  }
}

/** Experiment e. ε per norm and image kind, as for the trade-off (its largest value). */
const dataEfficiencyEpsilon: Record<ExperimentConstraint, { grey: number; colour: number }> = {
  linf: { grey: 0.3, colour: 0.0314 },
  l2: { grey: 2, colour: 0.5 },
};

export class DataEfficiencyForm {
  name = $state('Data efficiency');
  datasetId = $state<number | null>(null);
  /** Comma-separated training-set sizes, each trained standard and robust. */
  sizes = $state('500, 1000, 2000, 4000');
  constraint = $state<ConstraintName>('linf');
  epsilon = $state<number | null>(dataEfficiencyEpsilon.linf.grey);
  trainingSteps = $state<number | null>(7);
  seed = $state<number | null>(0);
  readonly evaluation = new EvaluationForm();
  readonly training = new FreshTrainingForm();
  #colour = $state(false);

  chooseDataset(dataset: DatasetSummary | undefined): void {
    if (!dataset) return;
    this.datasetId = dataset.id;
    this.#colour = isColour(dataset);
    this.training.architecture = this.#colour ? 'cifar-cnn' : 'small-cnn';
    this.#loadEpsilon();
  }

  chooseConstraint(constraint: ConstraintName): void {
    this.constraint = constraint;
    this.#loadEpsilon();
  }

  #loadEpsilon(): void {
    const norm = normOf(this.constraint);
    if (norm) this.epsilon = dataEfficiencyEpsilon[norm][this.#colour ? 'colour' : 'grey'];
  }

  toConfig(): DataEfficiencyConfig {
    if (this.datasetId === null) throw new Error('choose a dataset: import or open one first');
    return {
      type: 'data-efficiency',
      name: this.name,
      datasetId: this.datasetId,
      sizes: parseNumberList(this.sizes, 'training-set sizes', true),
      constraint: this.constraint,
      epsilon: this.epsilon ?? Number.NaN,
      trainingSteps: this.trainingSteps ?? Number.NaN,
      training: this.training.toConfig(),
      evaluation: this.evaluation.toConfig(),
      seed: this.seed ?? 0,
    };
  }

  load(config: DataEfficiencyConfig, dataset: DatasetSummary | undefined): void {
    if (dataset) this.#colour = isColour(dataset);
    this.name = config.name;
    this.datasetId = config.datasetId;
    this.sizes = numberList(config.sizes);
    this.constraint = config.constraint;
    this.epsilon = config.epsilon;
    this.trainingSteps = config.trainingSteps;
    this.seed = config.seed;
    this.evaluation.load(config.evaluation);
    this.training.load(config.training);
  }
}

/**
 * Experiment d. The attack defaults are the CLI's for grey images (L∞ ε = 0.3, 40 steps of 0.01;
 * L2 ε = 2, steps of 0.25); for colour images the CIFAR-10 budgets of Madry et al. (L∞ 8/255 with
 * steps of 2/255; L2 0.5 with steps of 0.1).
 */
const transferDefaults: Record<'grey' | 'colour', PerturbationDefaults> = {
  grey: { linf: { epsilon: 0.3, stepSize: 0.01 }, l2: { epsilon: 2, stepSize: 0.25 }, steps: 40 },
  colour: {
    linf: { epsilon: 0.0314, stepSize: 0.0078 },
    l2: { epsilon: 0.5, stepSize: 0.1 },
    steps: 40,
  },
};

/** How many models a transfer matrix takes (the contract's bounds). */
export const transferModelLimits = { min: 2, max: 8 } as const;

export class TransferForm {
  name = $state('Transferability');
  datasetId = $state<number | null>(null);
  count = $state<number | null>(500);
  seed = $state<number | null>(0);
  #modelIds = $state.raw<number[]>([]);
  #attack = $state.raw(new PerturbationForm(transferDefaults.grey));
  #colour = false;

  /** The chosen models, in the order they were ticked. */
  get modelIds(): readonly number[] {
    return this.#modelIds;
  }
  get attack(): PerturbationForm {
    return this.#attack;
  }

  chosen(id: number): boolean {
    return this.#modelIds.includes(id);
  }

  /** Ticks or unticks one model; ticking past the limit is ignored (the boxes are disabled). */
  toggleModel(id: number, on: boolean): void {
    if (on && !this.chosen(id) && this.#modelIds.length < transferModelLimits.max)
      this.#modelIds = [...this.#modelIds, id];
    if (!on) this.#modelIds = this.#modelIds.filter((chosen) => chosen !== id);
  }

  /** A new dataset keeps only the chosen models that fit it, and loads its image kind's attack. */
  chooseDataset(dataset: DatasetSummary | undefined, fits: (model: number) => boolean): void {
    if (!dataset) return;
    this.datasetId = dataset.id;
    this.#modelIds = this.#modelIds.filter(fits);
    this.#suit(dataset);
  }

  #suit(dataset: DatasetSummary): void {
    const colour = isColour(dataset);
    if (colour === this.#colour) return;
    this.#colour = colour;
    this.#attack = new PerturbationForm(transferDefaults[colour ? 'colour' : 'grey']);
  }

  /** `models`: the project's models now, so that a deleted one is not sent. */
  toConfig(models: readonly ModelSummary[]): TransferConfig {
    if (this.datasetId === null) throw new Error('choose a dataset: import or open one first');
    return {
      type: 'transfer',
      name: this.name,
      datasetId: this.datasetId,
      modelIds: this.#modelIds.filter((id) => models.some((model) => model.id === id)),
      count: this.count ?? Number.NaN,
      attack: this.#attack.toConfig(),
      seed: this.seed ?? 0,
    };
  }

  load(config: TransferConfig, dataset: DatasetSummary | undefined): void {
    if (dataset) this.#suit(dataset);
    this.name = config.name;
    this.datasetId = config.datasetId;
    this.#modelIds = [...config.modelIds];
    this.count = config.count;
    this.seed = config.seed;
    this.#attack.load(config.attack);
  }

  clear(): void {
    this.datasetId = null;
    this.#modelIds = [];
  }
}
