/**
 * The rows of a panel that follows an iterative edit (PathRecorder's frames, path-frames.ts):
 * a row per example, a cell per kept frame with its L2 change from the start and whatever the
 * recorder measured there — the cells a result's slider scrubs through by 'L2 change'.
 */
import { imageCell, type FigureBuilder } from './feature-figure';
import type { EngineFeatureRow } from './feature-summaries';
import type { PathFrame } from './path-frames';

export function pathRows(
  figure: FigureBuilder,
  frames: readonly PathFrame[],
  imageShape: readonly number[],
  captions: readonly string[],
): EngineFeatureRow[] {
  const size = imageShape.reduce((a, b) => a * b, 1);
  return captions.map((caption, n) => ({
    caption,
    cells: frames.map((frame) =>
      imageCell(
        figure.picture([...imageShape], frame.pixels.slice(n * size, (n + 1) * size)),
        `after ${frame.steps} steps`,
        {
          'L2 change': frame.distance[n] ?? NaN,
          ...Object.fromEntries(
            Object.entries(frame.numbers).map(([key, values]) => [key, values[n] ?? NaN]),
          ),
        },
      ),
    ),
  }));
}
