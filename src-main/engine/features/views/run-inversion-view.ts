/**
 * View 2, representation inversion ("x₁ ≠ x₂ but z₁ ≈ z₂", Engstrom et al. 2019 §4.1): for each
 * model and target image x_t, start from noise or another image and minimize the relative
 * representation distance ‖r(x) − r(x_t)‖ / ‖r(x_t)‖ with normalized L2 steps
 * (invert-representation.ts). Reported per image: that distance at the end, and the pixel
 * distance ‖x − x_t‖₂ — small for a robust model (the inverse looks like the target), large for a
 * standard one (a different image, often noise-like, with the same representation).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InversionViewConfig } from '../../../common/features-schemas';
import { deriveSeed } from '../../random/seeded-random';
import type { FeaturesJobResult } from '../../protocol';
import { invertRepresentation } from '../invert-representation';
import { imageCell } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import { pixelDistances } from './pixel-distance';
import { uniformNoise } from './uniform-noise';
import type { ViewContext } from './view-context';

export function runInversionView(
  context: ViewContext,
  config: InversionViewConfig,
): FeaturesJobResult {
  const count = config.targetIndices.length;
  const targets = context.inputImages(0, count);
  const starts =
    config.start.kind === 'images'
      ? context.inputImages(count, 2 * count)
      : uniformNoise(targets.shape, deriveSeed(config.seed, 'inversion-start'));
  try {
    const { figure } = context;
    const targetKeys = figure.pictures(targets);
    const startKeys = figure.pictures(starts);
    const captions = targetKeys.map((_, n) => `inverting ${context.inputCaption(n)}`);
    const panels: EngineFeaturePanel[] = [];
    const curves = [];
    const tableRows: (string | number)[][] = [];
    for (const [m, { input, model }] of context.models.entries()) {
      const target = tf.tidy(() => model.forward(targets).representation);
      const stage = context.modelStage(m, config.steps, `inverting ${input.name}`, captions);
      try {
        const outcome = invertRepresentation(
          model,
          starts,
          target,
          { steps: config.steps, stepSize: config.stepSize },
          stage.hooks,
        );
        try {
          const resultKeys = figure.pictures(outcome.images);
          const representationDistance = Array.from(outcome.loss.dataSync());
          const pixelDistance = pixelDistances(outcome.images, targets);
          panels.push({
            modelId: input.id,
            title: input.name,
            scrubBy: null,
            rows: resultKeys.map((key, n) => {
              const numbers = {
                'repr. distance': representationDistance[n] ?? NaN,
                'pixel L2': pixelDistance[n] ?? NaN,
              };
              tableRows.push([input.name, context.inputCaption(n), ...Object.values(numbers)]);
              return {
                caption: context.inputCaption(n),
                cells: [
                  imageCell(targetKeys[n] ?? '', 'target'),
                  imageCell(startKeys[n] ?? '', 'start'),
                  imageCell(key, 'inverted', numbers),
                ],
              };
            }),
          });
          curves.push({ label: input.name, modelId: input.id, values: outcome.lossPerStep });
        } finally {
          tf.dispose([outcome.images, outcome.loss]);
        }
      } finally {
        target.dispose();
      }
    }
    return figure.finish({
      view: 'inversion',
      panels,
      curves,
      curveLabel: 'relative representation distance ‖r(x) − r(x_t)‖ / ‖r(x_t)‖',
      table: {
        columns: ['model', 'target', 'representation distance', 'pixel L2 distance'],
        rows: tableRows,
      },
      warnings: [],
    });
  } finally {
    tf.dispose([targets, starts]);
  }
}
