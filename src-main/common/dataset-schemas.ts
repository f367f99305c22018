/**
 * A stored dataset: its summary (shape, classes, split) and its images, page by page. Importing
 * and exporting one is dataset-io-schemas.ts; the values a new import starts from are
 * dataset-defaults.ts. Pure zod, like every *-schemas.ts.
 */
import { z } from 'zod';
import { Id } from './reference-schemas';

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

/**
 * The image a constructed dataset's image was made from (a test image of a constructed dataset
 * is that image, copied): the source dataset, the position there (its index in that dataset's
 * view) and its label there.
 */
export const ImageOrigin = z.object({
  datasetId: Id,
  datasetName: z.string(),
  index: z.number().int().nonnegative(),
  label: z.number().int(),
});
export type ImageOrigin = z.infer<typeof ImageOrigin>;

export const DatasetImage = z.object({
  index: z.number().int().nonnegative(),
  label: z.number().int().nonnegative(),
  split: SplitName,
  /**
   * Null for an imported image, and for one of a dataset constructed before the project
   * recorded provenance (split.method 'constructed': unknown, not guessed).
   */
  source: ImageOrigin.nullable(),
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
