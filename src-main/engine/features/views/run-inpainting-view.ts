/**
 * View 5c, in-painting (Santurkar et al. 2019, §3.4): the painted region is replaced by a
 * class-conditional seed, grey or noise, then filled by ascending the true class's score with
 * updates restricted to the region (synthesize.ts: inpaint) — the pixels outside the mask stay
 * exactly as they were.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InpaintingConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { deriveSeed } from '../../random/seeded-random';
import { inpaint, type InpaintingFill } from '../synthesize';
import { beforeAfterRows, endPredictions, outcomeCell } from './class-ascent-cells';
import { defaultSeedFactor } from '../class-conditional-seed';
import { classSeeds } from './class-seeds';
import { imageCell } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import type { ViewContext } from './view-context';

function fillOf(context: ViewContext, config: InpaintingConfig, labels: number[]): InpaintingFill {
  switch (config.fill) {
    case 'grey':
      return { kind: 'grey' };
    case 'noise':
      return { kind: 'noise', seed: deriveSeed(config.seed, 'inpainting-noise') };
    case 'seed': {
      const [, h, w] = context.spec.inputs.images.shape;
      // The seed Gaussians are fitted at the resolution generation uses by default.
      const factor = defaultSeedFactor(h, w);
      return {
        kind: 'images',
        images: classSeeds(context, labels, factor, deriveSeed(config.seed, 'inpainting-seed')),
      };
    }
  }
}

export function runInpaintingView(
  context: ViewContext,
  config: InpaintingConfig,
): FeaturesJobResult {
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const [, h, w] = images.shape;
  const labels = context.inputLabels(count);
  const mask = tf.tensor3d(Array.from({ length: count }, () => config.mask).flat(), [count, h, w]);
  const fill = fillOf(context, config, labels);
  const { figure } = context;
  try {
    const originalKeys = figure.pictures(images);
    const panels: EngineFeaturePanel[] = [];
    const curves = [];
    const tableRows: (string | number)[][] = [];
    const captions = labels.map((_, n) => `in-painting ${context.inputCaption(n)}`);
    for (const [m, { input, model }] of context.models.entries()) {
      const stage = context.modelStage(m, config.steps, `in-painting with ${input.name}`, captions);
      const outcome = inpaint(
        model,
        images,
        mask,
        labels,
        { steps: config.steps, stepSize: config.stepSize, fill },
        stage.hooks,
      );
      try {
        const filledKeys = figure.pictures(outcome.filled);
        const keys = figure.pictures(outcome.images);
        const ends = endPredictions(outcome.predictionsPerStep);
        const { before, after } = ends;
        panels.push({
          modelId: input.id,
          title: input.name,
          scrubBy: null,
          rows: keys.map((key, n) => ({
            caption: context.inputCaption(n),
            cells: [
              imageCell(originalKeys[n] ?? '', 'original'),
              outcomeCell(
                filledKeys[n] ?? '',
                `region ${config.fill === 'seed' ? 'seeded' : config.fill}`,
                before,
                n,
              ),
              outcomeCell(key, 'in-painted', after, n),
            ],
          })),
        });
        tableRows.push(...beforeAfterRows(input.name, context, count, ends));
        curves.push({ label: input.name, modelId: input.id, values: outcome.lossPerStep });
      } finally {
        tf.dispose([outcome.images, outcome.filled]);
      }
    }
    return figure.finish({
      view: 'inpainting',
      panels,
      curves,
      curveLabel: 'mean cross-entropy of the true class',
      table: { columns: ['model', 'image', 'p(class) before', 'p(class) after'], rows: tableRows },
      warnings: [],
    });
  } finally {
    tf.dispose([images, mask, ...(fill.kind === 'images' ? [fill.images] : [])]);
  }
}
