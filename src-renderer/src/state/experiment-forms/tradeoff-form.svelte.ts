import type { TradeoffConfig } from '@common/experiment-schemas';
import type { ConstraintName, DatasetSummary } from '@common/schemas';
import {
  EvaluationForm,
  FreshTrainingForm,
  isColour,
  normOf,
  numberList,
  parseNumberList,
  type ExperimentConstraint,
} from './shared-forms.svelte';

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
