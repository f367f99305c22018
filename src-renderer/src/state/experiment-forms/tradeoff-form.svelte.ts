import { atField } from '../../lib/field-issues';
import { experimentDefaults as d } from '@common/experiment-defaults';
import type { TradeoffConfig } from '@common/experiment-schemas';
import type { DatasetSummary } from '@common/dataset-schemas';
import {
  AdversarialTrainingForm,
  numberList,
  parseNumberList,
  type ExperimentConstraint,
  type ImageKind,
} from './shared-forms.svelte';

/** Experiment a: one model per training ε (lists per norm and image kind in experimentDefaults). */

export class TradeoffForm extends AdversarialTrainingForm {
  name = $state<string>(d.tradeoff.name);
  /** Comma-separated training ε values, one model each. */
  epsilons = $state(numberList(d.tradeoff.epsilons.linf.grey));
  trainLimit = $state<number | null>(null);

  protected loadEpsilonDefaults(norm: ExperimentConstraint, kind: ImageKind): void {
    this.epsilons = numberList(d.tradeoff.epsilons[norm][kind]);
  }

  toConfig(): TradeoffConfig {
    return {
      type: 'robustness-tradeoff',
      name: this.name,
      ...this.sharedConfig(),
      epsilons: atField('epsilons', () => parseNumberList(this.epsilons, 'training ε values')),
      trainLimit: this.trainLimit,
    };
  }

  load(config: TradeoffConfig, dataset: DatasetSummary | undefined): void {
    this.loadShared(config, dataset);
    this.name = config.name;
    this.epsilons = numberList(config.epsilons);
    this.trainLimit = config.trainLimit;
  }
}
