import type { RobustDatasetsConfig, RepresentationVariant } from '@common/experiment-schemas';
import type { ConstraintName, DatasetSummary } from '@common/schemas';
import {
  EvaluationForm,
  FreshTrainingForm,
  isColour,
  normOf,
  type ExperimentConstraint,
} from './shared-forms.svelte';

/**
 * Experiment c. The inversion follows the paper (1000 normalized-L2 steps of 0.1, each from
 * another random training image); the models trained on D, D_R and D_NR are then attacked on the
 * original test set. The evaluation defaults are the CLI's: CIFAR-10 L2 ε = 0.25 (the paper's
 * Figure 2), MNIST L∞ ε = 0.3 (Madry et al.); switching the norm loads the budgets the other
 * experiments use for it (L∞ 8/255 on colour images, L2 2 on digits).
 */
const evaluationEpsilon: Record<ExperimentConstraint, { grey: number; colour: number }> = {
  linf: { grey: 0.3, colour: 0.0314 },
  l2: { grey: 2, colour: 0.25 },
};

export class RobustDatasetsForm {
  name = $state('Robust and non-robust datasets');
  /** The robust model's dataset: the images D_R and D_NR are made from. */
  datasetId = $state<number | null>(null);
  robustModelId = $state<number | null>(null);
  standardModelId = $state<number | null>(null);
  /** Build D_R (from the robust model) and D_NR (from the standard one). */
  robust = $state(true);
  standard = $state(true);
  trainLimit = $state<number | null>(null);
  inversionSteps = $state<number | null>(1000);
  inversionStepSize = $state<number | null>(0.1);
  start = $state<'image' | 'noise'>('image');
  constraint = $state<ConstraintName>('linf');
  epsilon = $state<number | null>(evaluationEpsilon.linf.grey);
  seed = $state<number | null>(0);
  readonly evaluation = new EvaluationForm();
  readonly training = new FreshTrainingForm();
  #colour = $state(false);

  /** The robust model fixes the dataset; a new image kind loads its defaults. */
  chooseRobustModel(id: number, datasetId: number, dataset: DatasetSummary | undefined): void {
    this.robustModelId = id;
    this.datasetId = datasetId;
    if (!dataset) return;
    const colour = isColour(dataset);
    // The initial fields hold the grey defaults; only a change of image kind reloads them.
    if (colour === this.#colour) return;
    this.#colour = colour;
    this.training.architecture = colour ? 'cifar-cnn' : 'small-cnn';
    this.chooseConstraint(colour ? 'l2' : 'linf');
  }

  /** Switching the norm loads that norm's evaluation ε. */
  chooseConstraint(constraint: ConstraintName): void {
    this.constraint = constraint;
    const norm = normOf(constraint);
    if (norm) this.epsilon = evaluationEpsilon[norm][this.#colour ? 'colour' : 'grey'];
  }

  toConfig(): RobustDatasetsConfig {
    if (this.robustModelId === null || this.datasetId === null)
      throw new Error('choose a robust model: train one with PGD adversarial training first');
    if (this.standardModelId === null)
      throw new Error('choose a standard model trained on the same kind of images');
    const variants: RepresentationVariant[] = [];
    if (this.robust) variants.push('robust');
    if (this.standard) variants.push('standard');
    return {
      type: 'robust-datasets',
      name: this.name,
      datasetId: this.datasetId,
      robustModelId: this.robustModelId,
      standardModelId: this.standardModelId,
      variants,
      trainLimit: this.trainLimit,
      inversion: {
        steps: this.inversionSteps ?? Number.NaN,
        stepSize: this.inversionStepSize ?? Number.NaN,
        start: this.start,
      },
      training: this.training.toConfig(),
      evaluation: {
        constraint: this.constraint,
        epsilon: this.epsilon ?? Number.NaN,
        steps: this.evaluation.steps ?? Number.NaN,
        count: this.evaluation.count ?? Number.NaN,
      },
      seed: this.seed ?? 0,
    };
  }

  load(config: RobustDatasetsConfig, dataset: DatasetSummary | undefined): void {
    if (dataset) this.#colour = isColour(dataset);
    this.name = config.name;
    this.datasetId = config.datasetId;
    this.robustModelId = config.robustModelId;
    this.standardModelId = config.standardModelId;
    this.robust = config.variants.includes('robust');
    this.standard = config.variants.includes('standard');
    this.trainLimit = config.trainLimit;
    this.inversionSteps = config.inversion.steps;
    this.inversionStepSize = config.inversion.stepSize;
    this.start = config.inversion.start;
    this.constraint = config.evaluation.constraint;
    this.epsilon = config.evaluation.epsilon;
    this.seed = config.seed;
    this.evaluation.load(config.evaluation);
    this.training.load(config.training);
  }

  clear(): void {
    this.datasetId = null;
    this.robustModelId = null;
    this.standardModelId = null;
  }
}
