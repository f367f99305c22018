/**
 * The features lab (issue 5): what standard and robust models "see". One config schema per view,
 * joined in a discriminated union on `view`, and one result shape shared by every view (panels of
 * image rows, curves, a table), so that saving, reopening, the gallery and the exports treat all
 * views alike. Pure zod, like schemas.ts.
 *
 * Every view runs for one or two models on the same inputs, side by side (typically a standard
 * and a robust one). Images are chosen by their dataset index. Step sizes and radii are L2
 * lengths in [0,1] pixel units; their defaults (features-defaults.ts) are the papers' values
 * scaled to the dataset's image size.
 */
import { z } from 'zod';
import { Id, finitePositive, wholeNumber } from './schemas';

const ViewName = z.string().trim().min(1, { message: 'a name is required' }).max(200);

/** One or two distinct models: the lab's side-by-side comparison. */
const ModelChoice = z
  .array(Id)
  .min(1, { message: 'choose a model' })
  .max(2, { message: 'choose at most two models' })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'the same model is chosen twice' });

const imageList = (what: string, max: number) =>
  z
    .array(z.number().int().min(0))
    .min(1, { message: `choose at least one ${what}` })
    .max(max, { message: `choose at most ${max} ${what}s` });

/** Normalized L2 gradient steps: T steps of L2 length α each. */
const StepSettings = {
  steps: wholeNumber('steps', 1, 20_000),
  stepSize: finitePositive('step size'),
};

const common = {
  name: ViewName,
  datasetId: Id,
  modelIds: ModelChoice,
  seed: z.number().int(),
};

// ── 1. Saliency ──────────────────────────────────────────────────────────────────────────────

export const SaliencyMethod = z.enum(['gradient', 'smoothgrad', 'integrated-gradients']);
export type SaliencyMethod = z.infer<typeof SaliencyMethod>;

export const SaliencyConfig = z.object({
  view: z.literal('saliency'),
  ...common,
  imageIndices: imageList('image', 16),
  methods: z
    .array(SaliencyMethod)
    .min(1, { message: 'choose at least one saliency method' })
    .refine((list) => new Set(list).size === list.length, { message: 'a method is listed twice' }),
  /** Whose logit the map explains: the image's label or the model's own prediction. */
  explain: z.enum(['label', 'predicted']),
  /** SmoothGrad (Smilkov et al. 2017): samples of x + N(0, σ²), σ = noise · (1 − 0). */
  smoothGradSamples: wholeNumber('SmoothGrad samples', 1, 1000),
  smoothGradNoise: z.number().min(0).max(1),
  /** Integrated gradients (Sundararajan et al. 2017): Riemann steps from the baseline. */
  integratedGradientsSteps: wholeNumber('integrated-gradients steps', 1, 1000),
  integratedGradientsBaseline: z.enum(['black', 'white', 'uniform-noise']),
  /** The model-randomization check (Adebayo et al. 2018): the maps again with random weights. */
  randomizationCheck: z.boolean(),
  /**
   * 'full': every weight re-drawn at once (a row under each image). 'cascading': the paper's
   * §3.1, the layers re-drawn one more at a time from the logits down, each stage a column.
   * Runs saved before this choice existed were full checks.
   */
  randomizationMode: z.enum(['full', 'cascading']).default('full'),
});
export type SaliencyConfig = z.infer<typeof SaliencyConfig>;

// ── 2. Representation inversion ──────────────────────────────────────────────────────────────

export const InversionStart = z.discriminatedUnion('kind', [
  /** Uniform noise in [0,1], seeded. */
  z.object({ kind: z.literal('noise') }),
  /** One start image per target, by dataset index. */
  z.object({ kind: z.literal('images'), indices: imageList('start image', 8) }),
]);
export type InversionStart = z.infer<typeof InversionStart>;

export const InversionViewConfig = z
  .object({
    view: z.literal('inversion'),
    ...common,
    targetIndices: imageList('target image', 8),
    start: InversionStart,
    ...StepSettings,
  })
  .refine(
    (config) =>
      config.start.kind === 'noise' || config.start.indices.length === config.targetIndices.length,
    { message: 'choose one start image per target image', path: ['start'] },
  );
export type InversionViewConfig = z.infer<typeof InversionViewConfig>;

