/**
 * One dataset import or export as the window sees it: progress from `dataset.progress`, the end
 * from `dataset.finished`. Events are listened to from just before the start call, so none is
 * missed while the call's reply is on its way; listeners are removed when the task ends.
 */
import type { EventPayload, WorkbenchApi } from '@common/contract';
import type { DatasetTaskResult, DatasetTaskStarted } from '@common/dataset-io-schemas';
import type { JobView } from './jobs-state.svelte';

type Progress = EventPayload<'dataset.progress'>;
type Finished = EventPayload<'dataset.finished'>;

export class DatasetTask {
  #view = $state.raw<JobView | null>(null);
  #result = $state.raw<DatasetTaskResult | null>(null);
  #taskId: string | null = null;
  /** Events that arrived before the start call answered (their task id is not known yet). */
  #early: (Progress | Finished)[] = [];
  #unsubscribe: (() => void)[] = [];

  private readonly api: WorkbenchApi;
  private readonly onFinished: (event: Finished) => void;

  constructor(api: WorkbenchApi, onFinished: (event: Finished) => void) {
    this.api = api;
    this.onFinished = onFinished;
  }

  /** Progress in the shape the shared progress panel shows. */
  get view(): JobView | null {
    return this.#view;
  }
  get running(): boolean {
    return this.#view?.phase === 'running';
  }
  /** What a completed task produced. */
  get result(): DatasetTaskResult | null {
    return this.#result;
  }

  /** Runs the start call; throws its error (nothing is shown as running then). */
  async start(call: () => Promise<DatasetTaskStarted>): Promise<void> {
    this.#stopListening();
    this.#result = null;
    this.#early = [];
    this.#taskId = null;
    this.#unsubscribe = [
      this.api.on('dataset.progress', (event) => this.#receive(event)),
      this.api.on('dataset.finished', (event) => this.#receive(event)),
    ];
    this.#view = {
      jobId: '',
      runId: 0,
      fraction: 0,
      etaSeconds: null,
      // Dataset tasks show no elapsed time: their progress events carry none.
      elapsedSeconds: null,
      elapsedAt: Date.now(),
      message: 'starting',
      phase: 'running',
      error: null,
    };
    try {
      const started = await call();
      this.#taskId = started.taskId;
      this.#view = { ...this.#view, jobId: started.taskId };
      const early = this.#early;
      this.#early = [];
      for (const event of early) this.#receive(event);
    } catch (error) {
      this.#stopListening();
      this.#view = null;
      throw error;
    }
  }

  async cancel(): Promise<void> {
    if (!this.#taskId || !this.running) return;
    await this.api.call('datasets.cancelTask', { taskId: this.#taskId });
  }

  clear(): void {
    if (this.running) return;
    this.#view = null;
    this.#result = null;
  }

  #receive(event: Progress | Finished): void {
    if (this.#taskId === null) {
      this.#early.push(event);
      return;
    }
    if (event.taskId !== this.#taskId || !this.#view) return;
    if ('state' in event) {
      this.#view = {
        ...this.#view,
        fraction: event.state === 'completed' ? 1 : this.#view.fraction,
        etaSeconds: null,
        message: event.result?.summary ?? event.state,
        phase: event.state,
        error: event.error,
      };
      this.#result = event.result;
      this.#stopListening();
      this.onFinished(event);
      return;
    }
    if (this.#view.phase !== 'running') return;
    this.#view = {
      ...this.#view,
      fraction: event.fraction,
      etaSeconds: event.etaSeconds,
      message: event.message,
    };
  }

  #stopListening(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
  }
}
