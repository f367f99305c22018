/**
 * The data shapes that cross the contract. Pure zod, no runtime-specific imports: the renderer,
 * both shells and the core all import these, so the compile-time types (z.infer) and the
 * run-time checks cannot drift apart.
 */
import { z } from 'zod';
import { OnnxProvenance } from './onnx-provenance-schemas';
import { finitePositive, numberError, wholeNumber } from './number-schemas';
import { AttackLoss, ConstraintName } from './attacks/threat-models';
import { attackJobFieldSchemas, attackMethodNames } from './attacks/attack-registry';

export { finitePositive, numberError, wholeNumber };

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

/** How a dataset's train/test split was made (algorithm, seed, sizes), as a project records it. */
export const SplitInfo = z.object({
  method: z.string(),
  seed: z.number().int(),
  train: z.number().int().nonnegative(),
  test: z.number().int().nonnegative(),
});
export type SplitInfo = z.infer<typeof SplitInfo>;

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
  split: SplitInfo,
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

// ── Dataset import and export ────────────────────────────────────────────────────────────────

/**
 * Where class names come from: numbered ('0', '1', …, as many as the largest label + 1), a known
 * preset, or a list typed by the user (its length is the number of classes). CIFAR takes its
 * names from batches.meta.txt / *_label_names.txt when that file exists and `numbered` is chosen.
 */
export const ClassNamesChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('numbered') }).strict(),
  z.object({ kind: z.literal('fashion-mnist') }).strict(),
  z.object({ kind: z.literal('cifar-10') }).strict(),
  z
    .object({
      kind: z.literal('custom'),
      names: z
        .array(z.string().trim().min(1, { message: 'a class name cannot be empty' }))
        .min(2, { message: 'give at least two class names' })
        .max(1000),
    })
    .strict(),
]);
export type ClassNamesChoice = z.infer<typeof ClassNamesChoice>;

/** MNIST-format IDX files (plain or .gz): train images + labels, optionally test images + labels. */
export const IdxFilesSource = z
  .object({
    format: z.literal('idx-files'),
    trainImages: FilePath,
    trainLabels: FilePath,
    testImages: FilePath.nullable(),
    testLabels: FilePath.nullable(),
    classNames: ClassNamesChoice,
  })
  .strict();
/** A folder holding the standard names train-images-idx3-ubyte[.gz], …, t10k-labels-idx1-ubyte[.gz]. */
export const IdxFolderSource = z
  .object({ format: z.literal('idx-folder'), folder: FilePath, classNames: ClassNamesChoice })
  .strict();
/** A folder of CIFAR binary batches (data_batch_1..5.bin + test_batch.bin, or train.bin + test.bin). */
export const CifarSource = z
  .object({
    format: z.enum(['cifar-10', 'cifar-100']),
    folder: FilePath,
    /** CIFAR-100 only: which of the two label bytes becomes the label. */
    labelKind: z.enum(['fine', 'coarse']).default('fine'),
    classNames: ClassNamesChoice,
  })
  .strict();
export const ImageFitName = z.enum(['cover', 'contain', 'fill']);
export type ImageFitName = z.infer<typeof ImageFitName>;
/**
 * PNG/JPEG files, one sub-folder per class (optionally inside train/ and test/ top folders; else a
 * seeded, class-stratified split with `testFraction` of each class in test).
 */
export const ImageFolderSource = z
  .object({
    format: z.literal('image-folder'),
    folder: FilePath,
    /** Resize every image to this size; null keeps the files' size (they must all agree). */
    size: z
      .object({ height: wholeNumber('height', 1, 1024), width: wholeNumber('width', 1, 1024) })
      .strict()
      .nullable(),
    /** How an image of another aspect ratio is fitted: crop (cover), pad black (contain), stretch (fill). */
    fit: ImageFitName.default('cover'),
    color: z.enum(['grayscale', 'rgb']),
    testFraction: z
      .number({ error: numberError('test fraction') })
      .min(0, { message: 'the test fraction must be between 0 and 0.9' })
      .max(0.9, { message: 'the test fraction must be between 0 and 0.9' })
      .default(0.2),
    seed: z.number().int().default(0),
  })
  .strict();
