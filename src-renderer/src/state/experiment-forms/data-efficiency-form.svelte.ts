import type { DataEfficiencyConfig } from '@common/experiment-schemas';
import type { DatasetSummary } from '@common/schemas';
import {
  AdversarialTrainingForm,
  numberList,
  parseNumberList,
  type ExperimentConstraint,
  type ImageKind,
} from './shared-forms.svelte';

/** Experiment e. ε per norm and image kind, as for the trade-off (its largest value). */
const dataEfficiencyEpsilon: Record<ExperimentConstraint, Record<ImageKind, number>> = {
  linf: { grey: 0.3, colour: 0.0314 },
  l2: { grey: 2, colour: 0.5 },
};

export class DataEfficiencyForm extends AdversarialTrainingForm {
  name = $state('Data efficiency');
  /** Comma-separated training-set sizes, each trained standard and robust. */
  sizes = $state('500, 1000, 2000, 4000');
  epsilon = $state<number | null>(dataEfficiencyEpsilon.linf.grey);

  protected loadEpsilonDefaults(norm: ExperimentConstraint, kind: ImageKind): void {
    this.epsilon = dataEfficiencyEpsilon[norm][kind];
  }

  toConfig(): DataEfficiencyConfig {
    return {
      type: 'data-efficiency',
      name: this.name,
      ...this.sharedConfig(),
      sizes: parseNumberList(this.sizes, 'training-set sizes', true),
      epsilon: this.epsilon ?? Number.NaN,
    };
  }

  load(config: DataEfficiencyConfig, dataset: DatasetSummary | undefined): void {
    this.loadShared(config, dataset);
    this.name = config.name;
    this.sizes = numberList(config.sizes);
    this.epsilon = config.epsilon;
  }
}