// ── 3. Interpolation through representation space ───────────────────────────────────────────

export const InterpolationConfig = z.object({
  view: z.literal('interpolation'),
  ...common,
  fromIndex: z.number().int().min(0),
  toIndex: z.number().int().min(0),
  /** Frames of the strip, both ends included. */
  frames: wholeNumber('frames', 3, 16),
  ...StepSettings,
});
export type InterpolationConfig = z.infer<typeof InterpolationConfig>;

// ── 4. Feature visualization and manipulation ────────────────────────────────────────────────

export const FeatureVisualizationConfig = z.object({
  view: z.literal('feature-visualization'),
  ...common,
  /** The representation unit (a coordinate of the penultimate layer). */
  unit: z.number().int().min(0),
  /** How many of the most activating dataset images to show. */
  topK: wholeNumber('top images', 1, 32),
  /** Search the first N images of the test split (null: all of it). */
  searchLimit: z.number().int().min(1).nullable(),
  /** Synthesis: maximize the unit from noise, unconstrained, with the fake ReLU. */
  ...StepSettings,
  /** "Add feature k": these images, pushed towards the unit within an L2 ball of `strength`. */
  addToIndices: z.array(z.number().int().min(0)).max(8),
  strength: finitePositive('strength'),
});
export type FeatureVisualizationConfig = z.infer<typeof FeatureVisualizationConfig>;

// ── 5. Synthesis with one robust classifier (Santurkar et al. 2019) ─────────────────────────

export const GenerationConfig = z.object({
  view: z.literal('generation'),
  ...common,
  classes: z.array(z.number().int().min(0)).min(1, { message: 'choose a class' }).max(10),
  samplesPerClass: wholeNumber('samples per class', 1, 8),
  /** The class-conditional Gaussian seed is fitted on images downsampled by this factor. */
  seedDownsample: wholeNumber('seed downsampling', 1, 8),
  epsilon: finitePositive('ε'),
  ...StepSettings,
});
export type GenerationConfig = z.infer<typeof GenerationConfig>;

export const SuperResolutionConfig = z.object({
  view: z.literal('super-resolution'),
  ...common,
  imageIndices: imageList('image', 8),
  /** The image is downsampled by this factor, upsampled back, then sharpened by the model. */
  factor: wholeNumber('factor', 2, 8),
  epsilon: finitePositive('ε'),
  ...StepSettings,
});
export type SuperResolutionConfig = z.infer<typeof SuperResolutionConfig>;

/** Which pixels in-painting fills: row-major H·W flags, 1 = fill. */
export const InpaintingMask = z.array(z.union([z.literal(0), z.literal(1)]));

export const InpaintingConfig = z.object({
  view: z.literal('inpainting'),
  ...common,
  imageIndices: imageList('image', 8),
  mask: InpaintingMask.refine((mask) => mask.includes(1), {
    message: 'paint the region to fill',
  }),
  /** What the region holds before the model fills it. */
  fill: z.enum(['seed', 'grey', 'noise']),
  ...StepSettings,
});
export type InpaintingConfig = z.infer<typeof InpaintingConfig>;

// ── 6. Counterfactual editing ────────────────────────────────────────────────────────────────

export const CounterfactualConfig = z.object({
  view: z.literal('counterfactual'),
  ...common,
  imageIndices: imageList('image', 4),
  targetClass: z.number().int().min(0),
  /** The largest edit (L2); the result keeps frames along the way for the ε slider. */
  epsilon: finitePositive('ε'),
  ...StepSettings,
});
export type CounterfactualConfig = z.infer<typeof CounterfactualConfig>;

export const FeaturesConfig = z.discriminatedUnion('view', [
  SaliencyConfig,
  InversionViewConfig,
  InterpolationConfig,
  FeatureVisualizationConfig,
  GenerationConfig,
  SuperResolutionConfig,
  InpaintingConfig,
  CounterfactualConfig,
]);
export type FeaturesConfig = z.infer<typeof FeaturesConfig>;
export type FeaturesViewName = FeaturesConfig['view'];
export const featuresViewNames: readonly FeaturesViewName[] = [
  'saliency',
  'inversion',
  'interpolation',
  'feature-visualization',
  'generation',
  'super-resolution',
  'inpainting',
  'counterfactual',
];
