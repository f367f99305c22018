/**
 * The gallery: every completed features run of the project, filtered by model, view and date,
 * each with an editable note. Refreshed when it is shown and when a job finishes.
 */
import type { WorkbenchApi } from '@common/contract';
import type { GalleryItem } from '@common/gallery-schemas';
import type { Artifact } from '@common/run-schemas';
import { ArtifactCache } from './artifact-cache';
import type { ErrorState } from './error-state.svelte';

export class GalleryState {
  #items = $state.raw<GalleryItem[]>([]);
  #loaded = $state(false);
  /** null: any. */
  modelId = $state<number | null>(null);
  view = $state<string | null>(null);
  /** yyyy-mm-dd from the date inputs; '' for no bound. */
  from = $state('');
  to = $state('');
  readonly #artifacts: ArtifactCache;

  constructor(
    private readonly api: WorkbenchApi,
    private readonly errors: ErrorState,
  ) {
    this.#artifacts = new ArtifactCache(api);
  }

  get loaded(): boolean {
    return this.#loaded;
  }
  get items(): readonly GalleryItem[] {
    return this.#items;
  }

  /** The items passing every filter (dates compare on the local day the run finished). */
  get shown(): readonly GalleryItem[] {
    return this.#items.filter((item) => {
      if (this.modelId !== null && !item.modelIds.includes(this.modelId)) return false;
      if (this.view !== null && item.view !== this.view) return false;
      const day = item.finishedAt ? localDay(item.finishedAt) : '';
      if (this.from && day < this.from) return false;
      if (this.to && day > this.to) return false;
      return true;
    });
  }

  /** The views present, for the filter's options. */
  get views(): string[] {
    const views = this.#items.map((item) => item.view);
    return views.filter((view, i) => views.indexOf(view) === i).sort();
  }

  artifact(id: number): Promise<Artifact> {
    return this.#artifacts.get(id);
  }

  async refresh(): Promise<void> {
    try {
      this.#items = await this.api.call('gallery.list', {});
      this.#loaded = true;
    } catch (error) {
      this.errors.report('Load the gallery', error);
    }
  }

  /** Saves a run's note; true when it was saved. */
  async saveNote(runId: number, body: string): Promise<boolean> {
    try {
      await this.api.call('notes.set', { subjectKind: 'run', subjectId: runId, body });
      this.#items = this.#items.map((item) =>
        item.runId === runId ? { ...item, note: body.trim() } : item,
      );
      return true;
    } catch (error) {
      this.errors.report('Save the note', error);
      return false;
    }
  }

  clearFilters(): void {
    this.modelId = null;
    this.view = null;
    this.from = '';
    this.to = '';
  }

  reset(): void {
    this.#items = [];
    this.#loaded = false;
    this.#artifacts.clear();
    this.clearFilters();
  }
}

/** yyyy-mm-dd of an ISO time in the local time zone (what a date input shows). */
function localDay(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
