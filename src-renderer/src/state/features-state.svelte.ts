/**
 * The features lab: the form, the job started from it with its live frames, and the result on
 * screen (the finished job's, or a past features run chosen from the list or the gallery).
 */
import type { WorkbenchApi } from '@common/contract';
import { defaultRunDisplay, type RunDisplay } from '@common/display-schemas';
import type { FeaturesRun, StreamedFrame } from '@common/features-result-schemas';
import {
  featuresViews,
  type FeaturesViewName,
  type FeaturesViewOf,
} from '@common/features-views/registry';
import type { Artifact } from '@common/run-schemas';
import type { DatasetImage, DatasetPage, DatasetSummary } from '@common/dataset-schemas';
import type { ModelSummary } from '@common/model-schemas';
import { ArtifactCache } from './artifact-cache';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import { FeaturesForm } from './features/features-form.svelte';
import type { JobsState } from './jobs-state.svelte';
import { RunView } from './run-view.svelte';

export class FeaturesState extends RunView<FeaturesRun> {
  readonly form = new FeaturesForm();
  /** The latest streamed picture per key, for the run on screen while it runs. */
  #frames = $state.raw<readonly StreamedFrame[]>([]);
  readonly #artifacts: ArtifactCache;

  constructor(api: WorkbenchApi, catalog: CatalogState, jobs: JobsState, errors: ErrorState) {
    super(api, catalog, jobs, errors, {
      kind: 'features',
      noun: 'features view',
      load: (runId) => api.call('runs.featuresResult', { runId }),
      loaded: (run) => this.form.load(run.config, this.catalog.dataset(run.config.datasetId)),
    });
    this.#artifacts = new ArtifactCache(api);
  }

  /** The chosen view's descriptor: its title, source and what to look for. */
  get kind(): FeaturesViewOf<FeaturesViewName> {
    return featuresViews[this.form.view];
  }

  get frames(): readonly StreamedFrame[] {
    return this.#frames;
  }

  get dataset(): DatasetSummary | undefined {
    return this.catalog.dataset(this.form.datasetId ?? -1);
  }

  /** Models that take the chosen dataset's images and classes. */
  get fittingModels(): readonly ModelSummary[] {
    const dataset = this.dataset;
    if (!dataset) return [];
    return this.catalog.models.filter((model) => {
      const own = this.catalog.dataset(model.datasetId);
      return (
        own !== undefined &&
        own.imageShape.join('×') === dataset.imageShape.join('×') &&
        own.classNames.length === dataset.classNames.length
      );
    });
  }

  /** A page of the chosen dataset's images (test split first: the lab looks at unseen images). */
  async imagePage(offset: number, limit: number, split: 'test' | 'train'): Promise<DatasetPage> {
    const datasetId = this.form.datasetId;
    if (datasetId === null) return { total: 0, items: [] };
    return this.api.call('datasets.page', { datasetId, split, offset, limit });
  }

  /** One image of the chosen dataset (the in-painting mask is painted over the first pick). */
  async datasetImage(index: number): Promise<DatasetImage | null> {
    const datasetId = this.form.datasetId;
    if (datasetId === null) return null;
    return this.api.call('datasets.image', { datasetId, index });
  }

  artifact(id: number): Promise<Artifact> {
    return this.#artifacts.get(id);
  }

  /** How a run's heatmaps are drawn, as saved with the run (the defaults until changed). */
  async display(runId: number): Promise<RunDisplay> {
    try {
      return (await this.api.call('runs.display', { runId })) ?? defaultRunDisplay;
    } catch (error) {
      this.errors.report('Load how the run is drawn', error);
      return defaultRunDisplay;
    }
  }

  /** Saves how a run's heatmaps are drawn, so the project reopens with them. */
  async saveDisplay(runId: number, display: RunDisplay): Promise<void> {
    try {
      await this.api.call('runs.setDisplay', { runId, display });
    } catch (error) {
      this.errors.report('Save how the run is drawn', error);
    }
  }

  className(label: number): string {
    return this.catalog.className(this.form.datasetId ?? -1, label);
  }

  modelName(id: number | null): string {
    if (id === null) return 'inputs';
    return this.catalog.modelName(id);
  }

  /** New pictures from the running job: replace those with the same key, keep the order. */
  framesArrived(runId: number, frames: readonly StreamedFrame[]): void {
    if (runId !== this.runId) return;
    const fresh = frames.map((frame) => frame.key);
    const kept = this.#frames.filter((frame) => !fresh.includes(frame.key));
    // Replaced pictures keep their place: old order first, new keys at the end.
    const order = [...this.#frames.map((frame) => frame.key), ...frames.map((frame) => frame.key)];
    this.#frames = [...kept, ...frames].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  }

  start(): Promise<void> {
    this.#frames = [];
    return this.startWith(() => this.api.call('jobs.startFeatures', this.form.toConfig()));
  }

  override async showRun(runId: number): Promise<void> {
    if (runId !== this.runId) this.#frames = [];
    await super.showRun(runId);
  }

  reset(): void {
    this.clearRun();
    this.#frames = [];
    this.#artifacts.clear();
    this.form.datasetId = null;
    this.form.modelA = null;
    this.form.modelB = null;
    this.form.picked = [];
  }
}
