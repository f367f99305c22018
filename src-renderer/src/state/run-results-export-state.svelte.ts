/**
 * The "Export results…" dialog of the attack and evaluation results: a folder typed by the
 * person (new or empty; nothing is overwritten), the tables' format, and the files written.
 * One call (`runs.exportResults`): the export reads the project and writes files, no job.
 */
import type { WorkbenchApi } from '@common/contract';
import {
  runResultsExportDefaults,
  type RunResultsExport,
  type RunResultsFormat,
} from '@common/run-results-schemas';
import { FieldErrors } from './field-errors.svelte';

export class RunResultsExportForm {
  // Bound directly by the inputs: these are the form's own fields.
  folder = $state('');
  format = $state<RunResultsFormat>(runResultsExportDefaults.format);
}

export class RunResultsExportState {
  readonly form = new RunResultsExportForm();
  /** Problems the last export found with a field (the folder), shown under it. */
  readonly fieldErrors = new FieldErrors();
  #open = $state(false);
  #writing = $state(false);
  #formError = $state<string | null>(null);
  #written = $state.raw<RunResultsExport | null>(null);

  constructor(private readonly api: WorkbenchApi) {}

  get open(): boolean {
    return this.#open;
  }
  get writing(): boolean {
    return this.#writing;
  }
  get formError(): string | null {
    return this.#formError;
  }
  /** What the last export wrote (null before one, and after the dialog is closed). */
  get written(): RunResultsExport | null {
    return this.#written;
  }

  show(open: boolean): void {
    this.#open = open;
    this.#formError = null;
    this.#written = null;
    this.fieldErrors.clear();
  }

  async write(runId: number): Promise<void> {
    this.#formError = null;
    this.#written = null;
    this.fieldErrors.clear();
    this.#writing = true;
    try {
      this.#written = await this.api.call('runs.exportResults', {
        runId,
        folder: this.form.folder,
        format: this.form.format,
      });
    } catch (error) {
      this.#formError = this.fieldErrors.report(error);
    } finally {
      this.#writing = false;
    }
  }
}
