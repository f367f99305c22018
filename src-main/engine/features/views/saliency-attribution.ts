/**
 * What the saliency view's two computations share: each method's maps for a model (saliency.ts),
 * the classes they explain, and the work units that progress counts.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { SaliencyConfig, SaliencyMethod } from '../../../common/features-schemas';
import type { Model } from '../../models/model-types';
import { deriveSeed } from '../../random/seeded-random';
import {
  integratedGradients,
  saliencyMap,
  smoothGrad,
  vanillaGradient,
  type SaliencyHooks,
} from '../saliency';
import { readPictures } from './picture-batch';
import { predictedClasses } from './predicted-classes';
import type { MapPictures } from './saliency-maps';
import type { ViewContext } from './view-context';

export interface MethodMaps {
  /** [N,H,W] in [0,1]; the caller disposes it. */
  maps: tf.Tensor3D;
  /** Integrated gradients only: |Σ A − (z(x) − z(x'))| / |z(x) − z(x')| per image. */
  completenessGap?: number[];
}

export function attribution(
  model: Model,
  images: tf.Tensor4D,
  classes: Int32Array,
  method: SaliencyMethod,
  config: SaliencyConfig,
  hooks: SaliencyHooks,
): MethodMaps {
  switch (method) {
    case 'gradient': {
      const gradient = vanillaGradient(model, images, classes);
      try {
        return { maps: saliencyMap(gradient) };
      } finally {
        gradient.dispose();
      }
    }
    case 'smoothgrad': {
      const options = {
        samples: config.smoothGradSamples,
        noiseFraction: config.smoothGradNoise,
        seed: deriveSeed(config.seed, 'smoothgrad'),
      };
      const gradient = smoothGrad(model, images, classes, options, hooks);
      try {
        return { maps: saliencyMap(gradient) };
      } finally {
        gradient.dispose();
      }
    }
    case 'integrated-gradients': {
      const outcome = integratedGradients(
        model,
        images,
        classes,
        {
          steps: config.integratedGradientsSteps,
          baseline: config.integratedGradientsBaseline,
          seed: deriveSeed(config.seed, 'integrated-gradients'),
        },
        hooks,
      );
      try {
        const completenessGap = outcome.attributionSums.map((sum, n) => {
          const change = (outcome.inputLogits[n] ?? NaN) - (outcome.baselineLogits[n] ?? NaN);
          return Math.abs(sum - change) / Math.max(Math.abs(change), 1e-12);
        });
        return { maps: saliencyMap(outcome.attributions), completenessGap };
      } finally {
        outcome.attributions.dispose();
      }
    }
  }
}

/** The maps read back for the figure; the caller still disposes `outcome.maps`. */
export function readMaps(outcome: MethodMaps): MapPictures {
  const maps = readPictures(outcome.maps);
  return outcome.completenessGap === undefined
    ? { maps }
    : { maps, completenessGap: outcome.completenessGap };
}

/** Whose logit the maps explain: each image's label, or the model's own top-1 class. */
export function explainedClasses(
  model: Model,
  images: tf.Tensor4D,
  labels: Int32Array,
  config: SaliencyConfig,
): Int32Array {
  return config.explain === 'label' ? labels : predictedClasses(model, images);
}

/** Work units for progress: gradient 1, SmoothGrad S, IG m passes, per model (×2 randomized). */
export function unitsOf(config: SaliencyConfig): Record<SaliencyMethod, number> {
  return {
    gradient: 1,
    smoothgrad: config.smoothGradSamples,
    'integrated-gradients': config.integratedGradientsSteps,
  };
}

/**
 * Progress over a known total of work units (unitsOf, per pass of a method over a model): the
 * hooks a pass reports through, and the plain gradient's unit, which has no steps to count.
 */
export class SaliencyProgress {
  private done = 0;

  constructor(
    private readonly context: ViewContext,
    private readonly total: number,
  ) {}

  hooks(label: string): SaliencyHooks {
    return {
      beforeStep: () => {
        this.context.progress.throwIfCancelled();
        this.context.progress.report(this.done / this.total, label);
      },
      onStep: () => (this.done += 1),
    };
  }

  /** After a pass of `method`: counts the plain gradient's single unit. */
  passDone(method: SaliencyMethod): void {
    if (method === 'gradient') this.done += 1;
  }
}
