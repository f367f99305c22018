/**
 * The features lab (issue 5): what standard and robust models "see". One config schema per view,
 * each with its view's descriptor in features-views/ (settings, defaults, limits, CLI flags),
 * joined in a discriminated union on `view` by the registry; one result shape shared by every
 * view (features-result-schemas.ts), so that saving, reopening, the gallery and the exports treat
 * all views alike. This file gathers the schemas for the contract's readers.
 *
 * Every view runs for one or two models on the same inputs, side by side (typically a standard
 * and a robust one). Images are chosen by their dataset index. Step sizes and radii are L2
 * lengths in [0,1] pixel units; their defaults (features-defaults.ts) are the papers' values
 * scaled to the dataset's image size.
 */
export { CounterfactualConfig } from './features-views/counterfactual';
export { FeatureVisualizationConfig } from './features-views/feature-visualization';
export { GenerationConfig } from './features-views/generation';
export { InpaintingConfig, InpaintingMask } from './features-views/inpainting';
export { InterpolationConfig } from './features-views/interpolation';
export { InversionStart, InversionViewConfig } from './features-views/inversion';
export { SaliencyConfig, SaliencyMethod } from './features-views/saliency';
export { SuperResolutionConfig } from './features-views/super-resolution';
export {
  FeaturesConfig,
  featuresViewNames,
  type FeaturesViewName,
} from './features-views/registry';
