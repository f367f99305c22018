/**
 * The dataset browser: which dataset, which split and class, and the pages of images fetched so
 * far. The grid asks for the rows it shows; pages of `pageSize` images are fetched once each and
 * dropped when the filter changes (a generation number discards answers to stale queries).
 */
import type { DatasetImage, DatasetSummary, SplitName } from '@common/dataset-schemas';
import type { WorkbenchApi } from '@common/contract';
import type { CatalogState } from './catalog-state.svelte';
import { DatasetExportState } from './dataset-export-state.svelte';
import { DatasetImportState } from './dataset-import-state.svelte';
import type { ErrorState } from './error-state.svelte';

export const pageSize = 100;
export type SplitFilter = SplitName | 'all';

export class DatasetState {
  /** The Import panel (preview, then import as a task). */
  readonly importer: DatasetImportState;
  /** The Export panel of the chosen dataset. */
  readonly exporter: DatasetExportState;
  #datasetId = $state<number | null>(null);
  #split = $state<SplitFilter>('all');
  #label = $state<number | null>(null);
  #total = $state<number | null>(null);
  /** Page number → its images; replaced wholesale when a page arrives. */
  #pages = $state.raw<Readonly<Record<number, readonly DatasetImage[]>>>({});
  #open = $state.raw<DatasetImage | null>(null);
  /** The dataset whose Delete button was pressed once and now asks for confirmation. */
  #confirmingDelete = $state<number | null>(null);
  #generation = 0;
  /** Bookkeeping only (never rendered), so deliberately not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #inFlight = new Set<number>();

  private readonly api: WorkbenchApi;
  private readonly catalog: CatalogState;
  private readonly errors: ErrorState;

  constructor(api: WorkbenchApi, catalog: CatalogState, errors: ErrorState) {
    this.api = api;
    this.catalog = catalog;
    this.errors = errors;
    this.importer = new DatasetImportState(api, errors, (datasetId) => {
      void this.catalog.refreshDatasets().then(() => this.chooseDataset(datasetId));
    });
    this.exporter = new DatasetExportState(api, errors);
  }

  get confirmingDelete(): boolean {
    return this.#confirmingDelete !== null && this.#confirmingDelete === this.dataset?.id;
  }

  /** First press asks for confirmation; the second deletes the chosen dataset. */
  async deleteDataset(): Promise<void> {
    const dataset = this.dataset;
    if (!dataset) return;
    if (this.#confirmingDelete !== dataset.id) {
      this.#confirmingDelete = dataset.id;
      return;
    }
    this.#confirmingDelete = null;
    try {
      await this.api.call('datasets.delete', { datasetId: dataset.id });
      await this.catalog.refreshDatasets();
      this.#datasetId = null;
      this.reload();
    } catch (error) {
      this.errors.report('Delete dataset', error);
    }
  }

  cancelDelete(): void {
    this.#confirmingDelete = null;
  }

  /** The chosen dataset, or the project's first one. */
  get dataset(): DatasetSummary | undefined {
    return this.catalog.dataset(this.#datasetId) ?? this.catalog.datasets[0];
  }
  get split(): SplitFilter {
    return this.#split;
  }
  get label(): number | null {
    return this.#label;
  }
  /** Images matching the filter; null until the first page has answered. */
  get total(): number | null {
    return this.#total;
  }
  /** The image shown large in the modal. */
  get open(): DatasetImage | null {
    return this.#open;
  }

  image(position: number): DatasetImage | undefined {
    return this.#pages[Math.floor(position / pageSize)]?.[position % pageSize];
  }

  chooseDataset(id: number): void {
    this.#datasetId = id;
    this.#confirmingDelete = null;
    this.exporter.show(false);
    this.#label = null;
    this.reload();
  }
  chooseSplit(split: SplitFilter): void {
    this.#split = split;
    this.reload();
  }
  chooseLabel(label: number | null): void {
    this.#label = label;
    this.reload();
  }
  showImage(image: DatasetImage | null): void {
    this.#open = image;
  }

  /** Forgets every page and fetches the first one again. */
  reload(): void {
    this.#generation += 1;
    this.#inFlight.clear();
    this.#pages = {};
    this.#total = null;
    this.#open = null;
    void this.#fetchPage(0);
  }

  reset(): void {
    this.#datasetId = null;
    this.#split = 'all';
    this.#label = null;
    this.reload();
  }

  /** Makes sure the images at positions [first, last] are fetched or on their way. */
  ensureRange(first: number, last: number): void {
    const end = this.#total === null ? last : Math.min(last, this.#total - 1);
    for (let page = Math.floor(first / pageSize); page <= Math.floor(end / pageSize); page++) {
      if (!(page in this.#pages)) void this.#fetchPage(page);
    }
  }

  async #fetchPage(page: number): Promise<void> {
    const dataset = this.dataset;
    if (!dataset || this.#inFlight.has(page)) return;
    const generation = this.#generation;
    this.#inFlight.add(page);
    try {
      const result = await this.api.call('datasets.page', {
        datasetId: dataset.id,
        ...(this.#split === 'all' ? {} : { split: this.#split }),
        ...(this.#label === null ? {} : { label: this.#label }),
        offset: page * pageSize,
        limit: pageSize,
      });
      if (generation !== this.#generation) return;
      this.#total = result.total;
      this.#pages = { ...this.#pages, [page]: result.items };
    } catch (error) {
      if (generation === this.#generation) this.errors.report('Load images', error);
    } finally {
      if (generation === this.#generation) this.#inFlight.delete(page);
    }
  }
}