const Probability = (what: string) =>
  z
    .number({ error: numberError(what) })
    .min(0, { message: `${what} must lie in [0, 1]` })
    .max(1, { message: `${what} must lie in [0, 1]` });
/**
 * Not files: the synthetic "robust vs non-robust features" images (engine/data/synthetic-features.ts).
 * The label is carried by a large shape (robust) and, independently, by a faint per-class
 * pattern of amplitude δ (non-robust), each agreeing with the label with its own probability.
 * Stored as float32: quantizing to bytes would erase a pattern of δ ≈ 4/255.
 */
export const SyntheticFeaturesSource = z
  .object({
    format: z.literal('synthetic-features'),
    count: wholeNumber('images', 20, 60_000),
    numClasses: wholeNumber('classes', 2, 10),
    height: wholeNumber('height', 8, 256),
    width: wholeNumber('width', 8, 256),
    channels: z.union([z.literal(1), z.literal(3)]),
    robust: z
      .object({
        correlation: Probability('shape correlation'),
        contrast: Probability('shape contrast'),
      })
      .strict(),
    nonRobust: z
      .object({
        correlation: Probability('pattern correlation'),
        amplitude: z
          .number({ error: numberError('pattern amplitude') })
          .min(0, { message: 'the pattern amplitude must lie in [0, 0.25]' })
          .max(0.25, { message: 'the pattern amplitude must lie in [0, 0.25]' }),
      })
      .strict(),
    testFraction: z
      .number({ error: numberError('test fraction') })
      .gt(0, { message: 'the test fraction must be between 0 and 0.9' })
      .max(0.9, { message: 'the test fraction must be between 0 and 0.9' })
      .default(1 / 6),
    seed: z.number().int().default(0),
  })
  .strict();
export type SyntheticFeaturesSource = z.infer<typeof SyntheticFeaturesSource>;

export const DatasetImportSource = z.discriminatedUnion('format', [
  IdxFilesSource,
  IdxFolderSource,
  CifarSource,
  ImageFolderSource,
  SyntheticFeaturesSource,
]);
export type DatasetImportSource = z.infer<typeof DatasetImportSource>;

export const DatasetImportRequest = z
  .object({
    source: DatasetImportSource,
    name: z.string().trim().min(1, { message: 'a dataset name is required' }).max(200),
  })
  .strict();
export type DatasetImportRequest = z.infer<typeof DatasetImportRequest>;

/** What an import would produce, checked before anything is written. */
export const DatasetImportPreview = z.object({
  /** True when `problems` is empty: the import would succeed. */
  ok: z.boolean(),
  /** Why the import cannot go ahead, one sentence each, naming the file and the fault. */
  problems: z.array(z.string()),
  /** Facts worth knowing that do not block the import (e.g. "no test files: all images train"). */
  notes: z.array(z.string()),
  /** The files that would be read. */
  files: z.array(z.string()),
  /** [height, width, channels] after import; null when it cannot be known. */
  imageShape: z.tuple([z.number().int(), z.number().int(), z.number().int()]).nullable(),
  classNames: z.array(z.string()),
  /** counts[split][class] */
  counts: z.record(SplitName, z.array(z.number().int())),
  /** A few images as they would be stored (uint8 HWC, base64), a couple per class. */
  samples: z.array(z.object({ label: z.number().int(), split: SplitName, pixels: z.string() })),
});
export type DatasetImportPreview = z.infer<typeof DatasetImportPreview>;

export const DatasetExportFormat = z.enum(['png', 'npy']);
export type DatasetExportFormat = z.infer<typeof DatasetExportFormat>;
export const DatasetExportRequest = z
  .object({
    datasetId: Id,
    format: DatasetExportFormat,
    /** A folder that does not exist yet or is empty; nothing is ever overwritten. */
    folder: FilePath,
    /** .npy only: the labels' dtype (int64 is what PyTorch's cross-entropy expects). */
    labelDtype: z.enum(['int64', 'int32']).default('int64'),
  })
  .strict();
export type DatasetExportRequest = z.infer<typeof DatasetExportRequest>;

