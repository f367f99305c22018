/** Cells and table rows shared by the views that push images towards a class. */
import type { ClassPredictions } from '../class-predictions';
import { imageCell, type ViewCaptions } from './feature-figure';
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

/** What the model predicted for the images before the first step and after the last. */
export function endPredictions(predictionsPerStep: readonly ClassPredictions[][]): {
  before: ClassPredictions | undefined;
  after: ClassPredictions | undefined;
} {
  return { before: predictionsPerStep[0]?.[0], after: predictionsPerStep.at(-1)?.[0] };
}

/**
 * One table row per input image 0…count−1 of `model`: the image, p(class) before and after the
 * ascent, then the view's own `more` figures.
 */
export function beforeAfterRows(
  model: string,
  captions: ViewCaptions,
  count: number,
  { before, after }: ReturnType<typeof endPredictions>,
  more: (n: number) => number[] = () => [],
): (string | number)[][] {
  return Array.from({ length: count }, (_, n) => [
    model,
    captions.inputCaption(n),
    before?.targetProbability[n] ?? NaN,
    after?.targetProbability[n] ?? NaN,
    ...more(n),
  ]);
}
