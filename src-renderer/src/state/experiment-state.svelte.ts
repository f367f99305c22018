/**
 * The Experiments view: which experiment is being configured, the job started from it, and the
 * result shown (the finished job's, or a past experiment run chosen from the list).
 */
import type { WorkbenchApi } from '@common/contract';
import type { ExperimentConfig, ExperimentRun, ExperimentType } from '@common/experiment-schemas';
import type { Artifact } from '@common/run-schemas';
import type { DatasetSummary } from '@common/dataset-schemas';
import type { ModelSummary } from '@common/model-schemas';
import { ArtifactCache } from './artifact-cache';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import { DataEfficiencyForm } from './experiment-forms/data-efficiency-form.svelte';
import { NonRobustForm } from './experiment-forms/non-robust-form.svelte';
import { RobustDatasetsForm } from './experiment-forms/robust-datasets-form.svelte';
import { RobustGaussianForm } from './experiment-forms/robust-gaussian-form.svelte';
import { TradeoffForm } from './experiment-forms/tradeoff-form.svelte';
import { TransferForm } from './experiment-forms/transfer-form.svelte';
import { TsiprasForm } from './experiment-forms/tsipras-form.svelte';
import type { JobsState } from './jobs-state.svelte';
import { RunView } from './run-view.svelte';

export interface ExperimentKind {
  type: ExperimentType;
  title: string;
  /** Where the method comes from. */
  source: string;
  /** One sentence on what it shows. */
  claim: string;
}

export const experimentKinds: readonly ExperimentKind[] = [
  {
    type: 'non-robust-features',
    title: 'Non-robust features suffice (D_rand, D_det)',
    source: 'Ilyas et al. 2019, §3.2',
    claim:
      'Images relabelled as the class an attack pushed them to still teach a fresh model to classify the real test set far above chance.',
  },
  {
    type: 'robust-datasets',
    title: 'Robustified datasets (D_R, D_NR)',
    source: 'Ilyas et al. 2019, §3.1',
    claim:
      'A standard model trained on images re-made to match a robust model’s representation (D_R) becomes somewhat robust; one trained on images re-made from a standard model’s (D_NR) generalizes to the real test set but is not robust.',
  },
  {
    type: 'robustness-tradeoff',
    title: 'Robustness–accuracy trade-off',
    source: 'Tsipras et al. 2019, “Robustness may be at odds with accuracy”',
    claim:
      'The larger the ε a model is adversarially trained at, the more robust it is and the lower its accuracy on clean test images.',
  },
  {
    type: 'data-efficiency',
    title: 'Data efficiency of robust training',
    source: 'Schmidt et al. 2018, “Adversarially robust generalization requires more data”',
    claim:
      'Robust generalization needs more training data than standard generalization: the robust model’s accuracy climbs more slowly with the training-set size.',
  },
  {
    type: 'transfer',
    title: 'Transferability of adversarial examples',
    source: 'Szegedy et al. 2014; Papernot et al. 2016; Ilyas et al. 2019, §3.3',
    claim:
      'Adversarial examples crafted on one model often fool other models trained on the same data, because they exploit non-robust features the models share.',
  },
  {
    type: 'robust-gaussian',
    title: 'Robust Gaussian classification',
    source: 'Ilyas et al. 2019, §4',
    claim:
      'In a Gaussian problem with small, low-variance non-robust directions, the standard classifier leans on them and breaks under a small ℓ2 attack, while the robustly learned one turns back towards the direction joining the class means.',
  },
  {
    type: 'tsipras-toy',
    title: 'Toy model: robustness vs accuracy',
    source: 'Tsipras et al. 2019, “Robustness may be at odds with accuracy”, §2',
    claim:
      'With many weakly predictive features, the most accurate classifier relies on them and an ℓ∞ attack of size 2η drives it far below chance, while the robust classifier uses one feature and keeps accuracy p.',
  },
];

export class ExperimentState extends RunView<ExperimentRun> {
  type = $state<ExperimentType>('non-robust-features');
  readonly nonRobust = new NonRobustForm();
  readonly tradeoff = new TradeoffForm();
  readonly dataEfficiency = new DataEfficiencyForm();
  readonly transfer = new TransferForm();
  readonly robustDatasets = new RobustDatasetsForm();
  readonly robustGaussian = new RobustGaussianForm();
  readonly tsipras = new TsiprasForm();
  readonly #artifacts: ArtifactCache;

  constructor(api: WorkbenchApi, catalog: CatalogState, jobs: JobsState, errors: ErrorState) {
    super(api, catalog, jobs, errors, {
      kind: 'experiment',
      noun: 'experiment',
      load: (runId) => api.call('runs.experimentResult', { runId }),
      loaded: (result) => this.#loadForm(result.config),
    });
    this.#artifacts = new ArtifactCache(api);
  }

  get kind(): ExperimentKind | undefined {
    return experimentKinds.find((kind) => kind.type === this.type);
  }

  artifact(id: number): Promise<Artifact> {
    return this.#artifacts.get(id);
  }

  className(datasetId: number, label: number): string {
    return this.catalog.className(datasetId, label);
  }

  /** A model of the project (undefined once deleted: results then show its id only). */
  model(id: number): ModelSummary | undefined {
    return this.catalog.model(id);
  }

  /** A model's name for result tables; a deleted model is named by its id. */
  modelName(id: number): string {
    return this.catalog.modelName(id);
  }

  dataset(id: number): DatasetSummary | undefined {
    return this.catalog.dataset(id);
  }

  /** The selected form's config; a field the form itself can read wrong (a list) throws here. */
  #config(): ExperimentConfig {
    const type: ExperimentType = this.type;
    switch (type) {
      case 'non-robust-features': {
        const form = this.nonRobust;
        return form.toConfig(this.catalog.model(form.sourceModelId) ?? this.catalog.models[0]);
      }
      case 'robustness-tradeoff':
        return this.tradeoff.toConfig();
      case 'data-efficiency':
        return this.dataEfficiency.toConfig();
      case 'transfer':
        return this.transfer.toConfig(this.catalog.models);
      case 'robust-datasets':
        return this.robustDatasets.toConfig();
      case 'robust-gaussian':
        return this.robustGaussian.toConfig();
      case 'tsipras-toy':
        return this.tsipras.toConfig();
    }
  }

  start(): Promise<void> {
    return this.startWith(() => this.api.call('jobs.startExperiment', this.#config()));
  }

  /** Shows a recorded run's settings in its form, ready to rerun or vary. */
  #loadForm(config: ExperimentConfig): void {
    this.type = config.type;
    switch (config.type) {
      case 'non-robust-features':
        return this.nonRobust.load(config);
      case 'robustness-tradeoff':
        return this.tradeoff.load(config, this.catalog.dataset(config.datasetId));
      case 'data-efficiency':
        return this.dataEfficiency.load(config, this.catalog.dataset(config.datasetId));
      case 'transfer':
        return this.transfer.load(config, this.catalog.dataset(config.datasetId));
      case 'robust-datasets':
        return this.robustDatasets.load(config, this.catalog.dataset(config.datasetId));
      case 'robust-gaussian':
        return this.robustGaussian.load(config);
      case 'tsipras-toy':
        return this.tsipras.load(config);
    }
  }

  reset(): void {
    this.clearRun();
    this.#artifacts.clear();
    this.nonRobust.sourceModelId = null;
    this.nonRobust.datasetId = null;
    this.tradeoff.datasetId = null;
    this.dataEfficiency.datasetId = null;
    this.transfer.clear();
    this.robustDatasets.clear();
  }
}
