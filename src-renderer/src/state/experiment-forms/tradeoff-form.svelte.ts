import type { TradeoffConfig } from '@common/experiment-schemas';
import type { DatasetSummary } from '@common/schemas';
import {
  AdversarialTrainingForm,
  numberList,
  parseNumberList,
  type ExperimentConstraint,
  type ImageKind,
} from './shared-forms.svelte';

/**
 * Experiment a. Training ε lists per norm and image kind: L∞ follows the CLI (MNIST 0–0.3,
 * CIFAR-10 0–8/255, Madry et al. / Tsipras et al.); L2 uses the budgets of the robustness
 * library's pretrained models (CIFAR-10 0.25–1) and Tsipras et al.'s MNIST L2 range (up to 2).
 */
const tradeoffEpsilons: Record<ExperimentConstraint, Record<ImageKind, string>> = {
  linf: { grey: '0, 0.1, 0.2, 0.3', colour: '0, 0.0078, 0.0157, 0.0314' },
  l2: { grey: '0, 0.5, 1, 2', colour: '0, 0.25, 0.5, 1' },
};

export class TradeoffForm extends AdversarialTrainingForm {
  name = $state('Robustness–accuracy trade-off');
  /** Comma-separated training ε values, one model each. */
  epsilons = $state(tradeoffEpsilons.linf.grey);
  trainLimit = $state<number | null>(null);

  protected loadEpsilonDefaults(norm: ExperimentConstraint, kind: ImageKind): void {
    this.epsilons = tradeoffEpsilons[norm][kind];
  }

  toConfig(): TradeoffConfig {
    return {
      type: 'robustness-tradeoff',
      name: this.name,
      ...this.sharedConfig(),
      epsilons: parseNumberList(this.epsilons, 'training ε values'),
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
