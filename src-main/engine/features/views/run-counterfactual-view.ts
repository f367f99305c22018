/**
 * View 6, counterfactual editing ("what would make this a 7?", Santurkar et al. 2019 §3.2): each
 * model in turn edits the images towards the target class within ε while every model's belief is
 * read along the path (counterfactual-compute.ts), laid out with frames for the ε slider
 * (counterfactual-figure.ts). A robust model's edit draws the target; a standard model flips its
 * own prediction with invisible noise that does not fool the robust one.
 */
import { computeCounterfactual } from './counterfactual-compute';
import { counterfactualFigure } from './counterfactual-figure';
import { computeThenDraw } from './view-context';

export const runCounterfactualView = computeThenDraw(computeCounterfactual, counterfactualFigure);
