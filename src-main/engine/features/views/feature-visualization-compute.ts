/**
 * The feature view's computation (Engstrom et al. 2019, §4.2), for one unit u of the
 * representation and each model:
 *  - the top-k images of the dataset pool by r_u (feature-visualization.ts: topActivating);
 *  - an image synthesized to maximize r_u from seeded uniform noise, unconstrained, with the fake
 *    ReLU (imported tfjs-layers and ONNX models have none: plain ReLU there, which the figure
 *    says);
 *  - "add feature u": each chosen image pushed up r_u within an L2 ball of the chosen strength,
 *    with frames along the way for the strength slider.
 * Returns pixels and activations; feature-visualization-figure.ts lays them out.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureVisualizationConfig } from '../../../common/features-schemas';
import type { Model } from '../../models/model-types';
import type { FeaturesModelInput } from '../../protocol';
import { deriveSeed } from '../../random/seeded-random';
import { maximizeFeature, topActivating } from '../feature-visualization';
import type { FeatureVisualizationData, UnitMaps } from './feature-visualization-figure';
import { PathRecorder } from './path-frames';
import { readPictures } from './picture-batch';
import { uniformNoise } from './uniform-noise';
import { activationOf, livelyUnits } from './unit-activations';
import { labeledSource, type ViewContext } from './view-context';

/** Frames kept along each "add feature" path (the start included). */
const PATH_FRAMES = 7;
/** How many of the model's liveliest units a dead-unit warning names. */
const LIVELY_COUNT = 5;

export function computeFeatureVisualization(
  context: ViewContext,
  config: FeatureVisualizationConfig,
): FeatureVisualizationData {
  const { spec } = context;
  if (spec.pool === null) throw new Error('the feature view needs dataset images to search');
  const poolImages = spec.pool;
  const pool = labeledSource(poolImages, spec.classNames.length, 'the dataset images to search');
  const [, h, w, c] = poolImages.images.shape;
  const addCount = config.addToIndices.length;
  const added = addCount > 0 ? context.inputImages(0, addCount) : null;
  const noise = uniformNoise([1, h, w, c], deriveSeed(config.seed, 'feature-start'));
  // Progress: per model a search, a synthesis and (with chosen images) an addition.
  const stages = context.models.length * (addCount > 0 ? 3 : 2);
  let stage = 0;

  // The top activating images, searched in batches with cancel checks.
  const searchTop = (
    input: FeaturesModelInput,
    model: Model,
  ): UnitMaps['top'] & { dead: boolean } => {
    const top = topActivating(
      model,
      poolImages.images,
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
    return {
      dead: (top.activations[0] ?? 0) <= 0,
      pictures: { shape: [top.indices.length, h, w, c], data: pool.pixels(top.indices) },
      images: Array.from(top.indices, (position, i) => ({
        index: poolImages.indices[position] ?? 0,
        label: poolImages.labels[position] ?? -1,
        activation: top.activations[i] ?? NaN,
      })),
    };
  };

  // The unit maximized from noise.
  const maximizeFromNoise = (
    input: FeaturesModelInput,
    model: Model,
    fakeRelu: boolean,
  ): UnitMaps['maximized'] => {
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
    try {
      return {
        pictures: readPictures(maximized.images),
        activation: maximized.activationAfter[0] ?? NaN,
        curve: maximized.activationPerStep,
      };
    } finally {
      maximized.images.dispose();
    }
  };

  // "Add feature u" to each chosen image, with frames for the strength slider.
  const addFeature = (
    input: FeaturesModelInput,
    model: Model,
    fakeRelu: boolean,
    start: tf.Tensor4D,
  ): NonNullable<UnitMaps['added']> => {
    const path = new PathRecorder(start, config.steps, PATH_FRAMES, (images) => ({
      activation: activationOf(model, images, config.unit),
    }));
    const adding = context.stageHooks(
      stage,
      stages,
      config.steps,
      `${input.name}: adding unit ${config.unit}`,
      `model-${input.id}-add`,
      Array.from({ length: addCount }, (_, n) => context.inputCaption(n)),
    );
    const onFrame = adding.hooks.onFrame;
    const result = maximizeFeature(
      model,
      start,
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
    return { frames: path.frames, activationAfter: result.activationAfter, curve: adding.curve };
  };

  try {
    const models = context.models.map(({ input, model }): UnitMaps => {
      // Imported models compute r inside their own graph, where its ReLU cannot be swapped.
      const fakeRelu = !['tfjs-layers', 'onnx'].includes(input.spec.architecture);
      const { dead, ...top } = searchTop(input, model);
      const livelies = dead ? livelyUnits(model, context, LIVELY_COUNT) : null;
      const maximized = maximizeFromNoise(input, model, fakeRelu);
      return {
        modelId: input.id,
        name: input.name,
        fakeRelu,
        top,
        livelyUnits: livelies,
        maximized,
        added: added === null ? null : addFeature(input, model, fakeRelu, added),
      };
    });
    const addedPictures = added === null ? null : readPictures(added);
    return { imageShape: [h, w, c], added: addedPictures, models };
  } finally {
    tf.dispose([noise, ...(added === null ? [] : [added])]);
  }
}
