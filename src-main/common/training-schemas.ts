/**
 * Training: the optimizers, the adversarial losses, the learning-rate schedules, augmentation,
 * validation and a training run's config. `trainingDefaults` here is what a config saved before a
 * field existed means; what a new run starts from in the Train tab and `rfw train` is
 * training-defaults.ts. Pure zod, like every *-schemas.ts.
 */
import { z } from 'zod';
import { finitePositive, numberError, wholeNumber } from './number-schemas';
import { Id } from './reference-schemas';
import { TrainableArchitecture } from './model-schemas';
import { PerturbationSet } from './attack-schemas';

export const OptimizerName = z.enum(['sgd', 'momentum', 'adam']);
export type OptimizerName = z.infer<typeof OptimizerName>;

export const AdversarialLoss = z.enum(['pgd', 'trades']);
export type AdversarialLoss = z.infer<typeof AdversarialLoss>;

/**
 * The learning rate over a run of T batches, at batch s (0-based), for the configured rate η:
 *   constant:  η
 *   step:      η · γ^k, k = how many milestones m satisfy m ≤ (epoch of batch s, 0-based)
 *   cosine:    floor + (η − floor) · (1 + cos(π s / T)) / 2
 *   one-cycle: linear 0 → η over the first peakFraction of the run, then η → 0 (the cyclic rate
 *              of fast adversarial training, Wong et al. 2020), evaluated at (s + 1) / T
 */
export const LearningRateSchedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  z.object({
    kind: z.literal('step'),
    /** Factor applied at each milestone. */
    gamma: z
      .number({ error: numberError('γ') })
      .gt(0, { message: 'γ must be greater than 0' })
      .max(1, { message: 'γ must be at most 1' }),
    /** After this many epochs the rate is multiplied by γ (e.g. [50, 75]). */
    milestones: z
      .array(wholeNumber('a milestone', 1, 1000))
      .min(1, { message: 'give at least one milestone epoch' }),
  }),
  z.object({
    kind: z.literal('cosine'),
    /** The rate at the end of the run (0: anneal to zero). */
    floor: z
      .number({ error: numberError('the cosine floor') })
      .min(0, { message: 'the cosine floor cannot be negative' })
      .default(0),
  }),
  z.object({
    kind: z.literal('one-cycle'),
    /** Where the peak is, as a fraction of the run (0.5 in fast adversarial training on CIFAR). */
    peakFraction: z
      .number({ error: numberError('the peak position') })
      .gt(0, { message: 'the peak position must be between 0 and 1' })
      .lt(1, { message: 'the peak position must be between 0 and 1' })
      .default(0.5),
  }),
]);
export type LearningRateSchedule = z.infer<typeof LearningRateSchedule>;

export const AugmentationChoice = z.enum(['auto', 'on', 'off']);
export type AugmentationChoice = z.infer<typeof AugmentationChoice>;

/** A seeded validation subset held out of the training split, measured every few epochs. */
export const ValidationConfig = z.object({
  /** A whole number ≥ 1: that many images; a number in (0, 1): that fraction of the split. */
  size: z
    .number({ error: numberError('validation size') })
    .gt(0, { message: 'validation size must be greater than 0' })
    .refine((value) => value < 1 || Number.isInteger(value), {
      message: 'validation size must be a whole number of images, or a fraction between 0 and 1',
    }),
  /** Validate after every N epochs (and always after the last one). */
  everyEpochs: wholeNumber('validation interval', 1, 1000).default(1),
  /** Robust validation threat model; null: the training one (none for standard training). */
  attack: PerturbationSet.nullable().default(null),
});
export type ValidationConfig = z.infer<typeof ValidationConfig>;

/**
 * Defaults of the training fields added after the first release: a config saved before them
 * loads with these and trains as it did then (PGD, constant rate, no validation hold-out), except
 * that 'auto' augmentation is on for 32×32×3 images.
 */
export const trainingDefaults = {
  adversarialLoss: 'pgd',
  tradesBeta: 6,
  learningRateSchedule: { kind: 'constant' },
  augmentation: 'auto',
  validation: null,
  saveFinalModel: false,
} as const satisfies {
  adversarialLoss: AdversarialLoss;
  tradesBeta: number;
  learningRateSchedule: LearningRateSchedule;
  augmentation: AugmentationChoice;
  validation: ValidationConfig | null;
  saveFinalModel: boolean;
};

export const TrainingConfig = z.object({
  datasetId: Id,
  modelName: z.string().trim().min(1, { message: 'a model name is required' }).max(200),
  architecture: TrainableArchitecture,
  epochs: wholeNumber('epochs', 1, 1000),
  batchSize: wholeNumber('batch size', 1, 4096),
  learningRate: finitePositive('learning rate'),
  optimizer: OptimizerName,
  seed: z.number().int(),
  /** Use only the first N training images (after the seeded shuffle); null: all of them. */
  trainLimit: z.number().int().min(1).nullable(),
  /** null: standard training. Otherwise PGD adversarial training (Madry et al. 2018). */
  adversarial: PerturbationSet.nullable(),
  /**
   * Adversarial training only: ε (and the step size with it) grows linearly from 0 to its full
   * value over this many epochs, batch by batch; 0 trains at full ε from the first batch. Large
   * ε from random weights often never leaves chance level (measured here: small-cnn at ε = 0.3).
   */
  epsilonWarmupEpochs: z
    .number({ error: numberError('ε warm-up epochs') })
    .min(0, { message: 'ε warm-up epochs cannot be negative' })
    .max(1000)
    .default(0),
  /**
   * Adversarial training only: 'pgd' trains on the PGD example (Madry et al. 2018); 'trades'
   * minimizes CE(f(x), y) + β·KL(softmax f(x) ‖ softmax f(x')) with x' found by PGD on the KL
   * term (Zhang et al. 2019).
   */
  adversarialLoss: AdversarialLoss.default(trainingDefaults.adversarialLoss),
  /** TRADES β: weight of the KL (robustness) term; 6 in Zhang et al. */
  tradesBeta: z
    .number({ error: numberError('TRADES β') })
    .min(0, { message: 'TRADES β cannot be negative' })
    .max(1000)
    .default(trainingDefaults.tradesBeta),
  /** How the learning rate moves over the run, batch by batch. */
  learningRateSchedule: LearningRateSchedule.default(trainingDefaults.learningRateSchedule),
  /**
   * Random crop (zero padding 4) and horizontal flip of each training batch, seeded by
   * (seed, epoch, batch). 'auto': on for 32×32×3 (CIFAR-like) images only, off otherwise.
   */
  augmentation: AugmentationChoice.default(trainingDefaults.augmentation),
  /** null: no validation; the saved model is the final one. */
  validation: ValidationConfig.nullable().default(trainingDefaults.validation),
  /**
   * With validation, the saved model is the best validation checkpoint; true also saves the final
   * weights as a second model, "NAME (final epoch)".
   */
  saveFinalModel: z.boolean().default(trainingDefaults.saveFinalModel),
});
export type TrainingConfig = z.infer<typeof TrainingConfig>;
