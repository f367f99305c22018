/**
 * The workbench contract: every method and event that crosses a shell, as a flat table of
 * names and zod schemas (in the spirit of tfjs-core's kernel_names.ts). Both shells parse every
 * call's input against `input` and every reply against `output`; the renderer's types come from
 * the same schemas through z.infer, so the two views cannot drift.
 */
import { z } from 'zod';
import { AttackConfig, AttackResult } from './attack-schemas';
import {
  Artifact,
  JobStarted,
  JobSummary,
  MetricPoint,
  ItemName,
  RunReference,
  RunSummary,
} from './run-schemas';
import { BackendStatus } from './backend-schemas';
import {
  DatasetExportRequest,
  DatasetImportPreview,
  DatasetImportRequest,
  DatasetImportSource,
  DatasetTaskKind,
  DatasetTaskResult,
  DatasetTaskStarted,
} from './dataset-io-schemas';
import { DatasetImage, DatasetPage, DatasetPageQuery, DatasetSummary } from './dataset-schemas';
import { FilePath, Id } from './reference-schemas';
import { ModelSummary } from './model-schemas';
import { ProjectName, ProjectSummary, RecentProject } from './project-schemas';
import { TrainingConfig } from './training-schemas';
import { ExperimentConfig, ExperimentRun } from './experiment-schemas';
import { EvaluationConfig, EvaluationRun } from './evaluation-schemas';
import { ModelExportRequest, ModelImportRequest, ModelTransferRun } from './model-io-schemas';
import { RecipeExportRequest } from './recipe-export-schemas';
import { FeaturesConfig } from './features-schemas';
import { FeaturesRun, StreamedFrame } from './features-result-schemas';
import { GalleryItem, NoteUpdate } from './gallery-schemas';
import { RunDisplay, RunDisplayUpdate } from './display-schemas';
import { RunResultsExport, RunResultsExportRequest } from './run-results-schemas';

const NoInput = z.object({}).strict();
const Nothing = z.null();

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const methods = {
  'app.status': method(
    NoInput,
    z.object({
      version: z.string(),
      backend: BackendStatus,
      shell: z.enum(['electron', 'browser', 'cli']),
    }),
  ),

  'projects.recent': method(NoInput, z.array(RecentProject)),
  'projects.current': method(NoInput, ProjectSummary.nullable()),
  'projects.create': method(
    z.object({ path: FilePath, name: ProjectName }).strict(),
    ProjectSummary,
  ),
  'projects.open': method(z.object({ path: FilePath }).strict(), ProjectSummary),
  'projects.openDemo': method(NoInput, ProjectSummary),
  'projects.rename': method(z.object({ name: ProjectName }).strict(), ProjectSummary),
  'projects.saveAs': method(z.object({ path: FilePath }).strict(), ProjectSummary),
  'projects.close': method(NoInput, Nothing),

  'datasets.list': method(NoInput, z.array(DatasetSummary)),
  'datasets.page': method(DatasetPageQuery.strict(), DatasetPage),
  'datasets.image': method(
    z.object({ datasetId: Id, index: z.number().int() }).strict(),
    DatasetImage,
  ),
  /** Reads and checks the files of an import without writing anything. */
  'datasets.previewImport': method(DatasetImportSource, DatasetImportPreview),
  /** Starts an import; progress and the end come as dataset.progress / dataset.finished events. */
  'datasets.import': method(DatasetImportRequest, DatasetTaskStarted),
  /** Starts an export to PNG folders or .npy arrays; events as for an import. */
  'datasets.export': method(DatasetExportRequest, DatasetTaskStarted),
  'datasets.cancelTask': method(z.object({ taskId: z.string().min(1) }).strict(), Nothing),
  /** Deletes a dataset no model was trained on. */
  'datasets.delete': method(z.object({ datasetId: Id }).strict(), Nothing),

  'models.list': method(NoInput, z.array(ModelSummary)),
  /** Refused when another model already has the name (names pick a model in every list). */
  'models.rename': method(z.object({ modelId: Id, name: ItemName }).strict(), ModelSummary),
  /** The runs that used a model (trained it, attacked, evaluated or viewed it), to name first. */
  'models.dependents': method(z.object({ modelId: Id }).strict(), z.array(RunReference)),
  /**
   * Deletes a model and its weights. The runs that used it stay, results and all: their model
   * reference is cleared and their config still names the model id, shown as a deleted model.
   */
  'models.delete': method(z.object({ modelId: Id }).strict(), Nothing),

  'runs.list': method(NoInput, z.array(RunSummary)),
  'runs.rename': method(z.object({ runId: Id, name: ItemName }).strict(), RunSummary),
  'runs.metrics': method(z.object({ runId: Id }).strict(), z.array(MetricPoint)),
  'runs.attackResult': method(z.object({ runId: Id }).strict(), AttackResult),
  'artifacts.get': method(z.object({ artifactId: Id }).strict(), Artifact),

  'jobs.list': method(NoInput, z.array(JobSummary)),
  'jobs.startTraining': method(TrainingConfig.strict(), JobStarted),
  'jobs.startAttack': method(AttackConfig.strict(), JobStarted),
  /** Resumes an interrupted (or cancelled, or failed) training run from its last checkpoint. */
  'jobs.resumeTraining': method(z.object({ runId: Id }).strict(), JobStarted),
  /** Starts one experiment of the program (see experiment-schemas.ts) as a run. */
  'jobs.startExperiment': method(ExperimentConfig, JobStarted),
  'runs.experimentResult': method(z.object({ runId: Id }).strict(), ExperimentRun),
  /** Starts a robustness evaluation (curves over ε per attack, worst case, sanity checks). */
  'jobs.startEvaluation': method(EvaluationConfig, JobStarted),
  'runs.evaluationResult': method(z.object({ runId: Id }).strict(), EvaluationRun),
  /**
   * Writes a finished attack's or evaluation's per-example results (CSV and/or .npy tables, the
   * adversarial images as .npy, run.json) into a new or empty folder.
   */
  'runs.exportResults': method(RunResultsExportRequest, RunResultsExport),
  'jobs.cancel': method(z.object({ jobId: z.string().min(1) }).strict(), Nothing),
  /** Imports a TensorFlow.js layers model (model.json) for a project dataset, as an 'import' run. */
  'jobs.importModel': method(ModelImportRequest, JobStarted),
  /** Exports a model as .npz + architecture JSON or as a tfjs layers model, as an 'export' run. */
  'jobs.exportModel': method(ModelExportRequest, JobStarted),
  /** The stored result of a finished model import or export run (model id, notes, files). */
  'runs.modelTransferResult': method(z.object({ runId: Id }).strict(), ModelTransferRun),
  /** Writes a training recipe as a PyTorch DistributedDataParallel folder, as an 'export' run. */
  'jobs.exportRecipe': method(RecipeExportRequest, JobStarted),
  /** Starts one view of the features lab (saliency, inversion, …) as a 'features' run. */
  'jobs.startFeatures': method(FeaturesConfig, JobStarted),
  'runs.featuresResult': method(z.object({ runId: Id }).strict(), FeaturesRun),
  /** Every completed features run, newest first, with its note (the gallery). */
  'gallery.list': method(NoInput, z.array(GalleryItem)),
  'notes.get': method(NoteUpdate.pick({ subjectKind: true, subjectId: true }).strict(), z.string()),
  /** Writes (or, blank, removes) the note on a run, model or dataset. */
  'notes.set': method(NoteUpdate, Nothing),
  /** How a run's figures were last drawn (colormap, opacity); null where never changed. */
  'runs.display': method(z.object({ runId: Id }).strict(), RunDisplay.nullable()),
  'runs.setDisplay': method(RunDisplayUpdate, Nothing),
} as const;

