/**
 * Dataset import and export as requests, previews and background tasks: the sources an import
 * reads (IDX, CIFAR, image folders, the synthetic robust/non-robust generator), the formats an
 * export writes, and what a finished task reports. The values the forms and `rfw import` / `rfw
 * export` start from are dataset-defaults.ts. Pure zod, like every *-schemas.ts.
 */
import { z } from 'zod';
import { numberError, wholeNumber } from './number-schemas';
import { FilePath, Id } from './reference-schemas';
import { SplitName } from './dataset-schemas';

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
    /**
     * A constructed dataset (split.method 'constructed') exports its constructed training set
     * alone unless this is set; then the original test images it keeps come too, as the test
     * split, marked as such. Refused for any other dataset, whose test split is its own.
     */
    withOriginalTest: z.boolean().default(false),
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
