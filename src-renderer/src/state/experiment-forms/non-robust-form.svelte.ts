import { experimentDefaults as d } from '@common/experiment-defaults';
import {
  legacyTargetDraw,
  type NonRobustFeaturesConfig,
  type RelabelRule,
  type TargetDraw,
} from '@common/experiment-schemas';
import type { DatasetSummary } from '@common/dataset-schemas';
import type { ModelSummary } from '@common/model-schemas';
import { atField } from '../../lib/field-issues';
import { FreshTrainingForm, numberList, parseNumberList } from './shared-forms.svelte';

/** Experiment b. The attack defaults per image kind are experimentDefaults.nonRobustFeatures. */
export class NonRobustForm {
  name = $state<string>(d.nonRobustFeatures.name);
  datasetId = $state<number | null>(null);
  sourceModelId = $state<number | null>(null);
  random = $state(d.nonRobustFeatures.variants.includes('random'));
  deterministic = $state(d.nonRobustFeatures.variants.includes('deterministic'));
  targetDraw = $state<TargetDraw>(d.nonRobustFeatures.targetDraw);
  trainLimit = $state<number | null>(null);
  epsilon = $state<number | null>(d.nonRobustFeatures.epsilon.grey);
  steps = $state<number | null>(d.nonRobustFeatures.steps);
  stepSize = $state<number | null>(d.nonRobustFeatures.stepSize.grey);
  /** Comma-separated ε of the D_det sweep; empty: none. */
  detEpsilons = $state(numberList(d.nonRobustFeatures.detEpsilons));
  seed = $state<number | null>(d.seed);
  readonly training = new FreshTrainingForm();

  /** Paper defaults for colour images, digit defaults for grey ones. */
  suitDataset(dataset: DatasetSummary | undefined): void {
    if (!dataset) return;
    const kind = dataset.imageShape[2] === 3 ? 'colour' : 'grey';
    this.epsilon = d.nonRobustFeatures.epsilon[kind];
    this.stepSize = d.nonRobustFeatures.stepSize[kind];
    this.training.suitKind(kind);
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
      targetDraw: this.targetDraw,
      trainLimit: this.trainLimit,
      attack: {
        epsilon: this.epsilon ?? Number.NaN,
        steps: this.steps ?? Number.NaN,
        stepSize: this.stepSize ?? Number.NaN,
      },
      training: this.training.toConfig(),
      detEpsilons: atField('detEpsilons', () =>
        this.detEpsilons.trim() === '' ? [] : parseNumberList(this.detEpsilons, 'D_det sweep ε'),
      ),
      seed: this.seed ?? 0,
    };
  }

  load(config: NonRobustFeaturesConfig): void {
    this.name = config.name;
    this.datasetId = config.datasetId;
    this.sourceModelId = config.sourceModelId;
    this.random = config.variants.includes('random');
    this.deterministic = config.variants.includes('deterministic');
    // A run stored before the option drew over the other classes: loading it repeats that run.
    this.targetDraw = config.targetDraw ?? legacyTargetDraw;
    this.trainLimit = config.trainLimit;
    this.epsilon = config.attack.epsilon;
    this.steps = config.attack.steps;
    this.stepSize = config.attack.stepSize;
    this.detEpsilons = numberList(config.detEpsilons ?? []);
    this.seed = config.seed;
    this.training.load(config.training);
  }
}
