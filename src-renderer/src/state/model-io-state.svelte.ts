/**
 * Model export and import in the Train view's models table: the export dialog of one model
 * (format, folder typed by the person: the browser shell has no file dialog) and the form that
 * imports a TensorFlow.js layers model or an ONNX model (by the path's extension) for a
 * project dataset. Both start engine jobs with run
 * rows; their progress comes through JobsState, their stored results (files written, the
 * imported model and its notes) are read when the job ends.
 */
import type { WorkbenchApi } from '@common/contract';
import { modelImportDefaults } from '@common/dataset-defaults';
import {
  modelExportFormats,
  type ModelImportFormat,
  type ModelExportFormat,
  type ModelExportResult,
  type ModelImportResult,
} from '@common/model-io-schemas';
import type { DatasetSummary } from '@common/dataset-schemas';
import type { ModelSummary } from '@common/model-schemas';
import { cancelJob } from './cancel-job';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import type { JobsState, JobView } from './jobs-state.svelte';

export class ModelExportForm {
  // Bound directly by the inputs: these are the form's own fields.
  format = $state<ModelExportFormat>('npz');
  folder = $state('');
}

export class ModelImportForm {
  // Bound directly by the inputs: these are the form's own fields.
  path = $state('');
  /** null: the project's first dataset. */
  datasetId = $state<number | null>(null);
  /** Empty: the name of the folder the model.json is in. */
  name = $state('');
  /** The pixel range the model was trained on ([0, 1], [0, 255], [-1, 1], …). */
  inputLow = $state<number | null>(modelImportDefaults.inputRange[0]);
  inputHigh = $state<number | null>(modelImportDefaults.inputRange[1]);
  /** ONNX only; empty: the input of the last Gemm/MatMul. */
  representation = $state('');

  /** Every field at once: what an import was started with, to tell whether it changed since. */
  get signature(): string {
    return JSON.stringify([
      this.path.trim(),
      this.datasetId,
      this.name.trim(),
      this.inputLow,
      this.inputHigh,
      this.representation.trim(),
    ]);
  }

  /** A .onnx path imports an ONNX model; anything else a layers model's model.json. */
  get format(): ModelImportFormat {
    return /\.onnx$/i.test(this.path.trim()) ? 'onnx' : 'tfjs-layers';
  }
}

/** One job started from here: its run, an error that kept it from starting, its result. */
class Transfer<Result> {
  #runId = $state<number | null>(null);
  #error = $state<string | null>(null);
  #result = $state.raw<Result | null>(null);
  #starting = $state(false);

  get runId(): number | null {
    return this.#runId;
  }
  get error(): string | null {
    return this.#error;
  }
  get result(): Result | null {
    return this.#result;
  }
  get starting(): boolean {
    return this.#starting;
  }

  begin(): void {
    this.#starting = true;
    this.#error = null;
    this.#result = null;
  }
  started(runId: number): void {
    this.#runId = runId;
    this.#starting = false;
  }
  failed(error: unknown): void {
    this.#error = error instanceof Error ? error.message : String(error);
    this.#starting = false;
  }
  finished(result: Result): void {
    this.#result = result;
  }
  clear(): void {
    this.#runId = null;
    this.#error = null;
    this.#result = null;
    this.#starting = false;
  }
}

export class ModelIoState {
  readonly exportForm = new ModelExportForm();
  readonly importForm = new ModelImportForm();
  readonly exported = new Transfer<ModelExportResult>();
  readonly imported = new Transfer<ModelImportResult>();
  /** The form's fields when the last import started (importDone). */
  #importedSignature = $state('');
  /** The model whose export dialog is open, or null. */
  #exporting = $state.raw<ModelSummary | null>(null);
  #importOpen = $state(false);

  private readonly api: WorkbenchApi;
  private readonly catalog: CatalogState;
  private readonly jobs: JobsState;
  private readonly errors: ErrorState;

  constructor(api: WorkbenchApi, catalog: CatalogState, jobs: JobsState, errors: ErrorState) {
    this.api = api;
    this.catalog = catalog;
    this.jobs = jobs;
    this.errors = errors;
  }