export type MethodName = keyof typeof methods;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof methods)[M]['output']>;
export const methodNames = Object.keys(methods) as MethodName[];

export const events = {
  /** At least once a second while a job runs. */
  'job.progress': z.object({
    jobId: z.string(),
    runId: Id,
    /** 0..1 of the whole job. */
    fraction: z.number().min(0).max(1),
    /** Seconds left, estimated from the rate so far; null before the first estimate. */
    etaSeconds: z.number().nullable(),
    /**
     * Seconds since the job left the queue. The run's startedAt is written a moment later and a
     * client's copy of the run list may not have it yet, so a live clock counts from this.
     */
    elapsedSeconds: z.number().min(0),
    message: z.string(),
  }),
  /** Metric values logged at one step of a run (loss, accuracy, …), for live charts. */
  'job.metrics': z.object({
    runId: Id,
    step: z.number(),
    values: z.record(z.string(), z.number()),
  }),
  /** Intermediate pictures of a running features view, a few times a second at most. */
  'job.frames': z.object({ runId: Id, frames: z.array(StreamedFrame) }),
  'job.finished': z.object({
    jobId: z.string(),
    runId: Id,
    state: z.enum(['completed', 'failed', 'cancelled']),
    error: z.string().nullable(),
  }),
  /** At least once a second while a dataset import or export runs. */
  'dataset.progress': z.object({
    taskId: z.string(),
    kind: DatasetTaskKind,
    fraction: z.number().min(0).max(1),
    etaSeconds: z.number().nullable(),
    message: z.string(),
  }),
  'dataset.finished': z.object({
    taskId: z.string(),
    kind: DatasetTaskKind,
    state: z.enum(['completed', 'failed', 'cancelled']),
    error: z.string().nullable(),
    /** null unless completed. */
    result: DatasetTaskResult.nullable(),
  }),
  'project.changed': z.object({ project: ProjectSummary.nullable() }),
  'backend.changed': BackendStatus,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const eventNames = Object.keys(events) as EventName[];

/** The renderer's whole view of the workbench: one async function per method, plus events. */
export interface WorkbenchApi {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * One problem with a refused input: where in the input (`['perturbation', 'epsilon']`) and what,
 * in the user's words ("ε must be greater than 0"). A form maps the path to the field it came
 * from and shows the message there.
 */
export const CallIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type CallIssue = z.infer<typeof CallIssue>;

/**
 * What a shell sends back when a call fails: a message meant for the person at the screen, and
 * for a refused input its problems one by one (optional: older shells and other failures have
 * none).
 */
export const CallError = z.object({
  message: z.string(),
  code: z.enum(['invalid-input', 'failed']),
  issues: z.array(CallIssue).optional(),
});
export type CallError = z.infer<typeof CallError>;

/** Turns a zod failure into one readable line: "ε must be greater than 0 (perturbation.epsilon)". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.message} (${issue.path.join('.')})` : issue.message,
    )
    .join('; ');
}
