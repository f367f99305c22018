/**
 * The Square attack (Andriushchenko et al. 2020): black-box random search over square-shaped
 * updates at the corners of the ε-ball, L∞ or L2; it only queries the model's outputs, and an
 * image stops querying once it is misclassified. It reads neither steps nor restarts.
 */
import { z } from 'zod';
import { countSetting, defineAttack } from './attack-descriptor';
import { numberError, wholeNumber } from '../number-schemas';
import { threatModelDefaults } from './threat-models';

/** AutoAttack's standard budget (the paper used 10,000). */
const defaultQueries = 5000;
/** p_init, the fraction of pixels the first squares cover (the paper's MNIST value). */
const defaultInitialFraction = 0.8;

const initialFraction = () =>
  z
    .number({ error: numberError('p_init') })
    .gt(0, { message: 'p_init must be greater than 0' })
    .max(1, { message: 'p_init must be at most 1' });

export const square = defineAttack({
  name: 'square',
  label: 'Square',
  title: 'Square (black-box, L∞ or L2)',
  refusalName: 'the Square attack',
  access: 'black-box',
  colorSlot: 4,
  threatModels: { linf: threatModelDefaults.linf, l2: threatModelDefaults.l2 },
  losses: ['cross-entropy'],
  targeted: false,
  classes: null,
  job: {
    steps: null,
    stepSize: false,
    restarts: false,
    fields: [
      {
        name: 'squareQueries',
        schema: wholeNumber('queries', 1, 100_000),
        default: defaultQueries,
        label: 'Queries per image',
        summary: (value) => `${value} queries`,
        flag: 'queries',
        input: { min: 1, step: '1' },
      },
      {
        name: 'squareInitialFraction',
        schema: initialFraction(),
        default: defaultInitialFraction,
        label: 'p_init',
        summary: (value) => `p_init ${value}`,
        flag: 'p-init',
        input: { min: 0, max: 1, step: 'any' },
      },
    ],
    options: (config) => ({
      queries: config.squareQueries,
      initialFraction: config.squareInitialFraction,
    }),
  },
  options: z
    .object({
      method: z.literal('square'),
      queries: wholeNumber('Square queries', 1, 100_000).default(defaultQueries),
      initialFraction: initialFraction().default(defaultInitialFraction),
    })
    .strict(),
  settings: [
    countSetting('queries', 'Queries'),
    {
      key: 'initialFraction',
      label: 'p_init',
      noun: 'p_init',
      flag: 'p-init',
      input: { min: 0, max: 1, step: 'any' },
    },
  ],
  evaluatedByDefault: true,
  curveName: (options) => `Square-${options.queries}`,
  progress: (options) => ({ runs: 1, stepsPerRun: options.queries }),
  // Queries are forward passes; Square stops early once every image is misclassified.
  cost: (options) => options.queries / 3,
});
