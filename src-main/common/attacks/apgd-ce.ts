/**
 * APGD-CE (Croce & Hein 2020): Auto-PGD on the cross-entropy, untargeted, L∞ or L2. Its step size
 * is its own (2ε, halved at checkpoints where progress stalls); an attack job's steps are its
 * iterations.
 */
import { z } from 'zod';
import { countSetting, defineAttack } from './attack-descriptor';
import { wholeNumber } from '../number-schemas';
import { runDefaults, threatModelDefaults } from './threat-models';

/** N_iter of APGD in the paper; the clients switch the steps to it when APGD is chosen. */
export const apgdIterations = 100;

export const apgdCe = defineAttack({
  name: 'apgd-ce',
  label: 'APGD-CE',
  title: 'APGD-CE (Auto-PGD, cross-entropy)',
  access: 'white-box',
  colorSlot: 2,
  threatModels: { linf: threatModelDefaults.linf, l2: threatModelDefaults.l2 },
  losses: ['cross-entropy'],
  targeted: false,
  classes: null,
  job: {
    steps: { label: 'Iterations', default: apgdIterations },
    stepSize: false,
    restarts: true,
    fields: [],
    options: (config) => ({
      iterations: config.perturbation.steps,
      restarts: config.restarts,
    }),
  },
  options: z
    .object({
      method: z.literal('apgd-ce'),
      iterations: wholeNumber('APGD iterations', 1, 10_000).default(apgdIterations),
      restarts: wholeNumber('APGD restarts', 1, 100).default(runDefaults.restarts),
    })
    .strict(),
  settings: [countSetting('iterations', 'Iterations'), countSetting('restarts', 'Restarts')],
  evaluatedByDefault: true,
  curveName: (options) => `APGD-CE-${options.iterations}`,
  progress: (options) => ({ runs: options.restarts, stepsPerRun: options.iterations }),
  // The loss at the start and after each iteration.
  cost: (options) => options.restarts * (options.iterations + 1),
});
