/**
 * Dataset import, export and deletion for the contract. Imports and exports are tasks on the
 * main process's event loop (file reading, unpacking and image decoding run in libuv's and
 * libvips' threads; the JS parts yield between pieces), one at a time, cancellable, reported as
 * `dataset.progress` (at least once a second) and one `dataset.finished`.
 *
 * They are not engine jobs: no tensor work, and a run row (kinds train/attack) would misdescribe
 * them. An import writes its dataset in one transaction at the very end, so a cancelled, failed
 * or killed import leaves the project exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload } from '../common/contract';
import type {
  DatasetExportRequest,
  DatasetImportPreview,
  DatasetImportRequest,
  DatasetTaskKind,
  DatasetTaskResult,
  DatasetTaskStarted,
} from '../common/dataset-io-schemas';
import type { ProjectStore } from '../db/project-store';
import { formatCount } from './datasets/dataset-content';
import { checkExportFolder, prepareExportFolder } from './datasets/export-folder';
import { exportSelection } from './datasets/export-selection';
import { exportNpy } from './datasets/npy-export';
import { exportPng } from './datasets/png-export';
import { previewImport } from './datasets/dataset-preview';
import { readDataset, type ImportSource } from './datasets/read-dataset';
import { TaskCancelledError, subTask, type TaskContext } from './datasets/task-context';
import type { ProjectService } from './project-service';
import { failureMessage, storageProblem, type Attempt } from './storage-failure';

/** A storage failure (full disk, failing disk, read-only) in the words of storage-failure.ts. */
function inPlainWords(error: unknown, attempt: Attempt, path: string): unknown {
  return storageProblem(error) === null ? error : new Error(failureMessage(error, attempt, path));
}

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

interface RunningTask {
  taskId: string;
  kind: DatasetTaskKind;
  controller: AbortController;
  startedAt: number;
  fraction: number;
  message: string;
}

const heartbeatMs = 1000;
/** Progress events between heartbeats come at most this often. */
const progressIntervalMs = 200;

export class DatasetService {
  private current: RunningTask | null = null;
  private lastProgressAt = 0;

  constructor(
    private readonly projects: ProjectService,
    private readonly emit: Emit,
  ) {}

  get busy(): boolean {
    return this.current !== null;
  }

  preview(source: ImportSource): Promise<DatasetImportPreview> {
    return previewImport(source);
  }

  /** Reads, checks and stores a dataset; resolves with the result, rejects on bad input. */
  async importDataset(
    request: DatasetImportRequest,
    context: TaskContext,
  ): Promise<DatasetTaskResult> {
    const store = this.projects.requireCurrent();
    const content = await readDataset(request.source, subTask(context, 0, 0.9));
    if (context.signal.aborted) throw new TaskCancelledError();
    if (this.projects.current !== store) {
      throw new Error('the project was closed during the import: nothing was written');
    }
    context.report(0.9, 'writing to the project');
    // One transaction (DatasetRepository.insert): all of it is stored, or none.
    let datasetId: number;
    try {
      datasetId = store.datasets.insert({ ...content, name: request.name });
    } catch (error) {
      throw inPlainWords(error, { writing: `the dataset "${request.name}"` }, store.path);
    }
    this.emit('project.changed', { project: this.projects.summary() });
    return {
      datasetId,
      folder: null,
      files: 0,
      summary: `imported ${formatCount(content.labels.length)} images (${formatCount(content.split.train)} train, ${formatCount(content.split.test)} test) as "${request.name}"`,
      notes: content.notes,
    };
  }

