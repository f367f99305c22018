/**
 * View 3, interpolation through representation space (Engstrom et al. 2019, §4.1): frames whose
 * representations lie evenly between two images', each found by inversion.
 */
import { z } from 'zod';
import { rangeOf } from '../number-range';
import { wholeNumber } from '../number-schemas';
import { featuresView } from './view-descriptor';
import { StepSettings, commonFields, stepOptions, stepsOf } from './view-fields';
import { entered, numberOption } from './view-options';

export const InterpolationConfig = z.object({
  view: z.literal('interpolation'),
  ...commonFields,
  fromIndex: z.number().int().min(0),
  toIndex: z.number().int().min(0),
  /** Frames of the strip, both ends included. */
  frames: wholeNumber('frames', 3, 16),
  ...StepSettings,
});
export type InterpolationConfig = z.infer<typeof InterpolationConfig>;

export const interpolationView = featuresView(InterpolationConfig)({
  view: 'interpolation',
  title: 'Interpolation through representation space',
  source: 'Engstrom et al. 2019, §4.1',
  lookFor: 'A robust model’s frames morph one image into the other; a standard model’s do not.',
  images: { limit: 2, cliDefault: 2, hint: '(from the first to the second)' },
  options: {
    frames: numberOption({
      range: rangeOf(InterpolationConfig.shape.frames),
      default: 8,
      cli: { flag: 'frames', value: 'K' },
    }),
    ...stepOptions((defaults) => defaults.inversion),
  },
  config: ({ images, options, ...common }) => {
    const [fromIndex, toIndex] = images;
    if (fromIndex === undefined || toIndex === undefined)
      throw new Error('choose two images to interpolate between');
    return {
      view: 'interpolation',
      ...common,
      fromIndex,
      toIndex,
      frames: entered(options.frames),
      ...stepsOf(options),
    };
  },
  read: (config) => ({
    images: [config.fromIndex, config.toIndex],
    options: { frames: config.frames, steps: config.steps, stepSize: config.stepSize },
  }),
  inputs: (config) => [config.fromIndex, config.toIndex],
  check: (config) => {
    if (config.fromIndex === config.toIndex) {
      throw new Error('choose two different images to interpolate between');
    }
  },
});
