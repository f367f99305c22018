import { atField } from '../../lib/field-issues';
import { experimentDefaults as d } from '@common/experiment-defaults';
import type { DataEfficiencyConfig } from '@common/experiment-schemas';
import type { DatasetSummary } from '@common/dataset-schemas';
import {
  AdversarialTrainingForm,
  numberList,
  parseNumberList,
  type ExperimentConstraint,
  type ImageKind,
} from './shared-forms.svelte';

/** Experiment e: ε per norm and image kind in experimentDefaults (the trade-off's largest). */

export class DataEfficiencyForm extends AdversarialTrainingForm {
  name = $state<string>(d.dataEfficiency.name);
  /** Comma-separated training-set sizes, each trained standard and robust. */
  sizes = $state(numberList(d.dataEfficiency.sizes));
  epsilon = $state<number | null>(d.dataEfficiency.epsilon.linf.grey);

  protected loadEpsilonDefaults(norm: ExperimentConstraint, kind: ImageKind): void {
    this.epsilon = d.dataEfficiency.epsilon[norm][kind];
  }

  toConfig(): DataEfficiencyConfig {
    return {
      type: 'data-efficiency',
      name: this.name,
      ...this.sharedConfig(),
      sizes: atField('sizes', () => parseNumberList(this.sizes, 'training-set sizes', true)),
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
