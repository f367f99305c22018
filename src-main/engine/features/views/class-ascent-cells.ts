/** Cells and table rows shared by the views that push images towards a class. */
import type { ClassPredictions } from '../class-predictions';
import { imageCell } from './feature-figure';
import type { EngineFeatureCell } from './feature-summaries';

/** p(class) and the top-1 class of example n, as a result cell's figures. */
export function predictionNumbers(
  predictions: ClassPredictions | undefined,
  n: number,
): Record<string, number> {
  return {
    'p(class)': predictions?.targetProbability[n] ?? NaN,
    predicted: predictions?.predictedClass[n] ?? NaN,
  };
}

/** A cell showing an outcome with the model's belief about it. */
export function outcomeCell(
  output: string,
  caption: string,
  predictions: ClassPredictions | undefined,
  n: number,
): EngineFeatureCell {
  return imageCell(output, caption, predictionNumbers(predictions, n));
}
