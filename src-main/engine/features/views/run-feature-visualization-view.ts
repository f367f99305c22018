/**
 * View 4, feature visualization and manipulation (Engstrom et al. 2019, §4.2), for one unit u
 * of the representation and each model:
 *  - the top-k images of the dataset pool by r_u (feature-visualization.ts: topActivating);
 *  - an image synthesized to maximize r_u from seeded uniform noise, unconstrained, with the fake
 *    ReLU (imported tfjs-layers and ONNX models have none: plain ReLU there, which the result
 *    says);
 *  - "add feature u": each chosen image pushed up r_u within an L2 ball of the chosen strength,
 *    with frames along the way for the strength slider.
 * A robust model's unit draws a visible pattern (strokes, "stripes"); a standard model's
 * maximizer looks like noise and its additions are invisible.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureVisualizationConfig } from '../../../common/features-schemas';
import type { Model } from '../../models/model-types';
import type { FeaturesJobResult } from '../../protocol';
import { deriveSeed } from '../../random/seeded-random';
import { maximizeFeature, topActivating } from '../feature-visualization';
import { labeledSource } from './view-context';
import { imageCell } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import { PathRecorder } from './path-frames';
import { uniformNoise } from './uniform-noise';
import type { ViewContext } from './view-context';

/** Frames kept along each "add feature" path (the start included). */
const PATH_FRAMES = 7;
/** Pool images whose mean representation names the liveliest units in a dead-unit warning. */
const LIVELY_SAMPLE = 512;

/**
 * The units with the largest mean activation over the first pool images, for the warning that
 * the chosen unit is dead (0 on every image: common in robust models, whose ReLUs are sparse).
 */
function livelyUnits(model: Model, context: ViewContext, count: number): number[] {
  const pool = context.spec.pool;
  if (pool === null) return [];
  const [n, h, w, c] = pool.images.shape;
  const take = Math.min(n, LIVELY_SAMPLE);
  const source = labeledSource(pool, context.spec.classNames.length, 'the dataset images');
  const means = tf.tidy(() => {
    const images = tf.tensor4d(source.pixels(Array.from({ length: take }, (_, i) => i)), [
      take,
      h,
      w,
      c,
    ]);
    return Array.from(tf.mean(model.forward(images).representation, 0).dataSync());
  });
  return means
    .map((mean, unit) => ({ mean, unit }))
    .filter(({ mean }) => mean > 0)
    .sort((a, b) => b.mean - a.mean)
    .slice(0, count)
    .map(({ unit }) => unit);
}

function activationOf(model: Model, images: tf.Tensor4D, unit: number): number[] {
  return tf.tidy(() =>
    Array.from(tf.slice(model.forward(images).representation, [0, unit], [-1, 1]).dataSync()),
  );
}

