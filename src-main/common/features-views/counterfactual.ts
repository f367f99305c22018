/**
 * View 6, counterfactual editing (Santurkar et al. 2019, §3.2, image-to-image translation): the
 * smallest L2 edit that makes a model see the target class, with frames along the way.
 */
import { z } from 'zod';
import { featuresView } from './view-descriptor';
import {
  ClassLabel,
  Epsilon,
  StepSettings,
  classRange,
  commonFields,
  epsilonOption,
  imageList,
  stepOptions,
  stepsOf,
} from './view-fields';
import { entered, numberOption } from './view-options';

export const CounterfactualConfig = z.object({
  view: z.literal('counterfactual'),
  ...commonFields,
  imageIndices: imageList('image', 4),
  targetClass: ClassLabel,
  /** The largest edit (L2); the result keeps frames along the way for the ε slider. */
  epsilon: Epsilon,
  ...StepSettings,
});
export type CounterfactualConfig = z.infer<typeof CounterfactualConfig>;

export const counterfactualView = featuresView(CounterfactualConfig)({
  view: 'counterfactual',
  title: 'Counterfactual editing',
  source: 'Santurkar et al. 2019, §3.2 (image-to-image translation)',
  lookFor:
    'What would make this image the target class: a robust model’s edit draws it; a standard model flips its prediction with invisible noise.',
  images: { limit: 4, cliDefault: 2 },
  options: {
    /** The form starts at the first class; the CLI asks for it. */
    targetClass: numberOption({
      range: classRange,
      default: 0,
      cli: { flag: 'target', value: 'CLASS', required: true },
    }),
    epsilon: epsilonOption((defaults) => defaults.counterfactual.epsilon),
    ...stepOptions((defaults) => defaults.counterfactual),
  },
  config: ({ images, options, ...common }) => ({
    view: 'counterfactual',
    ...common,
    imageIndices: images,
    targetClass: entered(options.targetClass),
    epsilon: entered(options.epsilon),
    ...stepsOf(options),
  }),
  read: (config) => ({
    images: config.imageIndices,
    options: {
      targetClass: config.targetClass,
      epsilon: config.epsilon,
      steps: config.steps,
      stepSize: config.stepSize,
    },
  }),
  inputs: (config) => config.imageIndices,
  classes: (config) => [config.targetClass],
});
