import type { DataEfficiencyConfig } from '@common/experiment-schemas';
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