  /** The project's datasets, for the import form's choice. */
  get datasets(): readonly DatasetSummary[] {
    return this.catalog.datasets;
  }
  get exporting(): ModelSummary | null {
    return this.#exporting;
  }
  get importOpen(): boolean {
    return this.#importOpen;
  }
  get exportJob(): JobView | undefined {
    return this.jobs.job(this.exported.runId);
  }
  get importJob(): JobView | undefined {
    return this.jobs.job(this.imported.runId);
  }
  get exportRunning(): boolean {
    return this.exported.starting || this.exportJob?.phase === 'running';
  }
  get importRunning(): boolean {
    return this.imported.starting || this.importJob?.phase === 'running';
  }
  /**
   * The model in the form was imported and nothing in the form changed since: a second click
   * would only add a copy of it.
   */
  get importDone(): boolean {
    return this.imported.result !== null && this.#importedSignature === this.importForm.signature;
  }

  /** The formats the dialog's model exports as (a model imported from ONNX: ONNX only). */
  get exportFormats(): readonly ModelExportFormat[] {
    return this.#exporting === null ? [] : modelExportFormats(this.#exporting.architecture);
  }

  /**
   * Opens the export dialog for a model (null closes it); the form keeps its format where the
   * model exports as it, and takes the model's first format otherwise.
   */
  showExport(model: ModelSummary | null): void {
    if (model?.id !== this.#exporting?.id) this.exported.clear();
    this.#exporting = model;
    const formats = this.exportFormats;
    const [first] = formats;
    if (first !== undefined && !formats.includes(this.exportForm.format)) {
      this.exportForm.format = first;
    }
  }

  showImport(open: boolean): void {
    this.#importOpen = open;
    if (!open && !this.importRunning) this.imported.clear();
  }

  async startExport(): Promise<void> {
    const model = this.#exporting;
    if (!model) return;
    this.exported.begin();
    try {
      const started = await this.api.call('jobs.exportModel', {
        modelId: model.id,
        format: this.exportForm.format,
        folder: this.exportForm.folder,
      });
      this.jobs.started(started.jobId, started.runId);
      this.exported.started(started.runId);
      void this.catalog.refreshRuns();
    } catch (error) {
      this.exported.failed(error);
    }
  }

  async startImport(): Promise<void> {
    const form = this.importForm;
    this.#importedSignature = form.signature;
    this.imported.begin();
    try {
      const format = form.format;
      const representation = form.representation.trim();
      const started = await this.api.call('jobs.importModel', {
        format,
        path: form.path.trim(),
        datasetId: form.datasetId ?? this.catalog.datasets[0]?.id ?? Number.NaN,
        ...(form.name.trim() === '' ? {} : { name: form.name }),
        // Empty fields go out as NaN so that the workbench names the problem.
        inputRange: [form.inputLow ?? Number.NaN, form.inputHigh ?? Number.NaN],
        ...(format === 'onnx' && representation !== '' ? { representation } : {}),
      });
      this.jobs.started(started.jobId, started.runId);
      this.imported.started(started.runId);
      void this.catalog.refreshRuns();
    } catch (error) {
      this.imported.failed(error);
    }
  }

  cancelExport(): Promise<void> {
    return cancelJob(this.api, this.exportJob, this.errors, 'Cancel the model export');
  }

  cancelImport(): Promise<void> {
    return cancelJob(this.api, this.importJob, this.errors, 'Cancel the model import');
  }

  /** A job ended: if it was an export or import started here, read what it stored. */
  async finished(runId: number, completed: boolean): Promise<void> {
    const transfer =
      runId === this.exported.runId
        ? this.exported
        : runId === this.imported.runId
          ? this.imported
          : null;
    if (transfer === null || !completed) return;
    try {
      const { result } = await this.api.call('runs.modelTransferResult', { runId });
      if (result.kind === 'export' && transfer === this.exported) this.exported.finished(result);
      if (result.kind === 'import' && transfer === this.imported) this.imported.finished(result);
    } catch (error) {
      this.errors.report('Read the model transfer result', error);
    }
  }

  reset(): void {
    this.#exporting = null;
    this.#importOpen = false;
    this.exported.clear();
    this.imported.clear();
    this.importForm.datasetId = null;
  }
}
