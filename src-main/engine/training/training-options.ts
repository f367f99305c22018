/**
 * Guards for a TrainingConfig (the zod schema checks user input; this protects the engine), and
 * the defaults of the newer fields for callers that build a config without the schema.
 */
import { trainingDefaults, type TrainingConfig } from '../../common/training-schemas';
import { validateSchedule } from './learning-rate-schedule';

/**
 * The config with every newer field present. A config from TrainingConfig.parse has them already;
 * one built by hand in older code may not, and trains as it did before those fields existed.
 */
export function withTrainingDefaults(config: TrainingConfig): TrainingConfig {
  const given: Partial<TrainingConfig> = config;
  return {
    ...config,
    epsilonWarmupEpochs: given.epsilonWarmupEpochs ?? 0,
    adversarialLoss: given.adversarialLoss ?? trainingDefaults.adversarialLoss,
    tradesBeta: given.tradesBeta ?? trainingDefaults.tradesBeta,
    learningRateSchedule: given.learningRateSchedule ?? trainingDefaults.learningRateSchedule,
    augmentation: given.augmentation ?? trainingDefaults.augmentation,
    validation: given.validation ?? trainingDefaults.validation,
    saveFinalModel: given.saveFinalModel ?? trainingDefaults.saveFinalModel,
  };
}

export function validateTrainingConfig(config: TrainingConfig): void {
  const whole = (value: number, min: number, what: string): void => {
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${what} must be a whole number ≥ ${min}, got ${value}`);
  };
  whole(config.epochs, 1, 'epochs');
  whole(config.batchSize, 1, 'batch size');
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) {
    throw new Error(`learning rate must be a finite number > 0, got ${config.learningRate}`);
  }
  if (!Number.isInteger(config.seed))
    throw new Error(`seed must be a whole number, got ${config.seed}`);
  if (config.trainLimit !== null) whole(config.trainLimit, 1, 'train limit');
  if (!Number.isFinite(config.epsilonWarmupEpochs) || config.epsilonWarmupEpochs < 0) {
    throw new Error(`ε warm-up epochs must be ≥ 0, got ${config.epsilonWarmupEpochs}`);
  }
  const adversarial = config.adversarial;
  if (adversarial !== null) {
    if (!Number.isFinite(adversarial.epsilon) || adversarial.epsilon <= 0) {
      throw new Error(`ε must be a finite number > 0, got ${adversarial.epsilon}`);
    }
    if (!Number.isFinite(adversarial.stepSize) || adversarial.stepSize <= 0) {
      throw new Error(`step size must be a finite number > 0, got ${adversarial.stepSize}`);
    }
    whole(adversarial.steps, 1, 'steps');
  }
  if (config.adversarialLoss !== 'pgd' && config.adversarialLoss !== 'trades') {
    throw new Error(
      `adversarial loss must be pgd or trades, got ${String(config.adversarialLoss)}`,
    );
  }
  if (!Number.isFinite(config.tradesBeta) || config.tradesBeta < 0) {
    throw new Error(`TRADES β must be a finite number ≥ 0, got ${config.tradesBeta}`);
  }
  validateSchedule(config.learningRateSchedule, config.learningRate);
  if (!['auto', 'on', 'off'].includes(config.augmentation)) {
    throw new Error(`augmentation must be auto, on or off, got ${String(config.augmentation)}`);
  }
  if (config.validation !== null) whole(config.validation.everyEpochs, 1, 'validation interval');
}
