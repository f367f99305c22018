/**
 * The Export panel of the Datasets view: format (PNG folders or .npy arrays), the folder typed
 * by the person (new or empty; nothing is overwritten), for a constructed dataset whether its
 * copy of the original test images goes too, and the export task.
 */
import type { WorkbenchApi } from '@common/contract';
import { datasetExportDefaults } from '@common/dataset-defaults';
import type { DatasetExportFormat } from '@common/dataset-io-schemas';
import { DatasetTask } from './dataset-task.svelte';
import { FieldErrors } from './field-errors.svelte';
import type { ErrorState } from './error-state.svelte';

export class ExportForm {
  // Bound directly by the inputs: these are the form's own fields.
  format = $state<DatasetExportFormat>(datasetExportDefaults.format);
  folder = $state('');
  labelDtype = $state<'int64' | 'int32'>(datasetExportDefaults.labelDtype);
  withOriginalTest = $state<boolean>(datasetExportDefaults.withOriginalTest);
}

export class DatasetExportState {
  readonly form = new ExportForm();
  readonly task: DatasetTask;
  /** Problems the last start found with a field (the folder), shown under it. */
  readonly fieldErrors = new FieldErrors();
  #open = $state(false);
  #formError = $state<string | null>(null);

  private readonly api: WorkbenchApi;
  private readonly errors: ErrorState;

  constructor(api: WorkbenchApi, errors: ErrorState) {
    this.api = api;
    this.errors = errors;
    this.task = new DatasetTask(api, () => {});
  }

  get open(): boolean {
    return this.#open;
  }
  get formError(): string | null {
    return this.#formError;
  }

  show(open: boolean): void {
    this.#open = open;
    this.#formError = null;
    this.fieldErrors.clear();
    if (!open) this.task.clear();
  }

  /** `constructed`: the dataset's split method is 'constructed' (only those take the option). */
  async start(datasetId: number, constructed: boolean): Promise<void> {
    this.#formError = null;
    this.fieldErrors.clear();
    try {
      await this.task.start(() =>
        this.api.call('datasets.export', {
          datasetId,
          format: this.form.format,
          folder: this.form.folder,
          labelDtype: this.form.labelDtype,
          withOriginalTest: constructed && this.form.withOriginalTest,
        }),
      );
    } catch (error) {
      this.#formError = this.fieldErrors.report(error);
    }
  }

  async cancel(): Promise<void> {
    try {
      await this.task.cancel();
    } catch (error) {
      this.errors.report('Cancel the export', error);
    }
  }
}
