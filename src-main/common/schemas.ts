/**
 * The data shapes that cross the contract. Pure zod, no runtime-specific imports: the renderer,
 * both shells and the core all import these, so the compile-time types (z.infer) and the
 * run-time checks cannot drift apart.
 */
import { z } from 'zod';

/** A positive finite number; NaN and ±Infinity are refused with a message that names them. */
const numberError = (what: string) => (issue: { input?: unknown }) =>
  typeof issue.input === 'number'
    ? `${what} must be a finite number (got ${String(issue.input)})`
    : `${what} must be a number`;

const finitePositive = (what: string) =>
  z.number({ error: numberError(what) }).gt(0, { message: `${what} must be greater than 0` });

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: numberError(what) })
    .int({ message: `${what} must be a whole number` })
    .min(min, { message: `${what} must be at least ${min}` })
    .max(max, { message: `${what} must be at most ${max}` });

export const Id = z.number().int().positive();
export const FilePath = z.string().trim().min(1, { message: 'a file path is required' });

// ── Engine and backends ──────────────────────────────────────────────────────────────────────

export const BackendName = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

export const BackendAttempt = z.object({
  backend: BackendName,
  ok: z.boolean(),
  /** Why this backend was not used (missing package, failed init, skipped by a forced choice). */
  reason: z.string(),
});
/** The native kernel addon (im2col + OpenBLAS) in front of the wasm/cpu backend's heavy kernels. */
export const NativeKernelStatus = z.object({
  active: z.boolean(),
  /** Which kernels run natively and on what BLAS, or why the addon is not in use. */
  detail: z.string(),
});
export type NativeKernelStatus = z.infer<typeof NativeKernelStatus>;

export const BackendStatus = z.object({
  /** null until the engine worker has started. */
  active: BackendName.nullable(),
  attempts: z.array(BackendAttempt),
  forcedBy: z.string().nullable(),
  /** null until the engine has started, and for the tensorflow backends (native already). */
  nativeKernels: NativeKernelStatus.nullable(),
});
export type BackendStatus = z.infer<typeof BackendStatus>;

// ── Projects ─────────────────────────────────────────────────────────────────────────────────

export const ProjectSummary = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  counts: z.object({
    datasets: z.number().int(),
    models: z.number().int(),
    runs: z.number().int(),
  }),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const RecentProject = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
export type RecentProject = z.infer<typeof RecentProject>;

export const ProjectName = z
  .string()
  .trim()
  .min(1, { message: 'a project name is required' })
  .max(200, { message: 'a project name is at most 200 characters' });

// ── Datasets ─────────────────────────────────────────────────────────────────────────────────

export const SplitName = z.enum(['train', 'test']);
export type SplitName = z.infer<typeof SplitName>;

