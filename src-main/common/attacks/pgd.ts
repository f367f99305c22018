/**
 * PGD (Madry et al. 2018): projected gradient steps on the loss chosen from the loss registry,
 * from a random start, with restarts (per example the highest-loss iterate is kept). An attack
 * job gives its step size α; an evaluation gives it as a fraction of ε (stepFraction, null:
 * 2.5 / steps, enough for the iterates to cross the ball 2.5 times over).
 */
import { z } from 'zod';
import { countSetting, defineAttack } from './attack-descriptor';
import { finitePositive, wholeNumber } from '../number-schemas';
import { AttackLoss, runDefaults, threatModelDefaults } from './threat-models';

export const pgd = defineAttack({
  name: 'pgd',
  label: 'PGD',
  title: 'PGD',
  access: 'white-box',
  colorSlot: 1,
  threatModels: threatModelDefaults,
  losses: AttackLoss.options,
  targeted: true,
  classes: null,
  job: {
    steps: { label: 'Steps', default: runDefaults.steps },
    stepSize: true,
    restarts: true,
    fields: [],
    // α is the job's own (perturbation.stepSize), so the fraction is not used.
    options: (config) => ({
      steps: config.perturbation.steps,
      stepFraction: null,
      restarts: config.restarts,
    }),
  },
  options: z
    .object({
      method: z.literal('pgd'),
      steps: wholeNumber('PGD steps', 1, 10_000).default(runDefaults.steps),
      /**
       * α = stepFraction · ε. null: 2.5 / steps (Madry et al.: the iterates can cross the ball
       * 2.5 times over, enough to reach any corner from a random start).
       */
      stepFraction: finitePositive('PGD step fraction').nullable().default(null),
      restarts: wholeNumber('PGD restarts', 1, 100).default(runDefaults.restarts),
    })
    .strict(),
  settings: [countSetting('steps', 'Steps'), countSetting('restarts', 'Restarts')],
  evaluatedByDefault: true,
  curveName: (options) => `PGD-${options.steps}×${options.restarts}`,
  // The loss at x⁰ … x^T: T + 1 points per restart.
  progress: (options) => ({ runs: options.restarts, stepsPerRun: options.steps + 1 }),
  cost: (options) => options.restarts * (options.steps + 1),
});