  async exportDataset(
    request: DatasetExportRequest,
    context: TaskContext,
  ): Promise<DatasetTaskResult> {
    const store = this.projects.requireCurrent();
    const dataset = store.datasets.get(request.datasetId);
    const selection = exportSelection(
      dataset,
      store.datasets.provenance(dataset.id),
      request.withOriginalTest,
    );
    const folder = prepareExportFolder(request.folder);
    try {
      const result =
        request.format === 'npy'
          ? await exportNpy(store.datasets, dataset, folder, request.labelDtype, selection, context)
          : await exportPng(store.datasets, dataset, folder, selection, context);
      folder.commit();
      return result;
    } catch (error) {
      folder.discard();
      throw inPlainWords(error, { writing: `the ${request.format} files` }, request.folder);
    }
  }

  startImport(request: DatasetImportRequest): DatasetTaskStarted {
    this.projects.requireCurrent();
    return this.start('import', (context) => this.importDataset(request, context));
  }

  startExport(request: DatasetExportRequest): DatasetTaskStarted {
    const store = this.projects.requireCurrent();
    // Refused before the task starts: a dataset that is not there, or original test images
    // asked of one that has none.
    exportSelection(store.datasets.get(request.datasetId), null, request.withOriginalTest);
    checkExportFolder(request.folder);
    return this.start('export', (context) => this.exportDataset(request, context));
  }

  cancel(taskId: string): void {
    if (this.current?.taskId !== taskId) {
      throw new Error(`there is no running dataset import or export ${taskId}`);
    }
    this.current.message = 'cancelling…';
    this.current.controller.abort();
  }

  delete(datasetId: number): void {
    if (this.busy) throw new Error('a dataset import or export is running: wait for it to finish');
    const store: ProjectStore = this.projects.requireCurrent();
    store.datasets.delete(datasetId);
    this.emit('project.changed', { project: this.projects.summary() });
  }

  /** Cancels a running task (used when the app closes). */
  shutdown(): void {
    this.current?.controller.abort();
  }

  private start(
    kind: DatasetTaskKind,
    work: (context: TaskContext) => Promise<DatasetTaskResult>,
  ): DatasetTaskStarted {
    if (this.current) {
      throw new Error(
        `a dataset ${this.current.kind} is running: wait for it or cancel it before you start another`,
      );
    }
    const task: RunningTask = {
      taskId: randomUUID(),
      kind,
      controller: new AbortController(),
      startedAt: Date.now(),
      fraction: 0,
      message: 'starting',
    };
    this.current = task;
    const heartbeat = setInterval(() => this.emitProgress(task), heartbeatMs);
    const context: TaskContext = {
      signal: task.controller.signal,
      report: (fraction, message) => {
        task.fraction = Math.min(1, Math.max(0, fraction));
        if (!task.controller.signal.aborted) task.message = message;
        if (Date.now() - this.lastProgressAt >= progressIntervalMs) this.emitProgress(task);
      },
    };
    const finish = (
      state: 'completed' | 'failed' | 'cancelled',
      error: string | null,
      result: DatasetTaskResult | null,
    ): void => {
      clearInterval(heartbeat);
      this.current = null;
      this.emit('dataset.finished', { taskId: task.taskId, kind, state, error, result });
    };
    // Started on the next turn, so the caller has the task id before the first event.
    setImmediate(() => {
      this.emitProgress(task);
      work(context).then(
        (result) => finish('completed', null, result),
        (error: unknown) => {
          if (error instanceof TaskCancelledError || task.controller.signal.aborted) {
            finish('cancelled', null, null);
          } else {
            finish('failed', error instanceof Error ? error.message : String(error), null);
          }
        },
      );
    });
    return { taskId: task.taskId, kind };
  }

  private emitProgress(task: RunningTask): void {
    this.lastProgressAt = Date.now();
    const elapsed = (Date.now() - task.startedAt) / 1000;
    // Constant-rate estimate, as the job runner's: time so far × (left / done).
    const etaSeconds =
      task.fraction > 0.001 ? (elapsed * (1 - task.fraction)) / task.fraction : null;
    this.emit('dataset.progress', {
      taskId: task.taskId,
      kind: task.kind,
      fraction: task.fraction,
      etaSeconds,
      message: task.message,
    });
  }
}
