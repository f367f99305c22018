import { experimentDefaults as d } from '@common/experiment-defaults';
import type { RobustDatasetsConfig, RepresentationVariant } from '@common/experiment-schemas';
import type { ConstraintName } from '@common/attacks/threat-models';
import type { DatasetSummary } from '@common/dataset-schemas';
import { evaluationEpsilons } from '@common/robust-datasets-curves';
import { atField } from '../../lib/field-issues';
import {
  EvaluationForm,
  FreshTrainingForm,
  isColour,
  normOf,
  numberList,
  parseNumberList,
} from './shared-forms.svelte';

/**
 * Experiment c. The inversion follows the paper (1000 normalized-L2 steps of 0.1, each from
 * another random training image); the models trained on D, D_R and D_NR are then attacked on the
 * original test set over the curve of ε of experimentDefaults.robustDatasets for the norm and
 * image kind; switching the norm loads that norm's curve.
 */

export class RobustDatasetsForm {
  name = $state<string>(d.robustDatasets.name);
  /** The robust model's dataset: the images D_R and D_NR are made from. */
  datasetId = $state<number | null>(null);
  robustModelId = $state<number | null>(null);
  standardModelId = $state<number | null>(null);
  /** Build D_R (from the robust model) and D_NR (from the standard one). */
  robust = $state(d.robustDatasets.variants.includes('robust'));
  standard = $state(d.robustDatasets.variants.includes('standard'));
  trainLimit = $state<number | null>(null);
  inversionSteps = $state<number | null>(d.robustDatasets.inversion.steps);
  inversionStepSize = $state<number | null>(d.robustDatasets.inversion.stepSize);
  start = $state<'image' | 'noise'>(d.robustDatasets.inversion.start);
  constraint = $state<ConstraintName>(d.robustDatasets.constraint.grey);
  /** Comma-separated evaluation radii: one point of each dataset's curve each. */
  epsilons = $state(numberList(d.robustDatasets.epsilons.linf.grey));
  seed = $state<number | null>(d.seed);
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
    const kind = colour ? 'colour' : 'grey';
    this.training.suitKind(kind);
    this.chooseConstraint(d.robustDatasets.constraint[kind]);
  }

  /** Switching the norm loads that norm's evaluation radii. */
  chooseConstraint(constraint: ConstraintName): void {
    this.constraint = constraint;
    const norm = normOf(constraint);
    if (norm)
      this.epsilons = numberList(d.robustDatasets.epsilons[norm][this.#colour ? 'colour' : 'grey']);
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
        epsilons: atField('evaluation.epsilons', () =>
          parseNumberList(this.epsilons, 'evaluation ε values'),
        ),
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
    // A run stored before the curve had one ε: loading it gives a one-point curve.
    this.epsilons = numberList(evaluationEpsilons(config.evaluation));
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