export const DatasetSummary = z.object({
  id: Id,
  name: z.string(),
  /** [height, width, channels] of every image. */
  imageShape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  count: z.number().int(),
  classNames: z.array(z.string()),
  /** classCounts[split][class] */
  classCounts: z.record(SplitName, z.array(z.number().int())),
  /** How the split was made, as recorded in the project (algorithm, seed, sizes). */
  split: z.object({
    method: z.string(),
    seed: z.number().int(),
    train: z.number().int(),
    test: z.number().int(),
  }),
  source: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const DatasetImage = z.object({
  index: z.number().int().nonnegative(),
  label: z.number().int().nonnegative(),
  split: SplitName,
  /** base64 of height·width·channels uint8 pixels, row-major HWC. */
  pixels: z.string(),
});
export type DatasetImage = z.infer<typeof DatasetImage>;

export const DatasetPageQuery = z.object({
  datasetId: Id,
  split: SplitName.optional(),
  label: z.number().int().min(0).optional(),
  offset: z.number().int().nonnegative(),
  limit: z.number().int().min(1).max(2000),
});
export const DatasetPage = z.object({ total: z.number().int(), items: z.array(DatasetImage) });
export type DatasetPage = z.infer<typeof DatasetPage>;

// ── Models ───────────────────────────────────────────────────────────────────────────────────

export const ArchitectureName = z.enum(['small-cnn', 'madry-cnn', 'cifar-cnn']);
export type ArchitectureName = z.infer<typeof ArchitectureName>;

export const ModelSummary = z.object({
  id: Id,
  name: z.string(),
  architecture: ArchitectureName,
  datasetId: Id,
  trainingRunId: Id.nullable(),
  robust: z.boolean(),
  createdAt: z.string(),
  parameterCount: z.number().int(),
  /** Accuracy on the dataset's test split measured at the end of training. */
  testAccuracy: z.number().nullable(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

// ── Perturbation sets and attacks ────────────────────────────────────────────────────────────

export const ConstraintName = z.enum(['linf', 'l2']);
export type ConstraintName = z.infer<typeof ConstraintName>;

/**
 * A threat model: the ε-ball of one norm around the clean input, intersected with [0,1].
 * ε is in pixel units on the [0,1] scale (ε = 0.3 under L∞ means ±0.3 per pixel).
 */
export const PerturbationSet = z.object({
  constraint: ConstraintName,
  epsilon: finitePositive('ε'),
  steps: wholeNumber('steps', 1, 10_000),
  stepSize: finitePositive('step size'),
  randomStart: z.boolean(),
});
export type PerturbationSet = z.infer<typeof PerturbationSet>;

export const AttackMethod = z.enum(['fgsm', 'pgd']);
export type AttackMethod = z.infer<typeof AttackMethod>;

export const AttackConfig = z.object({
  modelId: Id,
  datasetId: Id,
  /** Indices into the dataset (test-split images are the usual choice). */
  indices: z
    .array(z.number().int().nonnegative({ message: 'an image index cannot be negative' }))
    .min(1, { message: 'choose at least one image' })
    .max(5000, { message: 'at most 5000 images per attack' }),
  method: AttackMethod,
  perturbation: PerturbationSet,
  restarts: wholeNumber('restarts', 1, 100),
  /** null: untargeted (maximize the true-class loss); a class: targeted (minimize its loss). */
  targetClass: z.number().int().min(0).nullable(),
  seed: z.number().int(),
});
export type AttackConfig = z.infer<typeof AttackConfig>;

// ── Training ─────────────────────────────────────────────────────────────────────────────────

export const OptimizerName = z.enum(['sgd', 'momentum', 'adam']);
export type OptimizerName = z.infer<typeof OptimizerName>;

export const TrainingConfig = z.object({
  datasetId: Id,
  modelName: z.string().trim().min(1, { message: 'a model name is required' }).max(200),
  architecture: ArchitectureName,
  epochs: wholeNumber('epochs', 1, 1000),
  batchSize: wholeNumber('batch size', 1, 4096),
  learningRate: finitePositive('learning rate'),
  optimizer: OptimizerName,
  seed: z.number().int(),
  /** Use only the first N training images (after the seeded shuffle); null: all of them. */
  trainLimit: z.number().int().min(1).nullable(),
  /** null: standard training. Otherwise PGD adversarial training (Madry et al. 2018). */
  adversarial: PerturbationSet.nullable(),
  /**
   * Adversarial training only: ε (and the step size with it) grows linearly from 0 to its full
   * value over this many epochs, batch by batch; 0 trains at full ε from the first batch. Large
   * ε from random weights often never leaves chance level (measured here: small-cnn at ε = 0.3).
   */
  epsilonWarmupEpochs: z
    .number({ error: numberError('ε warm-up epochs') })
    .min(0, { message: 'ε warm-up epochs cannot be negative' })
    .max(1000)
    .default(0),
});
export type TrainingConfig = z.infer<typeof TrainingConfig>;

// ── Runs, metrics, artifacts, jobs ───────────────────────────────────────────────────────────

export const RunKind = z.enum(['train', 'attack']);
export type RunKind = z.infer<typeof RunKind>;
export const RunStatus = z.enum([
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunSummary = z.object({
  id: Id,
  kind: RunKind,
  name: z.string(),
  status: RunStatus,
  config: z.unknown(),
  seed: z.number().int(),
  backend: z.string().nullable(),
  engineVersion: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  modelId: Id.nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const MetricPoint = z.object({ step: z.number(), key: z.string(), value: z.number() });
export type MetricPoint = z.infer<typeof MetricPoint>;

export const TopPrediction = z.object({ label: z.number().int(), probability: z.number() });
export type TopPrediction = z.infer<typeof TopPrediction>;

/** One image of an attack result: the three pictures and what the model said about each. */
export const AttackExample = z.object({
  index: z.number().int(),
  label: z.number().int(),
  originalArtifactId: Id,
  perturbationArtifactId: Id,
  adversarialArtifactId: Id,
  cleanTop5: z.array(TopPrediction),
  adversarialTop5: z.array(TopPrediction),
  linfNorm: z.number(),
  l2Norm: z.number(),
  /** Untargeted: the adversarial prediction is wrong. Targeted: it is the target class. */
  success: z.boolean(),
});
export type AttackExample = z.infer<typeof AttackExample>;

export const AttackResult = z.object({
  runId: Id,
  config: AttackConfig,
  cleanAccuracy: z.number(),
  robustAccuracy: z.number(),
  /** Mean loss over the set after each step (step 0 is the start point). */
  lossPerStep: z.array(z.number()),
  examples: z.array(AttackExample),
});
export type AttackResult = z.infer<typeof AttackResult>;

export const Artifact = z.object({
  id: Id,
  runId: Id,
  kind: z.string(),
  shape: z.array(z.number().int()),
  dtype: z.enum(['uint8', 'float32']),
  /** base64 of the raw little-endian values. */
  data: z.string(),
  meta: z.record(z.string(), z.unknown()),
});
export type Artifact = z.infer<typeof Artifact>;

export const JobState = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export const JobSummary = z.object({
  jobId: z.string(),
  runId: Id,
  kind: RunKind,
  state: JobState,
  fraction: z.number(),
  message: z.string(),
});
export type JobSummary = z.infer<typeof JobSummary>;
export const JobStarted = z.object({ jobId: z.string(), runId: Id });
