/**
 * How a features view assembles its result: every picture it keeps goes into `outputs` under a
 * key, and the figure (panels of rows of cells, curves, a table) refers to pictures by key. The
 * core stores each output as a float32 artifact and swaps keys for artifact ids, giving the
 * contract's FeaturesResult.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { FeatureImageOutput, FeaturesJobResult } from '../../protocol';
import type { EngineFeatureCell, EngineFeaturesSummary } from './feature-summaries';
import { readPictures, type PictureBatch } from './picture-batch';

/** How a figure names the view's input images and classes (a ViewContext gives both). */
export interface ViewCaptions {
  /** "#123 (7)": input image `position` by its dataset index and class name. */
  inputCaption(position: number): string;
  className(label: number): string;
}

export class FigureBuilder {
  private readonly outputs: FeatureImageOutput[] = [];

  /** Keeps one picture ([H,W,C] image or [H,W] map, values in [0,1]); returns its key. */
  picture(shape: number[], data: Float32Array): string {
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) {
      throw new Error(`a picture of shape [${shape.join(', ')}] needs ${size} values`);
    }
    const key = `p${this.outputs.length}`;
    this.outputs.push({ key, shape: [...shape], data });
    return key;
  }

  /** Keeps each example of a batch [N,H,W,C] (or heatmaps [N,H,W]); returns their keys. */
  pictures(batch: tf.Tensor): string[] {
    return this.pictureBatch(readPictures(batch));
  }

  /** The same for a batch already read back. */
  pictureBatch(batch: PictureBatch): string[] {
    const [n = 0, ...shape] = batch.shape;
    const size = shape.reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) =>
      this.picture(shape, batch.data.slice(i * size, (i + 1) * size)),
    );
  }

  finish(summary: EngineFeaturesSummary): FeaturesJobResult {
    const kept = new Set(this.outputs.map((output) => output.key));
    for (const panel of summary.panels) {
      for (const row of panel.rows) {
        for (const cell of row.cells) {
          if (!kept.has(cell.output) || (cell.base !== null && !kept.has(cell.base))) {
            throw new Error(`the figure refers to a picture that was not kept (${cell.output})`);
          }
        }
      }
    }
    return { kind: 'features', outputs: this.outputs, summary };
  }
}

/** A cell showing a kept picture as it is. */
export function imageCell(
  output: string,
  caption: string,
  numbers: Record<string, number> = {},
): EngineFeatureCell {
  return { output, caption, display: 'image', base: null, numbers };
}

/** A cell showing a kept map as a heatmap over the picture `base` (null: over nothing). */
export function heatmapCell(
  output: string,
  caption: string,
  base: string | null,
  numbers: Record<string, number> = {},
): EngineFeatureCell {
  return { output, caption, display: 'heatmap', base, numbers };
}
