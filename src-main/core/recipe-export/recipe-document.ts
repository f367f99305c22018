/**
 * recipe.json of an exported recipe: the TrainingConfig with every field present (so the script
 * never guesses a default), the model's input shape and class count, and where it came from;
 * and the one-line summary the README and train.py start with.
 */
import type { TrainingConfig } from '../../common/training-schemas';
import type { ModelSpec } from '../../engine/engine-types';

export interface RecipeDocument {
  format: 'rfw-training-recipe';
  version: 1;
  config: TrainingConfig;
  model: Pick<ModelSpec, 'architecture' | 'inputShape' | 'numClasses'>;
  dataset: { id: number; name: string };
  /** The training run it is the recipe of; null for a config that was given directly. */
  runId: number | null;
}

export function recipeSummary(config: TrainingConfig, datasetName: string): string {
  const set = config.adversarial;
  const training =
    set === null
      ? 'standard training'
      : `${config.adversarialLoss === 'trades' ? `TRADES (β ${config.tradesBeta})` : 'PGD'} training, ` +
        `${set.constraint} ε ${set.epsilon}, ${set.steps} steps of ${set.stepSize}` +
        `${set.randomStart ? ', random start' : ''}`;
  return (
    `${config.architecture} on ${datasetName}, ${training}, ${config.epochs} ` +
    `epoch${config.epochs === 1 ? '' : 's'} of batch ` +
    `${config.batchSize}, ${config.optimizer} at ${config.learningRate}, seed ${config.seed}`
  );
}
