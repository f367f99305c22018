/**
 * The saliency view's computation with the full randomization check (or none): per model and
 * method, the maps of the chosen class logit's input attribution (saliency-attribution.ts), and
 * with the check the same maps for a copy of the model with every weight re-drawn, compared by
 * Spearman ρ (Adebayo et al. 2018). Returns the maps read back; saliency-figure.ts lays them out.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SaliencyConfig } from '../../../common/features-schemas';
import { deriveSeed } from '../../random/seeded-random';
import { mapSimilarity, randomizedCopy } from '../randomize-model';
import { readPictures } from './picture-batch';
import {
  attribution,
  explainedClasses,
  readMaps,
  SaliencyProgress,
  unitsOf,
} from './saliency-attribution';
import type { SaliencyData, SaliencyMethodMaps, SaliencyModelMaps } from './saliency-figure';
import { methodTitles } from './saliency-maps';
import type { ViewContext } from './view-context';

export function computeSaliency(context: ViewContext, config: SaliencyConfig): SaliencyData {
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const labels = Int32Array.from(context.inputLabels(count));
  const units = unitsOf(config);
  const passes = config.randomizationCheck ? 2 : 1;
  const total = context.models.length * passes * config.methods.reduce((s, m) => s + units[m], 0);
  const progress = new SaliencyProgress(context, total);
  try {
    const models = context.models.map(({ input, model }): SaliencyModelMaps => {
      const classes = explainedClasses(model, images, labels, config);
      const random = config.randomizationCheck
        ? randomizedCopy(model, deriveSeed(config.seed, 'randomized', input.id))
        : null;
      try {
        const methods = config.methods.map((method): SaliencyMethodMaps => {
          const title = `${input.name}: ${methodTitles[method]}`;
          const trained = attribution(
            model,
            images,
            classes,
            method,
            config,
            progress.hooks(title),
          );
          const randomized =
            random === null
              ? null
              : attribution(
                  random,
                  images,
                  classes,
                  method,
                  config,
                  progress.hooks(`${title}, random weights`),
                );
          for (let pass = 0; pass < passes; pass++) progress.passDone(method);
          try {
            return {
              method,
              trained: readMaps(trained),
              randomized:
                randomized === null
                  ? null
                  : {
                      maps: readPictures(randomized.maps),
                      rho: mapSimilarity(trained.maps, randomized.maps).spearman,
                    },
            };
          } finally {
            tf.dispose([trained.maps, ...(randomized === null ? [] : [randomized.maps])]);
          }
        });
        return { modelId: input.id, name: input.name, classes: Array.from(classes), methods };
      } finally {
        random?.dispose();
      }
    });
    return { images: readPictures(images), models };
  } finally {
    images.dispose();
  }
}
