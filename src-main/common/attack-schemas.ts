/**
 * Attacks: the threat model (PerturbationSet), an attack run's config, and its result image by
 * image. The methods themselves are the descriptors of common/attacks (one file each, listed in
 * attack-registry.ts); ConstraintName and AttackLoss live in attacks/threat-models.ts, a leaf the
 * descriptors read too; the values a new attack starts from are attack-defaults.ts. Pure zod,
 * like every *-schemas.ts.
 */
import { z } from 'zod';
import { finitePositive, wholeNumber } from './number-schemas';
import { Id } from './reference-schemas';
import { SplitName } from './dataset-schemas';
import { AttackLoss, ConstraintName } from './attacks/threat-models';
import { attackJobFieldSchemas, attackMethodNames } from './attacks/attack-registry';

/**
 * A threat model: the ε-ball of one norm around the clean input, intersected with [0,1].
 * ε is in pixel units on the [0,1] scale (ε = 0.3 under L∞ means ±0.3 per pixel).
 */
export const PerturbationSet = z.object({
  constraint: ConstraintName,
  epsilon: finitePositive('ε'),
  steps: wholeNumber('steps', 1, 10_000),
  stepSize: finitePositive('step size'),
  randomStart: z.boolean(),
});
export type PerturbationSet = z.infer<typeof PerturbationSet>;

/**
 * The attack methods: the names of the registry's descriptors (common/attacks/attack-registry.ts),
 * one file each, which say what each method is, takes and supports.
 */
export const AttackMethod = z.enum(attackMethodNames);
export type AttackMethod = z.infer<typeof AttackMethod>;

export const AttackIndexSpace = z.enum(['test', 'dataset']);
export type AttackIndexSpace = z.infer<typeof AttackIndexSpace>;

export const AttackConfig = z.object({
  modelId: Id,
  datasetId: Id,
  /** Which images: positions counted as `indexSpace` says. */
  indices: z
    .array(z.number().int().nonnegative({ message: 'an image index cannot be negative' }))
    .min(1, { message: 'choose at least one image' })
    .max(5000, { message: 'at most 5000 images per attack' }),
  /**
   * What `indices` count. 'test': positions in the dataset's test split (0 is its first test
   * image), what the Attack form and `rfw attack` send. 'dataset': positions in the whole dataset,
   * training images included (the result flags those). Absent means 'dataset', because every run
   * saved before this field existed meant that, and a saved run must keep its meaning.
   */
  indexSpace: AttackIndexSpace.optional(),
  method: AttackMethod,
  perturbation: PerturbationSet,
  restarts: wholeNumber('restarts', 1, 100),
  /** null: untargeted (maximize the true-class loss); a class: targeted (minimize its loss). */
  targetClass: z.number().int().min(0).nullable(),
  seed: z.number().int(),
  // Issue 4 §3. Optional so that configs saved before them load as they ran; the defaults
  // (attackDefaults.loss, and each method's job.fields in common/attacks) are what those runs
  // used. APGD's iteration count is perturbation.steps and its restarts are `restarts`.
  /** FGSM/PGD only: the loss maximized (targeted: minimized); default cross-entropy. */
  loss: AttackLoss.optional(),
  /**
   * Each method's own settings (APGD-T's apgdTargets, Square's squareQueries and
   * squareInitialFraction), declared with the method in its descriptor's job.fields.
   */
  ...attackJobFieldSchemas,
});
export type AttackConfig = z.infer<typeof AttackConfig>;

/** One of the classes a model ranks highest for an image, with its softmax probability. */
export const TopPrediction = z.object({ label: z.number().int(), probability: z.number() });
export type TopPrediction = z.infer<typeof TopPrediction>;

/** One image of an attack result: the three pictures and what the model said about each. */
export const AttackExample = z.object({
  index: z.number().int(),
  label: z.number().int(),
  originalArtifactId: Id,
  perturbationArtifactId: Id,
  adversarialArtifactId: Id,
  cleanTop5: z.array(TopPrediction),
  adversarialTop5: z.array(TopPrediction),
  linfNorm: z.number(),
  l2Norm: z.number(),
  /**
   * Untargeted: the adversarial prediction is wrong. Targeted: it is the target class. True too
   * for an image the model already got wrong, so count successes with common/attack-tally.ts.
   */
  success: z.boolean(),
  /**
   * The model classified the clean image correctly. Absent in runs saved before it was recorded:
   * read it from cleanTop5 (common/attack-tally.ts cleanCorrect).
   */
  cleanCorrect: z.boolean().optional(),
  /**
   * The image's split and its position in it (0 is the split's first image), filled in when the
   * run is read; absent when its dataset is gone. A 'train' image makes the robust accuracy no
   * test-set measurement, and the attack view says so.
   */
  split: SplitName.optional(),
  splitPosition: z.number().int().optional(),
  /** Square: the model queries spent on this example; absent for the other methods. */
  queries: z.number().int().optional(),
  /**
   * Gradient attacks: no step moved this image from where it started (a zero or numerically lost
   * gradient). Absent for Square and in runs saved before it was recorded.
   */
  stalled: z.boolean().optional(),
});
export type AttackExample = z.infer<typeof AttackExample>;

export const AttackResult = z.object({
  runId: Id,
  config: AttackConfig,
  cleanAccuracy: z.number(),
  robustAccuracy: z.number(),
  /** Mean loss over the set after each step (step 0 is the start point). */
  lossPerStep: z.array(z.number()),
  examples: z.array(AttackExample),
});
export type AttackResult = z.infer<typeof AttackResult>;

/** An attack run's result column: the result without its run id, which is added when read. */
export const StoredAttackResult = AttackResult.omit({ runId: true });
export type StoredAttackResult = z.infer<typeof StoredAttackResult>;
