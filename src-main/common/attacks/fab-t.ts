/**
 * FAB-T (Croce & Hein 2020, the targeted Fast Adaptive Boundary attack): a minimum-norm attack
 * that walks along linearizations of the boundary between the true class and a target class (one
 * run per target, the top-scoring wrong ones), L∞ or L2; an image counts as broken when the
 * closest misclassified point it found is within ε. AutoAttack's standard version runs it after
 * APGD-T with 100 iterations, 9 targets, one restart from the clean image (no random start), so
 * it reads neither restarts nor a step size. Its constants (α_max, η, β) are the paper's, in
 * engine/attacks/fab-targeted.ts.
 */
import { z } from 'zod';
import { countSetting, defineAttack } from './attack-descriptor';
import { wholeNumber } from '../number-schemas';
import { threatModelDefaults } from './threat-models';

/** AutoAttack's FAB-T iterations (standard version). */
const defaultIterations = 100;
/** Target classes, the top-scoring wrong ones (AutoAttack: 9); clamped to C − 1. */
const defaultTargets = 9;

const targetRuns = (targets: number, numClasses: number) => Math.min(targets, numClasses - 1);

export const fabT = defineAttack({
  name: 'fab-t',
  label: 'FAB-T',
  title: 'FAB-T (minimum-norm, targeted, L∞ or L2)',
  access: 'white-box',
  colorSlot: 6,
  threatModels: { linf: threatModelDefaults.linf, l2: threatModelDefaults.l2 },
  losses: ['cross-entropy'],
  targeted: false,
  classes: { min: 2, why: 'FAB-T’s boundary between two classes' },
  job: {
    steps: { label: 'Iterations', default: defaultIterations },
    stepSize: false,
    restarts: false,
    fields: [
      {
        name: 'fabTargets',
        schema: wholeNumber('target classes', 1, 999),
        default: defaultTargets,
        label: 'Target classes',
        summary: (value) => `${value} target classes`,
        flag: 'fab-targets',
        input: { min: 1, step: '1' },
      },
    ],
    options: (config) => ({
      iterations: config.perturbation.steps,
      targets: config.fabTargets,
    }),
  },
  options: z
    .object({
      method: z.literal('fab-t'),
      iterations: wholeNumber('FAB-T iterations', 1, 10_000).default(defaultIterations),
      /** Target classes, the top-scoring wrong ones; clamped to C − 1 (AutoAttack: 9). */
      targets: wholeNumber('FAB-T target classes', 1, 999).default(defaultTargets),
    })
    .strict(),
  settings: [
    countSetting('iterations', 'Iterations'),
    countSetting('targets', 'Targets', 'target classes'),
  ],
  evaluatedByDefault: true,
  curveName: (options) => `FAB-T-${options.iterations}`,
  progress: (options, numClasses) => ({
    runs: targetRuns(options.targets, numClasses),
    stepsPerRun: options.iterations,
  }),
  // Per iteration one forward and backward pass (∇ of z_t − z_y) and one forward pass (1/3).
  cost: (options, numClasses) =>
    (targetRuns(options.targets, numClasses) * options.iterations * 4) / 3,
});
