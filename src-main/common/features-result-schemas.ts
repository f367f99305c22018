/**
 * What every features-lab view produces, in one shape: panels (one per model, or per model and
 * method) of rows of image cells, the objective per step as curves, and a table of numbers. The
 * images themselves are run artifacts (float32, never quantized); cells refer to them by id.
 */
import { z } from 'zod';
import { Id } from './reference-schemas';
import { completedRun } from './run-schemas';
import { FeaturesConfig } from './features-schemas';

export const FeatureCell = z.object({
  artifactId: Id,
  caption: z.string(),
  /**
   * image: an [H,W,C] picture in [0,1]. heatmap: an [H,W] map in [0,1], drawn with a colormap
   * over `baseArtifactId` (the image it explains) at the opacity the viewer picks.
   */
  display: z.enum(['image', 'heatmap']),
  baseArtifactId: Id.nullable(),
  /** The figures that go with this picture (distances, probabilities, ρ, …). */
  numbers: z.record(z.string(), z.number()),
});
export type FeatureCell = z.infer<typeof FeatureCell>;

export const FeatureRow = z.object({ caption: z.string(), cells: z.array(FeatureCell) });
export type FeatureRow = z.infer<typeof FeatureRow>;

export const FeaturePanel = z.object({
  /** The model this panel shows, or null for inputs shared by every model. */
  modelId: Id.nullable(),
  title: z.string(),
  rows: z.array(FeatureRow),
  /**
   * The cells of each row are successive frames of one path (an edit growing with ε, a feature
   * added with growing strength): the viewer scrubs through them with a slider on `scrubBy`.
   */
  scrubBy: z.string().nullable(),
});
export type FeaturePanel = z.infer<typeof FeaturePanel>;

/** The batch mean of a view's objective at each step, for one model (and method). */
export const FeatureCurve = z.object({
  label: z.string(),
  modelId: Id.nullable(),
  values: z.array(z.number()),
});
export type FeatureCurve = z.infer<typeof FeatureCurve>;

export const FeatureTable = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number()]))),
});
export type FeatureTable = z.infer<typeof FeatureTable>;

export const FeaturesResult = z.object({
  view: z.string(),
  panels: z.array(FeaturePanel),
  curves: z.array(FeatureCurve),
  /** What the curves measure, e.g. "relative representation distance". */
  curveLabel: z.string(),
  /** What their x axis counts: a view's steps, or the cascade's stages. Older results: steps. */
  curveX: z.string().default('step'),
  table: FeatureTable,
  /** Facts the researcher should not miss (a failed randomization check, …). */
  warnings: z.array(z.string()),
});
export type FeaturesResult = z.infer<typeof FeaturesResult>;

export const FeaturesRun = completedRun(FeaturesConfig, FeaturesResult);
export type FeaturesRun = z.infer<typeof FeaturesRun>;

/** An intermediate image a running view streams to the UI (quantized: it is only a preview). */
export const StreamedFrame = z.object({
  /** Stable per picture across updates, e.g. "model 3 · image 2". */
  key: z.string(),
  caption: z.string(),
  /** [H, W, C] */
  shape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  /** base64 of H·W·C uint8 values. */
  data: z.string(),
});
export type StreamedFrame = z.infer<typeof StreamedFrame>;
