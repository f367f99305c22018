/**
 * View 4, feature visualization and manipulation (Engstrom et al. 2019, §4.2): the images that
 * excite one representation unit most, an image synthesized to maximize it, and "add feature
 * k" to chosen images.
 */
import { z } from 'zod';
import { rangeOf } from '../number-range';
import { finitePositive, wholeNumber } from '../number-schemas';
import { featuresView } from './view-descriptor';
import { StepSettings, commonFields, paperDefault, stepOptions, stepsOf } from './view-fields';
import { entered, numberOption } from './view-options';

export const FeatureVisualizationConfig = z.object({
  view: z.literal('feature-visualization'),
  ...commonFields,
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

/** Test images searched when the config sets no limit: enough for a stable top k, sent at once. */
const SEARCH_POOL_DEFAULT = 10_000;

const shape = FeatureVisualizationConfig.shape;

export const featureVisualizationView = featuresView(FeatureVisualizationConfig)({
  view: 'feature-visualization',
  title: 'Feature visualization and manipulation',
  source: 'Engstrom et al. 2019, §4.2',
  lookFor:
    'The images that excite one representation unit, a synthesized image that maximizes it, and the unit’s pattern added to other images.',
  images: { limit: 8, cliDefault: 0, hint: '(the unit is added to these)' },
  options: {
    unit: numberOption({
      range: rangeOf(shape.unit),
      default: 0,
      cli: { flag: 'unit', value: 'U' },
    }),
    topK: numberOption({
      range: rangeOf(shape.topK),
      default: paperDefault((defaults) => defaults.featureVisualization.topK),
      cli: { flag: 'top', value: 'K' },
    }),
    /** Empty: search the whole test split. */
    searchLimit: numberOption({
      range: rangeOf(shape.searchLimit),
      default: paperDefault((defaults) => defaults.featureVisualization.searchLimit),
      cli: { flag: 'search', value: 'N' },
    }),
    ...stepOptions((defaults) => defaults.featureVisualization),
    strength: numberOption({
      range: rangeOf(shape.strength),
      default: paperDefault((defaults) => defaults.featureVisualization.strength),
      cli: { flag: 'strength', value: 'X' },
    }),
  },
  config: ({ images, options, ...common }) => ({
    view: 'feature-visualization',
    ...common,
    unit: entered(options.unit),
    topK: entered(options.topK),
    searchLimit: options.searchLimit,
    ...stepsOf(options),
    addToIndices: images,
    strength: entered(options.strength),
  }),
  read: (config) => ({
    images: config.addToIndices,
    options: {
      unit: config.unit,
      topK: config.topK,
      searchLimit: config.searchLimit,
      steps: config.steps,
      stepSize: config.stepSize,
      strength: config.strength,
    },
  }),
  inputs: (config) => config.addToIndices,
  // The most activating images are searched for among the first test images.
  pool: (config) => ({ kind: 'search', limit: config.searchLimit ?? SEARCH_POOL_DEFAULT }),
});
