import type { ModelSummary } from '@common/model-schemas';
import { percent } from './format';

/** A model as a select names it: "name (robust, 91.2%)", its kind and its test accuracy. */
export function modelChoiceLabel(
  model: Pick<ModelSummary, 'name' | 'robust' | 'testAccuracy'>,
): string {
  return `${model.name} (${model.robust ? 'robust' : 'standard'}, ${percent(model.testAccuracy)})`;
}
