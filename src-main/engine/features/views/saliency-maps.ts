/**
 * What the saliency view's two figures (saliency-figure.ts, cascading-saliency-figure.ts) share:
 * one method's maps as the compute step reads them back, the methods' titles, and the ρ above
 * which a map is flagged as showing the image more than the model.
 */
import type { SaliencyMethod } from '../../../common/features-schemas';
import type { PictureBatch } from './picture-batch';

/**
 * ρ above this: the map survived randomization too well to be trusted (Adebayo et al. 2018
 * read a method as failing the check when its randomized map stays rank-correlated).
 */
export const RANDOMIZATION_RHO_LIMIT = 0.5;

/**
 * The columns both saliency tables (the full check's and the cascade's) start with: which
 * model's map of which image, explaining which class, by which method.
 */
export const MAP_COLUMNS = ['model', 'image', 'class explained', 'method'];

export const methodTitles: Record<SaliencyMethod, string> = {
  gradient: 'gradient',
  smoothgrad: 'SmoothGrad',
  'integrated-gradients': 'integrated gradients',
};

/** One method's maps for a model, read back. */
export interface MapPictures {
  /** [N,H,W] in [0,1]. */
  maps: PictureBatch;
  /** Integrated gradients only: |Σ A − (z(x) − z(x'))| / |z(x) − z(x')| per image. */
  completenessGap?: number[];
}
