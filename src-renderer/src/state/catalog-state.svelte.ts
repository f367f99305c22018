/** The project's datasets, models and runs, shared by every view and refreshed together. */
import type { DatasetSummary } from '@common/dataset-schemas';
import type { ModelSummary } from '@common/model-schemas';
import type { RunSummary } from '@common/run-schemas';
import type { WorkbenchApi } from '@common/contract';
import type { ErrorState } from './error-state.svelte';

export class CatalogState {
  #datasets = $state.raw<DatasetSummary[]>([]);
  #models = $state.raw<ModelSummary[]>([]);
  #runs = $state.raw<RunSummary[]>([]);
  #loaded = $state(false);

  private readonly api: WorkbenchApi;
  private readonly errors: ErrorState;

  constructor(api: WorkbenchApi, errors: ErrorState) {
    this.api = api;
    this.errors = errors;
  }

  get datasets(): readonly DatasetSummary[] {
    return this.#datasets;
  }
  get models(): readonly ModelSummary[] {
    return this.#models;
  }
  /** Newest first. */
  get runs(): readonly RunSummary[] {
    return this.#runs;
  }
  get loaded(): boolean {
    return this.#loaded;
  }

  dataset(id: number | null | undefined): DatasetSummary | undefined {
    return this.#datasets.find((d) => d.id === id);
  }
  /**
   * A model's name for the runs that refer to it; a model deleted since (its runs stay, see
   * models.delete) is named as such.
   */
  modelName(id: number): string {
    return this.model(id)?.name ?? `model #${id} (deleted)`;
  }
  model(id: number | null | undefined): ModelSummary | undefined {
    return this.#models.find((m) => m.id === id);
  }
  run(id: number | null | undefined): RunSummary | undefined {
    return this.#runs.find((r) => r.id === id);
  }
  className(datasetId: number | null | undefined, label: number): string {
    return this.dataset(datasetId)?.classNames[label] ?? String(label);
  }

  async refresh(): Promise<void> {
    await Promise.all([this.refreshDatasets(), this.refreshModels(), this.refreshRuns()]);
    this.#loaded = true;
  }

  async refreshDatasets(): Promise<void> {
    try {
      this.#datasets = await this.api.call('datasets.list', {});
    } catch (error) {
      this.errors.report('Load datasets', error);
    }
  }

  async refreshModels(): Promise<void> {
    try {
      this.#models = await this.api.call('models.list', {});
    } catch (error) {
      this.errors.report('Load models', error);
    }
  }

  async refreshRuns(): Promise<void> {
    try {
      const runs = await this.api.call('runs.list', {});
      this.#runs = [...runs].sort((a, b) => b.id - a.id);
    } catch (error) {
      this.errors.report('Load runs', error);
    }
  }

  clear(): void {
    this.#datasets = [];
    this.#models = [];
    this.#runs = [];
    this.#loaded = false;
  }
}
