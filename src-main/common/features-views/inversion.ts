/**
 * View 2, representation inversion (Engstrom et al. 2019, §4.1): images whose representation
 * matches a target's, found by gradient steps from noise or from another chosen image.
 */
import { z } from 'zod';
import { featuresView } from './view-descriptor';
import { StepSettings, commonFields, imageList, stepOptions, stepsOf } from './view-fields';
import { choiceOption } from './view-options';

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
    ...commonFields,
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

export const inversionView = featuresView(InversionViewConfig)({
  view: 'inversion',
  title: 'Representation inversion',
  source: 'Engstrom et al. 2019, §4.1',
  lookFor:
    'Images with the same representation as the target: for a robust model they look like the target; for a standard one, like the start.',
  images: { limit: 8, cliDefault: 4 },
  options: {
    start: choiceOption({
      choices: InversionStart.options.map((option) => option.shape.kind.value),
      default: 'noise',
      cli: { flag: 'start' },
    }),
    ...stepOptions((defaults) => defaults.inversion),
  },
  config: ({ images, options, ...common }) => ({
    view: 'inversion',
    ...common,
    targetIndices: images,
    // "Another chosen image": image n starts from image n + 1 of the list (cyclically).
    start:
      options.start === 'noise'
        ? { kind: 'noise' }
        : { kind: 'images', indices: images.map((_, n) => images[(n + 1) % images.length] ?? 0) },
    ...stepsOf(options),
  }),
  read: (config) => ({
    images: config.targetIndices,
    options: { start: config.start.kind, steps: config.steps, stepSize: config.stepSize },
  }),
  // The targets, then (when it starts from images) one start image per target.
  inputs: (config) =>
    config.start.kind === 'images'
      ? [...config.targetIndices, ...config.start.indices]
      : config.targetIndices,
});
