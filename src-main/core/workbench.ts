/**
 * The core behind every shell: one handler per contract method, plus the events it emits. Shells
 * parse inputs and outputs against the contract before and after calling these handlers; the
 * handlers receive already-validated values.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import type {
  EventName,
  EventPayload,
  MethodName,
  MethodOutput,
  methods,
} from '../common/contract';
import type { EngineSettings } from '../common/environment-settings';
import type { BackendName, BackendStatus } from '../common/backend-schemas';
import type { RunKind } from '../common/run-schemas';
import type { DatasetImage, DatasetSummary } from '../common/dataset-schemas';
import type { DatasetProvenance, DatasetRecord } from '../db/repositories/dataset-repository';
import { StoredJson } from '../db/repositories/stored-json';
import { defineAttackJob, readAttackResult } from './attack-job';
import { defineTrainingJob, defineTrainingResume } from './training-job';
import { defineExperimentJob } from './experiments/experiment-job';
import { defineFeaturesJob } from './features/features-job';
import { galleryItems } from './features/gallery';
import { modelDependents } from './model-dependents';
import { listedModel, listedModels } from './model-spec';
import type { NoteSubject } from '../db/repositories/note-repository';
import { FeaturesConfig } from '../common/features-schemas';
import { FeaturesResult } from '../common/features-result-schemas';
import { ExperimentConfig, ExperimentResult } from '../common/experiment-schemas';
import { EvaluationConfig, EvaluationResult } from '../common/evaluation-schemas';
import { defineEvaluationJob } from './evaluation-job';
import { exportRunResults } from './run-results/run-results-export';
import { ModelTransferResult } from '../common/model-io-schemas';
import { defineModelExportJob, defineModelImportJob } from './model-io-jobs';
import { defineRecipeExportJob } from './recipe-export/recipe-export-job';
import { EnginePool } from './engine-pool';
import { JobRunner } from './job-runner';
import { DatasetService } from './dataset-service';
import { ProjectService } from './project-service';
import { RecentProjects } from './recent-projects';

export interface WorkbenchOptions {
  /** Folder for the recent-projects list and the demo project. */
  homeDir: string;
  /** Path of the built engine worker (out/main/engine-worker.js). */
  engineWorkerPath: string;
  /**
   * Engine worker threads: split jobs (attacks) run one shard per worker on the wasm/cpu
   * backends. One per core by default (RFW_ENGINE_WORKERS overrides).
   */
  engineWorkers: number;
  /** Forces one backend (from the RFW_BACKEND setting), or null for the fallback chain. */
  forcedBackend: BackendName | null;
  /**
   * What each engine worker is started with (RFW_NATIVE_KERNELS, RFW_KERNEL_THREADS): workers
   * do not read the environment themselves. Absent: the defaults (native kernels on).
   */
  engineSettings?: EngineSettings;
  shell: 'electron' | 'browser' | 'cli';
  /** better-sqlite3 addon built for Electron's ABI (RFW_SQLITE_BINDING), or null for Node's. */
  sqliteNativeBinding: string | null;
  version: string;
}

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
type Handlers = {
  [M in MethodName]: (
    input: z.output<(typeof methods)[M]['input']>,
  ) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export class Workbench {
  readonly projects: ProjectService;
  readonly jobs: JobRunner;
  /** Dataset import, export and deletion (tasks on the main process, not engine jobs). */
  readonly datasetService: DatasetService;
  private readonly engine: EnginePool;
  private readonly recentProjects: RecentProjects;
  private readonly listeners = new Set<Listener>();
  private backend: BackendStatus = {
    active: null,
    attempts: [],
    forcedBy: null,
    nativeKernels: null,
  };
  private engineVersion = 'not started';

  constructor(private readonly options: WorkbenchOptions) {
    const recent = new RecentProjects(join(options.homeDir, 'recent-projects.json'));
    this.projects = new ProjectService(
      options.homeDir,
      recent,
      (project) => this.emit('project.changed', { project }),
      { nativeBinding: options.sqliteNativeBinding },
      options.shell,
    );
    this.engine = new EnginePool(
      options.engineWorkerPath,
      options.forcedBackend,
      options.engineWorkers,
      (ready) => {
        this.backend = ready.backend;
        this.engineVersion = ready.engineVersion;
        this.emit('backend.changed', ready.backend);
      },
      options.engineSettings,
    );
    this.jobs = new JobRunner(
      this.engine,
      (event, payload) => this.emit(event, payload),
      () => ({
        backend: this.backend.active ?? 'unknown',
        engineVersion: this.engineVersion,
      }),
      () => this.projects.current?.path ?? null,
    );
    this.recentProjects = recent;
    this.datasetService = new DatasetService(this.projects, (event, payload) =>
      this.emit(event, payload),
    );
  }

  /** Starts the engine worker early so the backend status is known before the first job. */
  warmUp(): void {
    this.engine.start().catch(() => {
      // The failure is reported again, with its message, by the first job that needs the engine.
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    this.datasetService.shutdown();
    await this.jobs.shutdown();
    this.projects.close();
  }

  /**
   * Events are emitted from timers, worker handlers and job ends, where a listener's exception
   * (a shell that cannot send) would end the process or cut a job's end short: each listener's
   * failure is logged and the others still get the event.
   */
  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        console.error(`workbench: a listener of ${event} failed`, error);
      }
    }
  }

  /** Switching or closing the project under a running job would cut its results off. */
  /** Throws "there is no run 12 in this project" (etc.) for a note on nothing. */
  private requireSubject(kind: NoteSubject, id: number): void {
    const store = this.projects.requireCurrent();
    if (kind === 'run') store.runs.summary(id);
    else if (kind === 'model') store.models.summary(id);
    else store.datasets.get(id);
  }

  /** What a runs.<kind>Result method returns: the completed run's id, config and result. */
  private completedRun<C extends z.ZodType, R extends z.ZodType>(
    runId: number,
    kind: RunKind,
    schemas: { config: C; result: R },
  ): { runId: number; config: z.output<C>; result: z.output<R> } {
    const { config, result } = this.projects.requireCurrent().runs.completed(runId, kind, schemas);
    return { runId, config, result };
  }

  private requireIdle(action: string): void {
    if (this.jobs.busy)
      throw new Error(`a job is running: cancel it or wait for it to finish before you ${action}`);
    if (this.datasetService.busy)
      throw new Error(
        `a dataset import or export is running: cancel it or wait for it to finish before you ${action}`,
      );
  }

  readonly handlers: Handlers = {
    'app.status': () => ({
      version: this.options.version,
      backend: this.backend,
      shell: this.options.shell,
    }),

    'projects.recent': () => this.recentProjects.list(),
    'projects.current': () => this.projects.summary(),
    'projects.create': ({ path, name }) => {
      this.requireIdle('create a project');
      return this.projects.create(path, name);
    },
    'projects.open': ({ path }) => {
      this.requireIdle('open another project');
      return this.projects.open(path);
    },
    'projects.openDemo': () => {
      this.requireIdle('open the demo project');
      return this.projects.openDemo();
    },
    'projects.rename': ({ name }) => this.projects.rename(name),
    'projects.saveAs': ({ path }) => {
      this.requireIdle('save the project under a new name');
      return this.projects.saveAs(path);
    },
    'projects.close': () => {
      this.requireIdle('close the project');
      this.projects.close();
      return null;
    },

    'datasets.list': () => this.projects.requireCurrent().datasets.list().map(summarizeDataset),
    'datasets.page': ({ datasetId, split, label, offset, limit }) => {
      const store = this.projects.requireCurrent();
      const dataset = store.datasets.get(datasetId);
      const matching: number[] = [];
      for (let index = 0; index < dataset.count; index += 1) {
        if (split !== undefined && dataset.splits[index] !== (split === 'train' ? 0 : 1)) continue;
        if (label !== undefined && dataset.labels[index] !== label) continue;
        matching.push(index);
      }
      const indices = matching.slice(offset, offset + limit);
      return {
        total: matching.length,
        items: toImages(
          dataset,
          store.datasets.provenance(dataset.id),
          indices,
          store.datasets.readImages(dataset, indices),
        ),
      };
    },
    'datasets.image': ({ datasetId, index }) => {
      const store = this.projects.requireCurrent();
      const dataset = store.datasets.get(datasetId);
      const [image] = toImages(
        dataset,
        store.datasets.provenance(dataset.id),
        [index],
        store.datasets.readImages(dataset, [index]),
      );
      if (!image) throw new Error(`image ${index} could not be read`);
      return image;
    },
    'datasets.previewImport': (source) => this.datasetService.preview(source),
    'datasets.import': (request) => this.datasetService.startImport(request),
    'datasets.export': (request) => this.datasetService.startExport(request),
    'datasets.cancelTask': ({ taskId }) => {
      this.datasetService.cancel(taskId);
      return null;
    },
    'datasets.delete': ({ datasetId }) => {
      this.requireIdle('delete a dataset');
      this.datasetService.delete(datasetId);
      return null;
    },

    'models.list': () => listedModels(this.projects.requireCurrent().models),

    'models.rename': ({ modelId, name }) => {
      const store = this.projects.requireCurrent();
      store.models.rename(modelId, name);
      return listedModel(store.models, modelId);
    },
    'models.dependents': ({ modelId }) => {
      const store = this.projects.requireCurrent();
      store.models.summary(modelId);
      return modelDependents(store.runs.list(), modelId);
    },
    'models.delete': ({ modelId }) => {
      // A queued or running job may be about to read the weights.
      this.requireIdle('delete a model');
      this.projects.requireCurrent().models.delete(modelId);
      return null;
    },

    'runs.list': () => this.projects.requireCurrent().runs.list(),
    'runs.rename': ({ runId, name }) => {
      const store = this.projects.requireCurrent();
      store.runs.rename(runId, name);
      return store.runs.summary(runId);
    },
    'runs.metrics': ({ runId }) => this.projects.requireCurrent().metrics.forRun(runId),
    'runs.attackResult': ({ runId }) => readAttackResult(this.projects.requireCurrent(), runId),
    'artifacts.get': ({ artifactId }) => {
      const artifact = this.projects.requireCurrent().artifacts.get(artifactId);
      return { ...artifact, data: artifact.data.toString('base64') };
    },

    'jobs.list': () => this.jobs.list(),
    'jobs.startTraining': (config) =>
      this.jobs.enqueue(defineTrainingJob(this.projects.requireCurrent(), config)),
    'jobs.startAttack': (config) =>
      this.jobs.enqueue(defineAttackJob(this.projects.requireCurrent(), config, this.engine.size)),
    'jobs.startExperiment': (config) =>
      this.jobs.enqueue(defineExperimentJob(this.projects.requireCurrent(), config)),
    'runs.experimentResult': ({ runId }) =>
      this.completedRun(runId, 'experiment', {
        config: ExperimentConfig,
        result: ExperimentResult,
      }),
    'jobs.startFeatures': (config) =>
      this.jobs.enqueue(defineFeaturesJob(this.projects.requireCurrent(), config)),
    'runs.featuresResult': ({ runId }) =>
      this.completedRun(runId, 'features', { config: FeaturesConfig, result: FeaturesResult }),
    'gallery.list': () => galleryItems(this.projects.requireCurrent()),
    'notes.get': ({ subjectKind, subjectId }) => {
      const store = this.projects.requireCurrent();
      this.requireSubject(subjectKind, subjectId);
      return store.notes.get(subjectKind, subjectId)?.body ?? '';
    },
    'notes.set': ({ subjectKind, subjectId, body }) => {
      this.requireSubject(subjectKind, subjectId);
      this.projects.requireCurrent().notes.set(subjectKind, subjectId, body);
      return null;
    },
    'runs.display': ({ runId }) => {
      const store = this.projects.requireCurrent();
      store.runs.summary(runId);
      return store.displays.get(runId);
    },
    'runs.setDisplay': ({ runId, display }) => {
      const store = this.projects.requireCurrent();
      store.runs.summary(runId);
      store.displays.set(runId, display);
      return null;
    },
    'jobs.startEvaluation': (config) =>
      this.jobs.enqueue(
        defineEvaluationJob(this.projects.requireCurrent(), config, this.engine.size),
      ),
    'runs.evaluationResult': ({ runId }) =>
      this.completedRun(runId, 'evaluation', {
        config: EvaluationConfig,
        result: EvaluationResult,
      }),
    'runs.exportResults': (request) => exportRunResults(this.projects.requireCurrent(), request),
    'jobs.resumeTraining': ({ runId }) => {
      const live = this.jobs
        .list()
        .some((job) => job.runId === runId && (job.state === 'queued' || job.state === 'running'));
      if (live) throw new Error(`run ${runId} is already queued or running`);
      return this.jobs.enqueue(defineTrainingResume(this.projects.requireCurrent(), runId));
    },
    'jobs.cancel': ({ jobId }) => {
      this.jobs.cancel(jobId);
      return null;
    },
    'jobs.importModel': (request) =>
      this.jobs.enqueue(defineModelImportJob(this.projects.requireCurrent(), request)),
    'jobs.exportModel': (request) =>
      this.jobs.enqueue(defineModelExportJob(this.projects.requireCurrent(), request)),
    'jobs.exportRecipe': async (request) =>
      this.jobs.enqueue(await defineRecipeExportJob(this.projects.requireCurrent(), request)),
    'runs.modelTransferResult': ({ runId }) => {
      const { result } = this.projects
        .requireCurrent()
        .runs.completed(runId, ['import', 'export'], {
          config: StoredJson,
          result: ModelTransferResult,
        });
      return { runId, result };
    },
  };
}

