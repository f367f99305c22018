/**
 * What every view that starts a job and shows its stored result has in common (attack,
 * evaluation, experiment): the run on screen, its live job, its result once loaded, the past
 * runs of its kind, and the start → progress → finished → load cycle. A subclass says how to
 * load a result and what to do with it (usually: fill its form from the result's config).
 */
import type { WorkbenchApi } from '@common/contract';
import type { JobStarted, RunKind, RunSummary } from '@common/run-schemas';
import type { CatalogState } from './catalog-state.svelte';
import { cancelJob } from './cancel-job';
import type { ErrorState } from './error-state.svelte';
import { FieldErrors } from './field-errors.svelte';
import { RunResultsExportState } from './run-results-export-state.svelte';
import type { JobsState, JobView } from './jobs-state.svelte';

export interface RunViewOptions<R> {
  kind: RunKind;
  /** Names the view in error titles: "Start attack", "Load attack result". */
  noun: string;
  /** Reads a completed run's result. */
  load(runId: number): Promise<R>;
  /**
   * A past run's result was loaded for the run on screen (not the run just started from the
   * form: the form already holds its settings, and reloading them when it finishes would undo
   * whatever the user changed meanwhile, such as the experiment type or the view).
   */
  loaded?(result: R): void;
}

export class RunView<R> {
  #runId = $state<number | null>(null);
  #result = $state.raw<R | null>(null);
  #starting = $state(false);
  #loading = $state(false);
  /** Problems with the form's fields from the last start, shown under each field. */
  readonly fieldErrors = new FieldErrors();
  /** "Export results…" of the attack and evaluation results (per-example tables and images). */
  readonly resultsExport: RunResultsExportState;
  /** The run last started from this view's form (read only by showRun: not reactive). */
  #startedFromForm: number | null = null;

  protected readonly api: WorkbenchApi;
  protected readonly catalog: CatalogState;
  protected readonly jobs: JobsState;
  protected readonly errors: ErrorState;
  readonly #options: RunViewOptions<R>;

  constructor(
    api: WorkbenchApi,
    catalog: CatalogState,
    jobs: JobsState,
    errors: ErrorState,
    options: RunViewOptions<R>,
  ) {
    this.api = api;
    this.resultsExport = new RunResultsExportState(api);
    this.catalog = catalog;
    this.jobs = jobs;
    this.errors = errors;
    this.#options = options;
  }

  get runId(): number | null {
    return this.#runId;
  }
  get run(): RunSummary | undefined {
    return this.catalog.run(this.#runId);
  }
  get job(): JobView | undefined {
    return this.jobs.job(this.#runId);
  }
  get result(): R | null {
    return this.#result;
  }
  get starting(): boolean {
    return this.#starting;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get pastRuns(): readonly RunSummary[] {
    return this.catalog.runs.filter((run) => run.kind === this.#options.kind);
  }

  /** Starts a job with the call given (which builds and sends the config) and watches it. */
  protected async startWith(call: () => Promise<JobStarted>): Promise<void> {
    this.#starting = true;
    // Acting again: the last attempt's messages are answered or out of date.
    this.fieldErrors.clear();
    this.errors.clear();
    try {
      const started = await call();
      this.#startedFromForm = started.runId;
      this.jobs.started(started.jobId, started.runId);
      this.#runId = started.runId;
      this.#result = null;
      void this.catalog.refreshRuns();
    } catch (error) {
      const elsewhere = this.fieldErrors.report(error);
      if (elsewhere !== null) this.errors.report(`Start ${this.#options.noun}`, elsewhere);
    } finally {
      this.#starting = false;
    }
  }

  cancel(): Promise<void> {
    return cancelJob(this.api, this.job, this.errors, `Cancel ${this.#options.noun}`);
  }

  /** Shows a run: its result when it completed, else its state. */
  async showRun(runId: number): Promise<void> {
    this.#runId = runId;
    this.#result = null;
    const run = this.catalog.run(runId);
    if (run && run.status !== 'completed') return;
    this.#loading = true;
    try {
      const result = await this.#options.load(runId);
      if (this.#runId === runId) {
        this.#result = result;
        if (runId !== this.#startedFromForm) this.#options.loaded?.(result);
      }
    } catch (error) {
      this.errors.report(`Load ${this.#options.noun} result`, error);
    } finally {
      this.#loading = false;
    }
  }

  /** A job ended: refresh the run list and, when it is the run on screen, load its result. */
  async finished(runId: number, completed: boolean): Promise<void> {
    if (runId !== this.#runId) return;
    await this.catalog.refreshRuns();
    if (completed) await this.showRun(runId);
  }

  /** Forgets the run on screen (another project was opened). */
  protected clearRun(): void {
    this.#runId = null;
    this.#result = null;
  }
}
