/**
 * View 3, interpolation through representation space (Engstrom et al. 2019, §4.1): K frames
 * between images x_a and x_b, frame k inverted to the representation (1 − α_k)·r(x_a) + α_k·r(x_b)
 * (interpolate.ts). Shown beside the plain pixel blend (1 − α)·x_a + α·x_b, which is where each
 * frame starts: a robust model's frames morph one digit into the other; a standard model's stay
 * close to the blend, since tiny changes already reach the target representation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InterpolationConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { interpolateRepresentations } from '../interpolate';
import { imageCell } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import type { ViewContext } from './view-context';

function alphaCaption(alpha: number): string {
  return `α = ${Number(alpha.toFixed(2))}`;
}

export function runInterpolationView(
  context: ViewContext,
  config: InterpolationConfig,
): FeaturesJobResult {
  const from = context.inputImages(0, 1);
  const to = context.inputImages(1, 2);
  const { figure } = context;
  const alphas = Array.from({ length: config.frames }, (_, k) => k / (config.frames - 1));
  const blend = tf.tidy(() =>
    tf.concat(alphas.map((alpha) => tf.add(tf.mul(from, 1 - alpha), tf.mul(to, alpha)))),
  ) as tf.Tensor4D;
  try {
    const blendKeys = figure.pictures(blend);
    const strip = `${context.inputCaption(0)} → ${context.inputCaption(1)}`;
    const panels: EngineFeaturePanel[] = [
      {
        modelId: null,
        title: 'pixel-space blend (where each frame starts)',
        scrubBy: null,
        rows: [
          {
            caption: strip,
            cells: blendKeys.map((key, k) => imageCell(key, alphaCaption(alphas[k] ?? 0))),
          },
        ],
      },
    ];
    const curves = [];
    const tableRows: (string | number)[][] = [];
    const captions = alphas.map(alphaCaption);
    for (const [m, { input, model }] of context.models.entries()) {
      const stage = context.modelStage(
        m,
        config.steps,
        `interpolating with ${input.name}`,
        captions,
      );
      const outcome = interpolateRepresentations(
        model,
        from,
        to,
        { frames: config.frames, steps: config.steps, stepSize: config.stepSize },
        stage.hooks,
      );
      try {
        const keys = figure.pictures(outcome.frames);
        panels.push({
          modelId: input.id,
          title: input.name,
          scrubBy: null,
          rows: [
            {
              caption: strip,
              cells: keys.map((key, k) =>
                imageCell(key, alphaCaption(outcome.alphas[k] ?? 0), {
                  'repr. distance': outcome.distance[k] ?? NaN,
                }),
              ),
            },
          ],
        });
        outcome.alphas.forEach((alpha, k) =>
          tableRows.push([
            input.name,
            alpha,
            outcome.startDistance[k] ?? NaN,
            outcome.distance[k] ?? NaN,
          ]),
        );
        curves.push({ label: input.name, modelId: input.id, values: outcome.lossPerStep });
      } finally {
        outcome.frames.dispose();
      }
    }
    return figure.finish({
      view: 'interpolation',
      panels,
      curves,
      curveLabel: 'mean relative representation distance over the strip',
      table: {
        columns: ['model', 'α', 'distance of the blend', 'distance of the frame'],
        rows: tableRows,
      },
      warnings: [],
    });
  } finally {
    tf.dispose([from, to, blend]);
  }
}