function summarizeDataset(dataset: DatasetRecord): DatasetSummary {
  const classes = dataset.classNames.length;
  const classCounts = {
    train: new Array<number>(classes).fill(0),
    test: new Array<number>(classes).fill(0),
  };
  dataset.labels.forEach((label, index) => {
    const counts = dataset.splits[index] === 0 ? classCounts.train : classCounts.test;
    counts[label] = (counts[label] ?? 0) + 1;
  });
  return {
    id: dataset.id,
    name: dataset.name,
    imageShape: dataset.imageShape,
    count: dataset.count,
    classNames: dataset.classNames,
    classCounts,
    split: dataset.split,
    source: dataset.source,
  };
}

function toImages(
  dataset: DatasetRecord,
  provenance: DatasetProvenance | null,
  indices: number[],
  pixels: Uint8Array | Float32Array,
): DatasetImage[] {
  const [height, width, channels] = dataset.imageShape;
  const size = height * width * channels;
  return indices.map((index, n) => {
    const slice = pixels.subarray(n * size, (n + 1) * size);
    // The grid shows bytes; float datasets are quantized for display only, never in storage.
    const bytes =
      slice instanceof Uint8Array
        ? slice
        : Uint8Array.from(slice, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
    return {
      index,
      label: dataset.labels[index] ?? -1,
      split: dataset.splits[index] === 0 ? 'train' : 'test',
      source: provenance && {
        datasetId: provenance.sourceDatasetId,
        datasetName: provenance.sourceDatasetName,
        index: provenance.sourceIndices[index] ?? 0,
        label: provenance.originalLabels[index] ?? 0,
      },
      pixels: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    };
  });
}
