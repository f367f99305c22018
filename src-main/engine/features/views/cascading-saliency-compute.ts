/**
 * The saliency view's cascading randomization (Adebayo et al. 2018, "Sanity checks for saliency
 * maps", §3.1 and Fig. 2): the maps of the trained model, then of copies whose top k layers are
 * re-drawn (cascade-layers.ts), k = 1 … L from the logits down, each compared with the trained
 * map by Spearman ρ. A method that explains the model loses its map as soon as the top layers
 * are random (ρ falls at the first stages); one that shows the image keeps it to the last.
 *
 * Every stage re-draws from the same seed, so a layer keeps the random values it got at the stage
 * that re-drew it, as in the paper, and stage L is the full check's randomized model.
 *
 * Returns the maps read back and their ρ; cascading-saliency-figure.ts lays them out.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SaliencyConfig, SaliencyMethod } from '../../../common/features-schemas';
import type { Model } from '../../models/model-types';
import { deriveSeed } from '../../random/seeded-random';
import { cascadeLayers, cascadeStage } from '../cascade-layers';
import { mapSimilarity, randomizedCopy } from '../randomize-model';
import type {
  CascadeModelMaps,
  CascadeStageMaps,
  CascadingSaliencyData,
} from './cascading-saliency-figure';
import { readPictures } from './picture-batch';
import {
  attribution,
  explainedClasses,
  readMaps,
  SaliencyProgress,
  unitsOf,
  type MethodMaps,
} from './saliency-attribution';
import { methodTitles } from './saliency-maps';
import type { ViewContext } from './view-context';

export function computeCascadingSaliency(
  context: ViewContext,
  config: SaliencyConfig,
): CascadingSaliencyData {
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const labels = Int32Array.from(context.inputLabels(count));
  const units = unitsOf(config);
  const perPass = config.methods.reduce((sum, method) => sum + units[method], 0);
  const layersPerModel = context.models.map(({ model }) => cascadeLayers(model));
  // One pass of every method for the trained model and one per stage.
  const total = layersPerModel.reduce((sum, layers) => sum + (layers.length + 1) * perPass, 0);
  const progress = new SaliencyProgress(context, total);
  const mapsOf = (
    model: Model,
    classes: Int32Array,
    method: SaliencyMethod,
    label: string,
  ): MethodMaps => {
    const outcome = attribution(model, images, classes, method, config, progress.hooks(label));
    progress.passDone(method);
    return outcome;
  };
  try {
    const models = context.models.map(({ input, model }, m): CascadeModelMaps => {
      const layers = layersPerModel[m] ?? [];
      const classes = explainedClasses(model, images, labels, config);
      const trainedMaps: tf.Tensor3D[] = [];
      try {
        const trained = config.methods.map((method) => {
          const outcome = mapsOf(model, classes, method, `${input.name}: ${methodTitles[method]}`);
          trainedMaps.push(outcome.maps);
          return readMaps(outcome);
        });
        const seed = deriveSeed(config.seed, 'randomized', input.id);
        const stages = layers.map(({ layer }, k): CascadeStageMaps => {
          const stage = k + 1;
          const random = randomizedCopy(model, seed, { only: cascadeStage(layers, stage) });
          try {
            const methods = config.methods.map((method, i) => {
              const label = `${input.name}: ${methodTitles[method]}, top ${stage} of ${layers.length} layers random`;
              const outcome = mapsOf(random, classes, method, label);
              try {
                const trainedMap = trainedMaps[i];
                if (trainedMap === undefined) throw new Error('a trained map is missing');
                const rho = mapSimilarity(trainedMap, outcome.maps).spearman;
                return { maps: readPictures(outcome.maps), rho };
              } finally {
                outcome.maps.dispose();
              }
            });
            return { layer, methods };
          } finally {
            random.dispose();
          }
        });
        return {
          modelId: input.id,
          name: input.name,
          classes: Array.from(classes),
          layers: layers.map((entry) => entry.layer),
          trained,
          stages,
        };
      } finally {
        tf.dispose(trainedMaps);
      }
    });
    return { images: readPictures(images), models };
  } finally {
    images.dispose();
  }
}
