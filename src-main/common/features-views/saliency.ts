/**
 * View 1, saliency maps: the input gradient (Simonyan et al. 2013), SmoothGrad (Smilkov et al.
 * 2017) and integrated gradients (Sundararajan et al. 2017), with the model-randomization check
 * (Adebayo et al. 2018).
 */
import { z } from 'zod';
import { rangeOf } from '../number-range';
import { wholeNumber } from '../number-schemas';
import { featuresView } from './view-descriptor';
import { commonFields, imageList, paperDefault } from './view-fields';
import {
  choiceListOption,
  choiceOption,
  entered,
  numberOption,
  switchOption,
} from './view-options';

export const SaliencyMethod = z.enum(['gradient', 'smoothgrad', 'integrated-gradients']);
export type SaliencyMethod = z.infer<typeof SaliencyMethod>;

export const SaliencyConfig = z.object({
  view: z.literal('saliency'),
  ...commonFields,
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

const shape = SaliencyConfig.shape;

export const saliencyView = featuresView(SaliencyConfig)({
  view: 'saliency',
  title: 'Saliency maps',
  source:
    'Simonyan et al. 2013; Smilkov et al. 2017; Sundararajan et al. 2017; Adebayo et al. 2018',
  lookFor:
    'A robust model’s gradient outlines the object; a standard model’s is speckled noise. The randomization check must change the map.',
  images: { limit: 16, cliDefault: 4 },
  options: {
    methods: choiceListOption({
      choices: SaliencyMethod.options,
      default: SaliencyMethod.options,
      cli: { flag: 'methods' },
    }),
    explain: choiceOption({
      choices: shape.explain.options,
      default: 'label',
      cli: { flag: 'explain' },
    }),
    smoothGradSamples: numberOption({
      range: rangeOf(shape.smoothGradSamples),
      default: paperDefault((defaults) => defaults.saliency.smoothGradSamples),
      cli: { flag: 'samples', value: 'N' },
    }),
    smoothGradNoise: numberOption({
      range: rangeOf(shape.smoothGradNoise),
      default: paperDefault((defaults) => defaults.saliency.smoothGradNoise),
      cli: { flag: 'noise', value: 'X' },
    }),
    integratedGradientsSteps: numberOption({
      range: rangeOf(shape.integratedGradientsSteps),
      default: paperDefault((defaults) => defaults.saliency.integratedGradientsSteps),
      cli: { flag: 'ig-steps', value: 'N' },
    }),
    integratedGradientsBaseline: choiceOption({
      choices: shape.integratedGradientsBaseline.options,
      default: 'black',
      cli: { flag: 'baseline' },
    }),
    randomizationCheck: switchOption({ default: true, cli: { flag: 'no-randomization-check' } }),
    randomizationMode: choiceOption({
      choices: shape.randomizationMode.unwrap().options,
      default: 'full',
      cli: { flag: 'randomization' },
    }),
  },
  config: ({ images, options, ...common }) => ({
    view: 'saliency',
    ...common,
    imageIndices: images,
    methods: options.methods,
    explain: options.explain,
    smoothGradSamples: entered(options.smoothGradSamples),
    smoothGradNoise: entered(options.smoothGradNoise),
    integratedGradientsSteps: entered(options.integratedGradientsSteps),
    integratedGradientsBaseline: options.integratedGradientsBaseline,
    randomizationCheck: options.randomizationCheck,
    randomizationMode: options.randomizationMode,
  }),
  read: (config) => ({
    images: config.imageIndices,
    options: {
      methods: config.methods,
      explain: config.explain,
      smoothGradSamples: config.smoothGradSamples,
      smoothGradNoise: config.smoothGradNoise,
      integratedGradientsSteps: config.integratedGradientsSteps,
      integratedGradientsBaseline: config.integratedGradientsBaseline,
      randomizationCheck: config.randomizationCheck,
      randomizationMode: config.randomizationMode,
    },
  }),
  inputs: (config) => config.imageIndices,
});
