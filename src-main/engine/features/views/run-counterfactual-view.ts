/**
 * View 6, counterfactual editing ("what would make this a 7?", Santurkar et al. 2019 §3.2): each
 * model in turn edits the images towards the target class within ε while every model's belief is
 * read along the path (counterfactual-compute.ts), laid out with frames for the ε slider
 * (counterfactual-figure.ts). A robust model's edit draws the target; a standard model flips its
 * own prediction with invisible noise that does not fool the robust one.
 */
import type { CounterfactualConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { computeCounterfactual } from './counterfactual-compute';
import { counterfactualFigure } from './counterfactual-figure';
import type { ViewContext } from './view-context';

export function runCounterfactualView(
  context: ViewContext,
  config: CounterfactualConfig,
): FeaturesJobResult {
  const data = computeCounterfactual(context, config);
  return counterfactualFigure(context.figure, context, config, data);
}
