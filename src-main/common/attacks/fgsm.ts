/**
 * FGSM (Goodfellow et al. 2015): one gradient-sign step of size ε from x, on the loss chosen from
 * the loss registry; the engine runs it as the PGD loop with one step (attack-options.ts
 * fgsmOptions). It reads neither the steps nor the restarts; the Attack form keeps showing PGD's
 * fields for it, so that switching between the two keeps them.
 */
import { z } from 'zod';
import { defineAttack } from './attack-descriptor';
import { AttackLoss, runDefaults, threatModelDefaults } from './threat-models';

export const fgsm = defineAttack({
  name: 'fgsm',
  label: 'FGSM',
  title: 'FGSM',
  access: 'white-box',
  colorSlot: 0,
  threatModels: threatModelDefaults,
  losses: AttackLoss.options,
  targeted: true,
  classes: null,
  job: {
    steps: { label: 'Steps', default: runDefaults.steps },
    stepSize: true,
    restarts: true,
    fields: [],
    options: () => ({}),
  },
  options: z.object({ method: z.literal('fgsm') }).strict(),
  settings: [],
  evaluatedByDefault: true,
  curveName: () => 'FGSM',
  // One gradient step, then the loss at the step's end: the loop's beforeStep sees steps 0, 1.
  progress: () => ({ runs: 1, stepsPerRun: 2 }),
  cost: () => 2,
});
