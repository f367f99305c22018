/** Guards for a TrainingConfig (the zod schema checks user input; this protects the engine). */
import type { TrainingConfig } from '../../common/schemas';

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
}
