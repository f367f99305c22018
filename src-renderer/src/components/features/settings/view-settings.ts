/**
 * Each features view's settings fields, by the view's name. The map is typed over every
 * registered view (@common/features-views/registry), so a view without its fields does not
 * compile; the fields bind to the view's settings in the form (FeaturesForm.options).
 */
import type { Component } from 'svelte';
import type { FeaturesViewName } from '@common/features-schemas';
import type { FeaturesState } from '../../../state/features-state.svelte';
import CounterfactualSettings from './CounterfactualSettings.svelte';
import FeatureVisualizationSettings from './FeatureVisualizationSettings.svelte';
import GenerationSettings from './GenerationSettings.svelte';
import InpaintingSettings from './InpaintingSettings.svelte';
import InterpolationSettings from './InterpolationSettings.svelte';
import InversionSettings from './InversionSettings.svelte';
import SaliencySettings from './SaliencySettings.svelte';
import SuperResolutionSettings from './SuperResolutionSettings.svelte';

export const viewSettings: Record<FeaturesViewName, Component<{ features: FeaturesState }>> = {
  saliency: SaliencySettings,
  inversion: InversionSettings,
  interpolation: InterpolationSettings,
  'feature-visualization': FeatureVisualizationSettings,
  generation: GenerationSettings,
  'super-resolution': SuperResolutionSettings,
  inpainting: InpaintingSettings,
  counterfactual: CounterfactualSettings,
};
