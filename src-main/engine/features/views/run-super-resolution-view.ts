/**
 * View 5b, super-resolution (Santurkar et al. 2019, §3.3): each image is downsampled by the
 * factor (block means), upsampled back (nearest neighbour), then sharpened by ascending its
 * class score within an L2 ball of ε around the upsampled image (synthesize.ts: superResolve).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SuperResolutionConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { downsampleBlocks, upsampleBlocks } from '../block-resample';
import { superResolve } from '../synthesize';
import {
  beforeAfterRows,
  endPredictions,
  outcomeCell,
  predictionNumbers,
} from './class-ascent-cells';
import { imageCell } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import { pixelDistances } from './pixel-distance';
import type { ViewContext } from './view-context';

export function runSuperResolutionView(
  context: ViewContext,
  config: SuperResolutionConfig,
): FeaturesJobResult {
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const labels = context.inputLabels(count);
  const low = downsampleBlocks(images, config.factor);
  const upsampled = upsampleBlocks(low, config.factor);
  const { figure } = context;
  try {
    const originalKeys = figure.pictures(images);
    const upsampledKeys = figure.pictures(upsampled);
    const panels: EngineFeaturePanel[] = [];
    const curves = [];
    const tableRows: (string | number)[][] = [];
    const captions = labels.map((_, n) => `sharpening ${context.inputCaption(n)}`);
    for (const [m, { input, model }] of context.models.entries()) {
      const stage = context.modelStage(
        m,
        config.steps,
        `super-resolving with ${input.name}`,
        captions,
      );
      const outcome = superResolve(
        model,
        low,
        labels,
        {
          epsilon: config.epsilon,
          steps: config.steps,
          stepSize: config.stepSize,
          factor: config.factor,
        },
        stage.hooks,
      );
      try {
        const keys = figure.pictures(outcome.images);
        const ends = endPredictions(outcome.predictionsPerStep);
        const { before, after } = ends;
        const errorsBefore = pixelDistances(outcome.upsampled, images);
        const errorsAfter = pixelDistances(outcome.images, images);
        panels.push({
          modelId: input.id,
          title: input.name,
          scrubBy: null,
          rows: keys.map((key, n) => ({
            caption: context.inputCaption(n),
            cells: [
              imageCell(originalKeys[n] ?? '', 'original'),
              outcomeCell(upsampledKeys[n] ?? '', `${config.factor}× upsampled`, before, n),
              imageCell(key, 'super-resolved', {
                ...predictionNumbers(after, n),
                'L2 to original': errorsAfter[n] ?? NaN,
              }),
            ],
          })),
        });
        tableRows.push(
          ...beforeAfterRows(input.name, context, count, ends, (n) => [
            errorsBefore[n] ?? NaN,
            errorsAfter[n] ?? NaN,
          ]),
        );
        curves.push({ label: input.name, modelId: input.id, values: outcome.lossPerStep });
      } finally {
        tf.dispose([outcome.images, outcome.upsampled]);
      }
    }
    return figure.finish({
      view: 'super-resolution',
      panels,
      curves,
      curveLabel: 'mean cross-entropy of the true class',
      table: {
        columns: [
          'model',
          'image',
          'p(class) upsampled',
          'p(class) super-resolved',
          'L2 to original, upsampled',
          'L2 to original, super-resolved',
        ],
        rows: tableRows,
      },
      warnings: [],
    });
  } finally {
    tf.dispose([images, low, upsampled]);
  }
}
