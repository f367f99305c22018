/**
 * View 5a, class-conditional generation with one robust classifier (Santurkar et al. 2019, §3.1):
 * from a Gaussian seed fitted to each class, a targeted ascent of the class score.
 */
import { z } from 'zod';
import { maxItemsOf, rangeOf } from '../number-range';
import { wholeNumber } from '../number-schemas';
import { featuresView } from './view-descriptor';
import {
  ClassLabel,
  Epsilon,
  StepSettings,
  classRange,
  commonFields,
  epsilonOption,
  paperDefault,
  stepOptions,
  stepsOf,
} from './view-fields';
import { entered, numberListOption, numberOption } from './view-options';

export const GenerationConfig = z.object({
  view: z.literal('generation'),
  ...commonFields,
  classes: z.array(ClassLabel).min(1, { message: 'choose a class' }).max(10),
  samplesPerClass: wholeNumber('samples per class', 1, 8),
  /** The class-conditional Gaussian seed is fitted on images downsampled by this factor. */
  seedDownsample: wholeNumber('seed downsampling', 1, 8),
  epsilon: Epsilon,
  ...StepSettings,
});
export type GenerationConfig = z.infer<typeof GenerationConfig>;

const shape = GenerationConfig.shape;
/** Unless chosen, the first classes, as many as a run takes. */
const classesAtMost = maxItemsOf(shape.classes);

export const generationView = featuresView(GenerationConfig)({
  view: 'generation',
  title: 'Class-conditional generation',
  source: 'Santurkar et al. 2019, §3.1',
  lookFor:
    'From a Gaussian seed of the class, a robust model draws the class; a standard one adds noise.',
  images: { limit: 0, cliDefault: 0 },
  options: {
    classes: numberListOption({
      range: classRange,
      default: (dataset) =>
        Array.from({ length: Math.min(classesAtMost, dataset.classCount) }, (_, i) => i),
      cli: { flag: 'classes', value: '0,1,…' },
    }),
    samplesPerClass: numberOption({
      range: rangeOf(shape.samplesPerClass),
      default: 2,
      cli: { flag: 'samples', value: 'N' },
    }),
    seedDownsample: numberOption({
      range: rangeOf(shape.seedDownsample),
      default: paperDefault((defaults) => defaults.generation.seedDownsample),
      cli: { flag: 'downsample', value: 'F' },
    }),
    epsilon: epsilonOption((defaults) => defaults.generation.epsilon),
    ...stepOptions((defaults) => defaults.generation),
  },
  config: ({ images: _none, options, ...common }) => ({
    view: 'generation',
    ...common,
    classes: options.classes,
    samplesPerClass: entered(options.samplesPerClass),
    seedDownsample: entered(options.seedDownsample),
    epsilon: entered(options.epsilon),
    ...stepsOf(options),
  }),
  read: (config) => ({
    images: null,
    options: {
      classes: config.classes,
      samplesPerClass: config.samplesPerClass,
      seedDownsample: config.seedDownsample,
      epsilon: config.epsilon,
      steps: config.steps,
      stepSize: config.stepSize,
    },
  }),
  // Generation starts from seeds, fitted on the dataset's images; it reads no chosen images.
  inputs: () => [],
  pool: () => ({ kind: 'fit' }),
  classes: (config) => config.classes,
});
