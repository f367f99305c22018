/** FeaturesJobSpec → FeaturesJobResult: dispatch on the view. */
import { runCounterfactualView } from '../features/views/run-counterfactual-view';
import { runFeatureVisualizationView } from '../features/views/run-feature-visualization-view';
import { runGenerationView } from '../features/views/run-generation-view';
import { runInpaintingView } from '../features/views/run-inpainting-view';
import { runInterpolationView } from '../features/views/run-interpolation-view';
import { runInversionView } from '../features/views/run-inversion-view';
import { runSaliencyView } from '../features/views/run-saliency-view';
import { runSuperResolutionView } from '../features/views/run-super-resolution-view';
import { runView } from '../features/views/view-context';
import type { FeaturesJobResult, FeaturesJobSpec, JobReporter } from '../protocol';

export function runFeaturesJob(spec: FeaturesJobSpec, reporter: JobReporter): FeaturesJobResult {
  const config = spec.config;
  return runView(spec, reporter, (context) => {
    switch (config.view) {
      case 'saliency':
        return runSaliencyView(context, config);
      case 'inversion':
        return runInversionView(context, config);
      case 'interpolation':
        return runInterpolationView(context, config);
      case 'feature-visualization':
        return runFeatureVisualizationView(context, config);
      case 'generation':
        return runGenerationView(context, config);
      case 'super-resolution':
        return runSuperResolutionView(context, config);
      case 'inpainting':
        return runInpaintingView(context, config);
      case 'counterfactual':
        return runCounterfactualView(context, config);
    }
  });
}