export function runFeatureVisualizationView(
  context: ViewContext,
  config: FeatureVisualizationConfig,
): FeaturesJobResult {
  const { spec, figure } = context;
  if (spec.pool === null) throw new Error('the feature view needs dataset images to search');
  const pool = labeledSource(spec.pool, spec.classNames.length, 'the dataset images to search');
  const [, h, w, c] = spec.pool.images.shape;
  const addCount = config.addToIndices.length;
  const added = addCount > 0 ? context.inputImages(0, addCount) : null;
  const noise = uniformNoise([1, h, w, c], deriveSeed(config.seed, 'feature-start'));
  const warnings: string[] = [];
  const tableRows: (string | number)[][] = [];
  const curves = [];
  const panels: EngineFeaturePanel[] = [];
  const stages = context.models.length * (addCount > 0 ? 3 : 2);
  let stage = 0;
  try {
    const addedKeys = added === null ? [] : figure.pictures(added);
    for (const { input, model } of context.models) {
      // Imported models compute r inside their own graph, where its ReLU cannot be swapped.
      const fakeRelu = !['tfjs-layers', 'onnx'].includes(input.spec.architecture);
      if (!fakeRelu) {
        warnings.push(
          `${input.name} is an imported model without the fake ReLU: its maximization uses the plain ReLU and cannot start where unit ${config.unit} is off.`,
        );
      }
      // Top activating images, searched in batches with cancel checks.
      const top = topActivating(
        model,
        spec.pool.images,
        config.unit,
        Math.min(config.topK, pool.count),
        {},
        {
          beforeStep: () => {
            context.progress.throwIfCancelled();
            context.progress.report(stage / stages, `${input.name}: searching the dataset`);
          },
        },
      );
      stage += 1;
      if ((top.activations[0] ?? 0) <= 0) {
        const lively = livelyUnits(model, context, 5);
        warnings.push(
          `Unit ${config.unit} of ${input.name} is 0 on every searched image (a dead unit)` +
            (lively.length > 0 ? `; its most active units are ${lively.join(', ')}.` : '.'),
        );
      }
      const topPixels = pool.pixels(top.indices);
      const topKeys = Array.from(top.indices, (_, i) =>
        figure.picture([h, w, c], topPixels.slice(i * h * w * c, (i + 1) * h * w * c)),
      );
      const topCells = topKeys.map((key, i) => {
        const index = spec.pool?.indices[top.indices[i] ?? 0] ?? 0;
        const label = spec.pool?.labels[top.indices[i] ?? 0] ?? -1;
        tableRows.push([
          input.name,
          'top image',
          `#${index} (${context.className(label)})`,
          top.activations[i] ?? NaN,
        ]);
        return imageCell(key, `#${index} (${context.className(label)})`, {
          activation: top.activations[i] ?? NaN,
        });
      });
      // The unit maximized from noise.
      const synthesis = context.stageHooks(
        stage,
        stages,
        config.steps,
        `${input.name}: maximizing unit ${config.unit}`,
        `model-${input.id}-max`,
        ['maximizing'],
      );
      const maximized = maximizeFeature(
        model,
        noise,
        config.unit,
        { steps: config.steps, stepSize: config.stepSize, epsilon: Infinity, fakeRelu },
        synthesis.hooks,
      );
      stage += 1;
      let maximizedKey: string;
      try {
        maximizedKey = figure.pictures(maximized.images)[0] ?? '';
        tableRows.push([
          input.name,
          'maximized from noise',
          '',
          maximized.activationAfter[0] ?? NaN,
        ]);
        curves.push({
          label: `${input.name}: maximized from noise`,
          modelId: input.id,
          values: maximized.activationPerStep,
        });
      } finally {
        maximized.images.dispose();
      }
      panels.push({
        modelId: input.id,
        title: `${input.name}: unit ${config.unit}`,
        scrubBy: null,
        rows: [
          { caption: `the ${topCells.length} most activating images`, cells: topCells },
          {
            caption: 'synthesized from noise',
            cells: [
              imageCell(maximizedKey, 'maximizes the unit', {
                activation: maximized.activationAfter[0] ?? NaN,
              }),
            ],
          },
        ],
      });
      // "Add feature u" to each chosen image, with frames for the strength slider.
      if (added !== null) {
        const path = new PathRecorder(added, config.steps, PATH_FRAMES, (images) => ({
          activation: activationOf(model, images, config.unit),
        }));
        const adding = context.stageHooks(
          stage,
          stages,
          config.steps,
          `${input.name}: adding unit ${config.unit}`,
          `model-${input.id}-add`,
          addedKeys.map((_, n) => context.inputCaption(n)),
        );
        const onFrame = adding.hooks.onFrame;
        const result = maximizeFeature(
          model,
          added,
          config.unit,
          { steps: config.steps, stepSize: config.stepSize, epsilon: config.strength, fakeRelu },
          {
            ...adding.hooks,
            onFrame: (step, images) => {
              path.onFrame(step, images);
              onFrame?.(step, images);
            },
          },
        );
        stage += 1;
        result.images.dispose();
        const size = h * w * c;
        panels.push({
          modelId: input.id,
          title: `${input.name}: unit ${config.unit} added`,
          scrubBy: 'L2 change',
          rows: addedKeys.map((_, n) => ({
            caption: context.inputCaption(n),
            cells: path.frames.map((frame) =>
              imageCell(
                figure.picture([h, w, c], frame.pixels.slice(n * size, (n + 1) * size)),
                `after ${frame.steps} steps`,
                {
                  'L2 change': frame.distance[n] ?? NaN,
                  activation: frame.numbers['activation']?.[n] ?? NaN,
                },
              ),
            ),
          })),
        });
        addedKeys.forEach((_, n) => {
          tableRows.push([
            input.name,
            'added to',
            context.inputCaption(n),
            result.activationAfter[n] ?? NaN,
          ]);
        });
        curves.push({
          label: `${input.name}: added to the chosen images`,
          modelId: input.id,
          values: adding.curve,
        });
      }
    }
    return figure.finish({
      view: 'feature-visualization',
      panels,
      curves,
      curveLabel: `mean activation of unit ${config.unit}`,
      table: {
        columns: ['model', 'what', 'image', `unit ${config.unit} activation`],
        rows: tableRows,
      },
      warnings,
    });
  } finally {
    tf.dispose([noise, ...(added === null ? [] : [added])]);
  }
}
