/**
 * What the features views' configs and settings share: the fields every config has (name,
 * dataset, one or two models, seed), image lists, and the settings of the iterative views
 * (normalized L2 gradient steps, an L2 radius ε) with their defaults from features-defaults.ts.
 * Pure zod, like every *-schemas.ts.
 */
import { z } from 'zod';
import { featuresDefaults, type FeaturesDefaults } from '../features-defaults';
import { capRange, rangeOf, type NumberRange } from '../number-range';
import { Id } from '../reference-schemas';
import { finitePositive, wholeNumber } from '../number-schemas';
import { entered, numberOption, type NumberOption, type ViewDataset } from './view-options';

const ViewName = z.string().trim().min(1, { message: 'a name is required' }).max(200);

/** One or two distinct models: the lab's side-by-side comparison. */
const ModelChoice = z
  .array(Id)
  .min(1, { message: 'choose a model' })
  .max(2, { message: 'choose at most two models' })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'the same model is chosen twice' });

export const imageList = (what: string, max: number) =>
  z
    .array(z.number().int().min(0))
    .min(1, { message: `choose at least one ${what}` })
    .max(max, { message: `choose at most ${max} ${what}s` });

/** Normalized L2 gradient steps: T steps of L2 length α each. */
export const StepSettings = {
  steps: wholeNumber('steps', 1, 20_000),
  stepSize: finitePositive('step size'),
};

/** The L2 radius of an edit, in [0,1] pixel units. */
export const Epsilon = finitePositive('ε');

/** Every view's config has these. */
export const commonFields = {
  name: ViewName,
  datasetId: Id,
  modelIds: ModelChoice,
  seed: z.number().int(),
};

/** A class of the dataset (a label, not a position). */
export const ClassLabel = z.number().int().min(0);

/** A default read from features-defaults.ts for the dataset's image size. */
export function paperDefault(pick: (defaults: FeaturesDefaults) => number) {
  return (dataset: ViewDataset): number => pick(featuresDefaults(dataset.imageShape));
}

/** The steps and step size of an iterative view, defaulting to `pick`'s values. */
export function stepOptions(
  pick: (defaults: FeaturesDefaults) => { steps: number; stepSize: number },
) {
  return {
    steps: numberOption({
      range: rangeOf(StepSettings.steps),
      default: paperDefault((defaults) => pick(defaults).steps),
      cli: { flag: 'steps', value: 'N' },
    }),
    stepSize: numberOption({
      range: rangeOf(StepSettings.stepSize),
      default: paperDefault((defaults) => pick(defaults).stepSize),
      cli: { flag: 'step-size', value: 'X' },
    }),
  };
}

/** The steps as the config takes them. */
export function stepsOf(options: { steps: number | null; stepSize: number | null }) {
  return { steps: entered(options.steps), stepSize: entered(options.stepSize) };
}

/** The L2 radius of an edit (--eps), defaulting to `pick`'s value. */
export function epsilonOption(pick: (defaults: FeaturesDefaults) => number): NumberOption {
  return numberOption({
    range: rangeOf(Epsilon),
    default: paperDefault(pick),
    cli: { flag: 'eps', value: 'X' },
  });
}

/** A class label, up to the dataset's last class. */
export function classRange(dataset: ViewDataset): NumberRange {
  const count = dataset.classCount;
  return capRange(rangeOf(ClassLabel), count - 1, `the dataset has ${count} classes`);
}