export const DatasetTaskKind = z.enum(['import', 'export']);
export type DatasetTaskKind = z.infer<typeof DatasetTaskKind>;
export const DatasetTaskStarted = z.object({ taskId: z.string(), kind: DatasetTaskKind });
export type DatasetTaskStarted = z.infer<typeof DatasetTaskStarted>;
/** What a finished import or export produced. */
export const DatasetTaskResult = z.object({
  /** The imported dataset, or the exported one. */
  datasetId: Id.nullable(),
  /** Export: the folder written. */
  folder: z.string().nullable(),
  /** Files written by an export (0 for an import). */
  files: z.number().int(),
  /** One line for the person at the screen, e.g. "imported 70,000 images". */
  summary: z.string(),
  /** Caveats, e.g. that PNG export quantized float32 pixels to 8 bits. */
  notes: z.array(z.string()),
});
export type DatasetTaskResult = z.infer<typeof DatasetTaskResult>;

// ── Models ───────────────────────────────────────────────────────────────────────────────────

export const ArchitectureName = z.enum([
  'small-cnn',
  'madry-cnn',
  'cifar-cnn',
  // issue 4 §2 (models): an MLP, a pre-activation ResNet, imported tfjs-layers models.
  'mlp',
  'preact-resnet',
  'tfjs-layers',
  // issue 13: an imported ONNX model (PyTorch's torch.onnx.export and others).
  'onnx',
]);
export type ArchitectureName = z.infer<typeof ArchitectureName>;

/** What can be trained from scratch: every built-in architecture (an imported model is fixed). */
export const TrainableArchitecture = ArchitectureName.exclude(['tfjs-layers', 'onnx'], {
  message:
    'an imported TensorFlow.js or ONNX model cannot be trained from scratch; choose a built-in architecture',
});
export type TrainableArchitecture = z.infer<typeof TrainableArchitecture>;

/** The built-in architectures, for forms and help texts, in the order they are offered. */
export const trainableArchitectures = TrainableArchitecture.options;

