/**
 * What a new attack and a new robustness evaluation start from, in every client: the Attack and
 * Evaluate tabs' fields and `rfw attack` / `rfw eval`'s options read these, so the two cannot
 * disagree. Each method's own settings start from its descriptor (common/attacks), and so do the
 * steps when the method counts them differently (APGD's 100 iterations).
 *
 * Threat models per constraint (common/attacks/threat-models.ts), in [0,1] pixel units at MNIST
 * scale: L∞ ε = 0.3 with 40 steps of 0.01 (Madry et al. 2018's MNIST attack); L2 ε = 2 with
 * steps of 0.25; unconstrained: ε is the L2 size of the random start only.
 */
import { methodDescriptors } from './attacks/attack-registry';
import { runDefaults, threatModelDefaults } from './attacks/threat-models';
import type { AttackLoss, ConstraintName } from './attacks/threat-models';
import type { AttackMethod } from './attack-schemas';

export type { ThreatModelDefaults } from './attacks/threat-models';

export const attackDefaults = {
  /** The loss of FGSM and PGD; what a recorded config without one means (withAttackDefaults). */
  loss: runDefaults.loss,
  method: 'pgd',
  constraint: 'linf',
  threatModels: threatModelDefaults,
  /** PGD steps (Madry et al.'s MNIST attack). */
  steps: runDefaults.steps,
  restarts: runDefaults.restarts,
  randomStart: runDefaults.randomStart,
  /** The first N test-split images: 100 gives a robust accuracy to about ±5 points. */
  count: 100,
  seed: 0,
} as const satisfies {
  loss: AttackLoss;
  method: AttackMethod;
  constraint: ConstraintName;
  threatModels: typeof threatModelDefaults;
  steps: number;
  restarts: number;
  randomStart: boolean;
  count: number;
  seed: number;
};

/**
 * A robustness evaluation: the first 200 test images; AutoAttack's standard suite (APGD-CE,
 * APGD-T, FAB-T, Square, in that order) plus FGSM and PGD, since a weaker list can miss what one
 * attack alone finds (issue 12: PGD-CE and APGD-CE stalled at 3% where APGD-T reached 0%): the
 * methods whose descriptors say evaluatedByDefault, in the registry's order; ε lists per norm.
 * Each attack's own settings are its descriptor's defaults (the papers' values).
 */
export const evaluationDefaults = {
  count: 200,
  constraint: 'linf',
  epsilons: { linf: [0, 0.1, 0.2, 0.3], l2: [0, 0.5, 1, 2] },
  attacks: methodDescriptors
    .filter((descriptor) => descriptor.evaluatedByDefault)
    .map((descriptor) => descriptor.name),
  seed: 0,
} as const satisfies {
  count: number;
  constraint: 'linf' | 'l2';
  epsilons: Record<'linf' | 'l2', readonly number[]>;
  attacks: readonly AttackMethod[];
  seed: number;
};
