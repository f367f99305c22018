/**
 * What every attack method is described in terms of: the threat models (constraints), the losses
 * a gradient loop can follow, and the settings the clients start from. A leaf (zod only), read by
 * the method descriptors beside it, by attack-schemas.ts (AttackConfig) and by
 * attack-defaults.ts.
 */
import { z } from 'zod';

/** unconstrained: no ε-ball, only the [0,1] box (ε is then the random start's size). */
export const ConstraintName = z.enum(['linf', 'l2', 'unconstrained']);
export type ConstraintName = z.infer<typeof ConstraintName>;

/**
 * The per-example loss of FGSM/PGD (engine/attacks/loss-registry.ts). dlr-targeted is Croce &
 * Hein's targeted DLR toward the target class (targeted attacks only); dlr is for untargeted ones.
 */
export const AttackLoss = z.enum(['cross-entropy', 'cw-margin', 'dlr', 'dlr-targeted']);
export type AttackLoss = z.infer<typeof AttackLoss>;

export interface ThreatModelDefaults {
  epsilon: number;
  stepSize: number;
}

/**
 * Threat models per constraint, in [0,1] pixel units at MNIST scale: L∞ ε = 0.3 with steps of
 * 0.01 (Madry et al. 2018's MNIST attack); L2 ε = 2 with steps of 0.25. Unconstrained has no
 * ε-ball: ε is the L2 size of the random start only, and 0.5 keeps that start close to the image.
 */
export const threatModelDefaults = {
  linf: { epsilon: 0.3, stepSize: 0.01 },
  l2: { epsilon: 2, stepSize: 0.25 },
  unconstrained: { epsilon: 0.5, stepSize: 0.25 },
} as const satisfies Record<ConstraintName, ThreatModelDefaults>;

/**
 * The settings of an attack run that no method changes: the loss of a gradient loop, PGD's step
 * count (Madry et al.'s MNIST attack: 40), one restart, a random start. A method's descriptor says
 * where it differs (APGD: 100 iterations, the paper's N_iter).
 */
export const runDefaults = {
  loss: 'cross-entropy',
  steps: 40,
  restarts: 1,
  randomStart: true,
} as const satisfies {
  loss: AttackLoss;
  steps: number;
  restarts: number;
  randomStart: boolean;
};
