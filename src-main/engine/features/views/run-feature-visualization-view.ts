/**
 * View 4, feature visualization and manipulation (Engstrom et al. 2019, §4.2), for one unit u of
 * the representation and each model: its most activating dataset images, an image synthesized
 * from noise to maximize it, and "add feature u" to the chosen images
 * (feature-visualization-compute.ts), laid out by feature-visualization-figure.ts. A robust
 * model's unit draws a visible pattern (strokes, "stripes"); a standard model's maximizer looks
 * like noise and its additions are invisible.
 */
import { computeFeatureVisualization } from './feature-visualization-compute';
import { featureVisualizationFigure } from './feature-visualization-figure';
import { computeThenDraw } from './view-context';

export const runFeatureVisualizationView = computeThenDraw(
  computeFeatureVisualization,
  featureVisualizationFigure,
);
