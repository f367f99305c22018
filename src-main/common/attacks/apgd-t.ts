/**
 * APGD-T (Croce & Hein 2020): Auto-PGD on the targeted DLR loss, run once per target class (the
 * top-scoring wrong ones), untargeted as a whole, L∞ or L2. Targeted DLR divides by
 * z_π1 − (z_π3 + z_π4)/2, so it needs at least 4 classes.
 */
import { z } from 'zod';
import { countSetting, defineAttack } from './attack-descriptor';
import { apgdIterations } from './apgd-ce';
import { wholeNumber } from '../number-schemas';
import { runDefaults, threatModelDefaults } from './threat-models';

/** Target classes, the top-scoring wrong ones (paper: 9); clamped to C − 1. */
const defaultTargets = 9;

/** Runs: one per target class and restart. */
const targetRuns = (targets: number, restarts: number, numClasses: number) =>
  Math.min(targets, numClasses - 1) * restarts;

export const apgdT = defineAttack({
  name: 'apgd-t',
  label: 'APGD-T',
  title: 'APGD-T (Auto-PGD, targeted DLR)',
  access: 'white-box',
  colorSlot: 3,
  threatModels: { linf: threatModelDefaults.linf, l2: threatModelDefaults.l2 },
  losses: ['cross-entropy'],
  targeted: false,
  classes: { min: 4, why: "APGD-T's targeted DLR loss" },
  job: {
    steps: { label: 'Iterations', default: apgdIterations },
    stepSize: false,
    restarts: true,
    fields: [
      {
        name: 'apgdTargets',
        schema: wholeNumber('target classes', 1, 999),
        default: defaultTargets,
        label: 'Target classes',
        summary: (value) => `${value} target classes`,
        flag: 'targets',
        input: { min: 1, step: '1' },
      },
    ],
    options: (config) => ({
      iterations: config.perturbation.steps,
      restarts: config.restarts,
      targets: config.apgdTargets,
    }),
  },
  options: z
    .object({
      method: z.literal('apgd-t'),
      iterations: wholeNumber('APGD-T iterations', 1, 10_000).default(apgdIterations),
      restarts: wholeNumber('APGD-T restarts', 1, 100).default(runDefaults.restarts),
      /** Target classes, the top-scoring wrong ones; clamped to C − 1 (paper: 9). */
      targets: wholeNumber('APGD-T target classes', 1, 999).default(defaultTargets),
    })
    .strict(),
  settings: [
    countSetting('iterations', 'Iterations'),
    countSetting('restarts', 'Restarts'),
    countSetting('targets', 'Targets', 'target classes'),
  ],
  evaluatedByDefault: true,
  curveName: (options) => `APGD-T-${options.iterations}`,
  progress: (options, numClasses) => ({
    runs: targetRuns(options.targets, options.restarts, numClasses),
    stepsPerRun: options.iterations,
  }),
  cost: (options, numClasses) =>
    targetRuns(options.targets, options.restarts, numClasses) * (options.iterations + 1),
});
