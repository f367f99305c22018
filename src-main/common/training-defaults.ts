/**
 * What a new training run starts from, in every client: the Train tab's fields and `rfw train`'s
 * options read these, so the two cannot disagree. (training-schemas.ts `trainingDefaults` is
 * another thing: what a config recorded before a field existed means; the values they share come
 * from it.)
 *
 * Robust training: 7 PGD steps with a step of a third of ε (L∞ 0.3 / 0.1, L2 2 / 0.25), the
 * usual "7-step PGD" of adversarial training, and one epoch of ε warm-up: at ε = 0.3 from random
 * weights small-cnn stayed at chance without it (measured). Validation holds out 10% of the
 * training split and keeps the best epoch's weights.
 */
import { trainingDefaults } from './training-schemas';
import type { ThreatModelDefaults } from './attack-defaults';
import type {
  AdversarialLoss,
  AugmentationChoice,
  LearningRateSchedule,
  OptimizerName,
} from './training-schemas';
import type { TrainableArchitecture } from './model-schemas';

export const trainingFormDefaults = {
  architecture: 'small-cnn',
  epochs: 2,
  batchSize: 64,
  learningRate: 0.001,
  optimizer: 'adam',
  seed: 0,
  robust: {
    threatModels: {
      linf: { epsilon: 0.3, stepSize: 0.1 },
      l2: { epsilon: 2, stepSize: 0.25 },
    },
    steps: 7,
    randomStart: true,
    epsilonWarmupEpochs: 1,
  },
  /** Robust training's loss: PGD examples (Madry et al.); TRADES when asked for. */
  adversarialLoss: 'pgd',
  tradesBeta: trainingDefaults.tradesBeta,
  /** The learning-rate schedule's kind, and each schedule's parameters when chosen without them. */
  scheduleKind: 'constant',
  schedule: { gamma: 0.1, floor: 0, peakFraction: 0.5 },
  augmentation: trainingDefaults.augmentation,
  validation: { enabled: true, size: 0.1, everyEpochs: 1 },
  saveFinalModel: trainingDefaults.saveFinalModel,
} as const satisfies {
  architecture: TrainableArchitecture;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  seed: number;
  robust: {
    threatModels: Record<'linf' | 'l2', ThreatModelDefaults>;
    steps: number;
    randomStart: boolean;
    epsilonWarmupEpochs: number;
  };
  adversarialLoss: AdversarialLoss;
  tradesBeta: number;
  scheduleKind: LearningRateSchedule['kind'];
  schedule: { gamma: number; floor: number; peakFraction: number };
  augmentation: AugmentationChoice;
  validation: { enabled: boolean; size: number; everyEpochs: number };
  saveFinalModel: boolean;
};

/**
 * A new model's name when none is typed: its architecture, "robust …" when adversarially trained,
 * so that a list of models can be told apart (the Train tab shows it as the name field's hint).
 */
export function defaultModelName(architecture: TrainableArchitecture, robust: boolean): string {
  return robust ? `robust ${architecture}` : architecture;
}
