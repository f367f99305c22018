/**
 * Renaming runs and models, and deleting a model once the runs that used it have been named.
 * One edit at a time; its error is shown at its own field (not in the app's error banner, where
 * it would linger on other tabs), in the words the name check uses.
 */
import type { WorkbenchApi } from '@common/contract';
import { ItemName, type RunReference } from '@common/run-schemas';
import type { ModelSummary } from '@common/model-schemas';
import type { CatalogState } from './catalog-state.svelte';

export type Renamed = { kind: 'run' | 'model'; id: number };

/** A model about to be deleted, with the runs that used it (they stay, shown as using it). */
export interface PendingDelete {
  model: ModelSummary;
  dependents: readonly RunReference[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class CatalogEdits {
  #renaming = $state<Renamed | null>(null);
  /** The name being typed; bound by the rename field. */
  draft = $state('');
  #error = $state<string | null>(null);
  #busy = $state(false);
  #deleting = $state.raw<PendingDelete | null>(null);

  private readonly api: WorkbenchApi;
  private readonly catalog: CatalogState;

  constructor(api: WorkbenchApi, catalog: CatalogState) {
    this.api = api;
    this.catalog = catalog;
  }

  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get deleting(): PendingDelete | null {
    return this.#deleting;
  }

  isRenaming(kind: Renamed['kind'], id: number): boolean {
    return this.#renaming?.kind === kind && this.#renaming.id === id;
  }

  startRename(kind: Renamed['kind'], id: number, name: string): void {
    this.#renaming = { kind, id };
    this.draft = name;
    this.#error = null;
  }

  cancelRename(): void {
    this.#renaming = null;
    this.#error = null;
  }

  /** Checks the name as the workbench will (trimmed, 1–120 characters), then renames. */
  async saveRename(): Promise<void> {
    const target = this.#renaming;
    if (!target) return;
    const parsed = ItemName.safeParse(this.draft);
    if (!parsed.success) {
      this.#error = parsed.error.issues[0]?.message ?? 'this name cannot be used';
      return;
    }
    this.#busy = true;
    try {
      if (target.kind === 'run') {
        await this.api.call('runs.rename', { runId: target.id, name: parsed.data });
        await this.catalog.refreshRuns();
      } else {
        await this.api.call('models.rename', { modelId: target.id, name: parsed.data });
        await this.catalog.refreshModels();
      }
      this.#renaming = null;
      this.#error = null;
    } catch (error) {
      this.#error = message(error);
    } finally {
      this.#busy = false;
    }
  }

  /** First step of a delete: fetch the runs that used the model, to name them in the question. */
  async askDelete(model: ModelSummary): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      const dependents = await this.api.call('models.dependents', { modelId: model.id });
      this.#deleting = { model, dependents };
    } catch (error) {
      this.#error = message(error);
    } finally {
      this.#busy = false;
    }
  }

  cancelDelete(): void {
    this.#deleting = null;
    this.#error = null;
  }

  async confirmDelete(): Promise<void> {
    const pending = this.#deleting;
    if (!pending) return;
    this.#busy = true;
    try {
      await this.api.call('models.delete', { modelId: pending.model.id });
      this.#deleting = null;
      this.#error = null;
      await Promise.all([this.catalog.refreshModels(), this.catalog.refreshRuns()]);
    } catch (error) {
      this.#error = message(error);
    } finally {
      this.#busy = false;
    }
  }
}
