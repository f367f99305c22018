/**
 * View 5b, super-resolution with one robust classifier (Santurkar et al. 2019, §3.3): the image
 * downsampled, upsampled back, then sharpened towards its class within a small L2 ball.
 */
import { z } from 'zod';
import { rangeOf } from '../number-range';
import { wholeNumber } from '../number-schemas';
import { featuresView } from './view-descriptor';
import {
  Epsilon,
  StepSettings,
  commonFields,
  epsilonOption,
  imageList,
  paperDefault,
  stepOptions,
  stepsOf,
} from './view-fields';
import { entered, numberOption } from './view-options';

export const SuperResolutionConfig = z.object({
  view: z.literal('super-resolution'),
  ...commonFields,
  imageIndices: imageList('image', 8),
  /** The image is downsampled by this factor, upsampled back, then sharpened by the model. */
  factor: wholeNumber('factor', 2, 8),
  epsilon: Epsilon,
  ...StepSettings,
});
export type SuperResolutionConfig = z.infer<typeof SuperResolutionConfig>;

export const superResolutionView = featuresView(SuperResolutionConfig)({
  view: 'super-resolution',
  title: 'Super-resolution',
  source: 'Santurkar et al. 2019, §3.3',
  lookFor: 'The upsampled low-resolution image sharpened towards its class within a small L2 ball.',
  images: { limit: 8, cliDefault: 4 },
  options: {
    factor: numberOption({
      range: rangeOf(SuperResolutionConfig.shape.factor),
      default: paperDefault((defaults) => defaults.superResolution.factor),
      cli: { flag: 'factor', value: 'F' },
    }),
    epsilon: epsilonOption((defaults) => defaults.superResolution.epsilon),
    ...stepOptions((defaults) => defaults.superResolution),
  },
  config: ({ images, options, ...common }) => ({
    view: 'super-resolution',
    ...common,
    imageIndices: images,
    factor: entered(options.factor),
    epsilon: entered(options.epsilon),
    ...stepsOf(options),
  }),
  read: (config) => ({
    images: config.imageIndices,
    options: {
      factor: config.factor,
      epsilon: config.epsilon,
      steps: config.steps,
      stepSize: config.stepSize,
    },
  }),
  inputs: (config) => config.imageIndices,
  check: (config, { imageShape: [height = 0, width = 0] }) => {
    if (height % config.factor !== 0 || width % config.factor !== 0) {
      throw new Error(
        `the factor ${config.factor} does not divide the image size ${height}×${width}`,
      );
    }
  },
});
