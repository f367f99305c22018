/**
 * View 5c, in-painting with one robust classifier (Santurkar et al. 2019, §3.4): the painted
 * region filled by the model's idea of the image's class, the rest left as it was.
 */
import { z } from 'zod';
import { centreSquareMask } from '../inpainting-mask';
import { featuresView } from './view-descriptor';
import { StepSettings, commonFields, imageList, stepOptions, stepsOf } from './view-fields';
import { choiceOption, maskOption } from './view-options';

/** Which pixels in-painting fills: row-major H·W flags, 1 = fill. */
export const InpaintingMask = z.array(z.union([z.literal(0), z.literal(1)]));

export const InpaintingConfig = z.object({
  view: z.literal('inpainting'),
  ...commonFields,
  imageIndices: imageList('image', 8),
  mask: InpaintingMask.refine((mask) => mask.includes(1), {
    message: 'paint the region to fill',
  }),
  /** What the region holds before the model fills it. */
  fill: z.enum(['seed', 'grey', 'noise']),
  ...StepSettings,
});
export type InpaintingConfig = z.infer<typeof InpaintingConfig>;

export const inpaintingView = featuresView(InpaintingConfig)({
  view: 'inpainting',
  title: 'In-painting',
  source: 'Santurkar et al. 2019, §3.4',
  lookFor: 'The painted region filled in by the model’s idea of the class; the rest untouched.',
  images: { limit: 8, cliDefault: 4 },
  options: {
    /** Painted in the form; the CLI fills the centre square. */
    mask: maskOption({
      default: ({ imageShape: [height = 28, width = 28] }) => centreSquareMask(height, width),
      cli: null,
    }),
    fill: choiceOption({
      choices: InpaintingConfig.shape.fill.options,
      default: 'seed',
      cli: { flag: 'fill' },
    }),
    ...stepOptions((defaults) => defaults.inpainting),
  },
  config: ({ images, options, ...common }) => ({
    view: 'inpainting',
    ...common,
    imageIndices: images,
    mask: options.mask,
    fill: options.fill,
    ...stepsOf(options),
  }),
  read: (config) => ({
    images: config.imageIndices,
    options: {
      mask: config.mask,
      fill: config.fill,
      steps: config.steps,
      stepSize: config.stepSize,
    },
  }),
  inputs: (config) => config.imageIndices,
  // A class-conditional seed is fitted on the dataset's images; grey and noise need none.
  pool: (config) => (config.fill === 'seed' ? { kind: 'fit' } : null),
  check: (config, { imageShape: [height = 0, width = 0] }) => {
    if (config.mask.length !== height * width) {
      throw new Error(
        `the mask has ${config.mask.length} pixels but the images are ${height}×${width} (${height * width})`,
      );
    }
  },
});