export const ModelSummary = z.object({
  id: Id,
  name: z.string(),
  architecture: ArchitectureName,
  datasetId: Id,
  trainingRunId: Id.nullable(),
  robust: z.boolean(),
  createdAt: z.string(),
  parameterCount: z.number().int(),
  /**
   * Accuracy on the dataset's test split, measured at the end of training or, for an imported
   * model, at import; null when not measured.
   */
  testAccuracy: z.number().nullable(),
  /** Imported ONNX models: what was imported and how the workbench runs it (issue 13). */
  onnx: OnnxProvenance.optional(),
  /**
   * Why the model cannot be used, where its row in the project file cannot be read (a damaged or
   * hand-edited file): what any job that names it fails with. Absent for a usable model.
   */
  problem: z.string().optional(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

// ── Perturbation sets and attacks ────────────────────────────────────────────────────────────

// ConstraintName and AttackLoss live in a leaf that the attack descriptors read too.
export { AttackLoss, ConstraintName };

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

/**
 * The attack methods: the names of the registry's descriptors (common/attacks/attack-registry.ts),
 * one file each, which say what each method is, takes and supports.
 */
export const AttackMethod = z.enum(attackMethodNames);
export type AttackMethod = z.infer<typeof AttackMethod>;

export const AttackIndexSpace = z.enum(['test', 'dataset']);
export type AttackIndexSpace = z.infer<typeof AttackIndexSpace>;

export const AttackConfig = z.object({
  modelId: Id,
  datasetId: Id,
  /** Which images: positions counted as `indexSpace` says. */
  indices: z
    .array(z.number().int().nonnegative({ message: 'an image index cannot be negative' }))
    .min(1, { message: 'choose at least one image' })
    .max(5000, { message: 'at most 5000 images per attack' }),
  /**
   * What `indices` count. 'test': positions in the dataset's test split (0 is its first test
   * image), what the Attack form and `rfw attack` send. 'dataset': positions in the whole dataset,
   * training images included (the result flags those). Absent means 'dataset', because every run
   * saved before this field existed meant that, and a saved run must keep its meaning.
   */
  indexSpace: AttackIndexSpace.optional(),
  method: AttackMethod,
  perturbation: PerturbationSet,
  restarts: wholeNumber('restarts', 1, 100),
  /** null: untargeted (maximize the true-class loss); a class: targeted (minimize its loss). */
  targetClass: z.number().int().min(0).nullable(),
  seed: z.number().int(),
  // Issue 4 §3. Optional so that configs saved before them load as they ran; the defaults
  // (attackDefaults.loss, and each method's job.fields in common/attacks) are what those runs
  // used. APGD's iteration count is perturbation.steps and its restarts are `restarts`.
  /** FGSM/PGD only: the loss maximized (targeted: minimized); default cross-entropy. */
  loss: AttackLoss.optional(),
  /**
   * Each method's own settings (APGD-T's apgdTargets, Square's squareQueries and
   * squareInitialFraction), declared with the method in its descriptor's job.fields.
   */
  ...attackJobFieldSchemas,
});
export type AttackConfig = z.infer<typeof AttackConfig>;

// ── Training ─────────────────────────────────────────────────────────────────────────────────

export const OptimizerName = z.enum(['sgd', 'momentum', 'adam']);
export type OptimizerName = z.infer<typeof OptimizerName>;

export const AdversarialLoss = z.enum(['pgd', 'trades']);
export type AdversarialLoss = z.infer<typeof AdversarialLoss>;

/**
 * The learning rate over a run of T batches, at batch s (0-based), for the configured rate η:
 *   constant:  η
 *   step:      η · γ^k, k = how many milestones m satisfy m ≤ (epoch of batch s, 0-based)
 *   cosine:    floor + (η − floor) · (1 + cos(π s / T)) / 2
 *   one-cycle: linear 0 → η over the first peakFraction of the run, then η → 0 (the cyclic rate
 *              of fast adversarial training, Wong et al. 2020), evaluated at (s + 1) / T
 */
export const LearningRateSchedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  z.object({
    kind: z.literal('step'),
    /** Factor applied at each milestone. */
    gamma: z
      .number({ error: numberError('γ') })
      .gt(0, { message: 'γ must be greater than 0' })
      .max(1, { message: 'γ must be at most 1' }),
    /** After this many epochs the rate is multiplied by γ (e.g. [50, 75]). */
    milestones: z
      .array(wholeNumber('a milestone', 1, 1000))
      .min(1, { message: 'give at least one milestone epoch' }),
  }),
  z.object({
    kind: z.literal('cosine'),
    /** The rate at the end of the run (0: anneal to zero). */
    floor: z
      .number({ error: numberError('the cosine floor') })
      .min(0, { message: 'the cosine floor cannot be negative' })
      .default(0),
  }),
  z.object({
    kind: z.literal('one-cycle'),
    /** Where the peak is, as a fraction of the run (0.5 in fast adversarial training on CIFAR). */
    peakFraction: z
      .number({ error: numberError('the peak position') })
      .gt(0, { message: 'the peak position must be between 0 and 1' })
      .lt(1, { message: 'the peak position must be between 0 and 1' })
      .default(0.5),
  }),
]);
export type LearningRateSchedule = z.infer<typeof LearningRateSchedule>;

export const AugmentationChoice = z.enum(['auto', 'on', 'off']);
export type AugmentationChoice = z.infer<typeof AugmentationChoice>;

/** A seeded validation subset held out of the training split, measured every few epochs. */
export const ValidationConfig = z.object({
  /** A whole number ≥ 1: that many images; a number in (0, 1): that fraction of the split. */
  size: z
    .number({ error: numberError('validation size') })
    .gt(0, { message: 'validation size must be greater than 0' })
    .refine((value) => value < 1 || Number.isInteger(value), {
      message: 'validation size must be a whole number of images, or a fraction between 0 and 1',
    }),
  /** Validate after every N epochs (and always after the last one). */
  everyEpochs: wholeNumber('validation interval', 1, 1000).default(1),
  /** Robust validation threat model; null: the training one (none for standard training). */
  attack: PerturbationSet.nullable().default(null),
});
export type ValidationConfig = z.infer<typeof ValidationConfig>;

/**
 * Defaults of the training fields added after the first release: a config saved before them
 * loads with these and trains as it did then (PGD, constant rate, no validation hold-out), except
 * that 'auto' augmentation is on for 32×32×3 images.
 */
export const trainingDefaults = {
  adversarialLoss: 'pgd',
  tradesBeta: 6,
  learningRateSchedule: { kind: 'constant' },
  augmentation: 'auto',
  validation: null,
  saveFinalModel: false,
} as const satisfies {
  adversarialLoss: AdversarialLoss;
  tradesBeta: number;
  learningRateSchedule: LearningRateSchedule;
  augmentation: AugmentationChoice;
  validation: ValidationConfig | null;
  saveFinalModel: boolean;
};

export const TrainingConfig = z.object({
  datasetId: Id,
  modelName: z.string().trim().min(1, { message: 'a model name is required' }).max(200),
  architecture: TrainableArchitecture,
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
  /**
   * Adversarial training only: 'pgd' trains on the PGD example (Madry et al. 2018); 'trades'
   * minimizes CE(f(x), y) + β·KL(softmax f(x) ‖ softmax f(x')) with x' found by PGD on the KL
   * term (Zhang et al. 2019).
   */
  adversarialLoss: AdversarialLoss.default(trainingDefaults.adversarialLoss),
  /** TRADES β: weight of the KL (robustness) term; 6 in Zhang et al. */
  tradesBeta: z
    .number({ error: numberError('TRADES β') })
    .min(0, { message: 'TRADES β cannot be negative' })
    .max(1000)
    .default(trainingDefaults.tradesBeta),
  /** How the learning rate moves over the run, batch by batch. */
  learningRateSchedule: LearningRateSchedule.default(trainingDefaults.learningRateSchedule),
  /**
   * Random crop (zero padding 4) and horizontal flip of each training batch, seeded by
   * (seed, epoch, batch). 'auto': on for 32×32×3 (CIFAR-like) images only, off otherwise.
   */
  augmentation: AugmentationChoice.default(trainingDefaults.augmentation),
  /** null: no validation; the saved model is the final one. */
  validation: ValidationConfig.nullable().default(trainingDefaults.validation),
  /**
   * With validation, the saved model is the best validation checkpoint; true also saves the final
   * weights as a second model, "NAME (final epoch)".
   */
  saveFinalModel: z.boolean().default(trainingDefaults.saveFinalModel),
});
export type TrainingConfig = z.infer<typeof TrainingConfig>;

// ── Runs, metrics, artifacts, jobs ───────────────────────────────────────────────────────────

/** What a run is; each kind has its own config and result shapes (db CHECK keeps the same list). */
export const RunKind = z.enum([
  'train',
  'attack',
  'evaluation',
  'experiment',
  'import',
  'features',
  // Model exports (issue 4 §2); model imports are 'import' runs.
  'export',
]);
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
  /**
   * Training runs: a checkpoint of the last finished epoch is stored, so a stopped run can be
   * resumed from it (a run stopped before its first epoch ended has none). False for other kinds.
   */
  hasCheckpoint: z.boolean(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A name given to a run or a model by its user. */
export const ItemName = z
  .string({ error: 'a name must be text' })
  .trim()
  .min(1, { message: 'a name cannot be empty' })
  .max(120, { message: 'a name is at most 120 characters' });

/** A run named where one is listed, e.g. among the runs that used a model. */
export const RunReference = z.object({ id: Id, kind: RunKind, name: z.string() });
export type RunReference = z.infer<typeof RunReference>;

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
  /**
   * Untargeted: the adversarial prediction is wrong. Targeted: it is the target class. True too
   * for an image the model already got wrong, so count successes with common/attack-tally.ts.
   */
  success: z.boolean(),
  /**
   * The model classified the clean image correctly. Absent in runs saved before it was recorded:
   * read it from cleanTop5 (common/attack-tally.ts cleanCorrect).
   */
  cleanCorrect: z.boolean().optional(),
  /**
   * The image's split and its position in it (0 is the split's first image), filled in when the
   * run is read; absent when its dataset is gone. A 'train' image makes the robust accuracy no
   * test-set measurement, and the attack view says so.
   */
  split: SplitName.optional(),
  splitPosition: z.number().int().optional(),
  /** Square: the model queries spent on this example; absent for the other methods. */
  queries: z.number().int().optional(),
  /**
   * Gradient attacks: no step moved this image from where it started (a zero or numerically lost
   * gradient). Absent for Square and in runs saved before it was recorded.
   */
  stalled: z.boolean().optional(),
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

/** An attack run's result column: the result without its run id, which is added when read. */
export const StoredAttackResult = AttackResult.omit({ runId: true });
export type StoredAttackResult = z.infer<typeof StoredAttackResult>;

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
export type JobStarted = z.infer<typeof JobStarted>;
