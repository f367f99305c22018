/**
 * FeaturesJobSpec → FeaturesJobResult: each view's runner, by the view's name. The map is typed
 * over every registered view (common/features-views/registry.ts), so a view without a runner
 * does not compile.
 */
import type { FeaturesConfig, FeaturesViewName } from '../../common/features-schemas';
import { runCounterfactualView } from '../features/views/run-counterfactual-view';
import { runFeatureVisualizationView } from '../features/views/run-feature-visualization-view';
import { runGenerationView } from '../features/views/run-generation-view';
import { runInpaintingView } from '../features/views/run-inpainting-view';
import { runInterpolationView } from '../features/views/run-interpolation-view';
import { runInversionView } from '../features/views/run-inversion-view';
import { runSaliencyView } from '../features/views/run-saliency-view';
import { runSuperResolutionView } from '../features/views/run-super-resolution-view';
import { runView, type ViewContext } from '../features/views/view-context';
import type { FeaturesJobResult, FeaturesJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';

type ConfigOf<V extends FeaturesViewName> = Extract<FeaturesConfig, { view: V }>;

const runners: {
  [V in FeaturesViewName]: (context: ViewContext, config: ConfigOf<V>) => FeaturesJobResult;
} = {
  saliency: runSaliencyView,
  inversion: runInversionView,
  interpolation: runInterpolationView,
  'feature-visualization': runFeatureVisualizationView,
  generation: runGenerationView,
  'super-resolution': runSuperResolutionView,
  inpainting: runInpaintingView,
  counterfactual: runCounterfactualView,
};

/** The view's own runner; `view` and `config` name the same view. */
function runOf<V extends FeaturesViewName>(view: V, config: ConfigOf<V>, context: ViewContext) {
  return runners[view](context, config);
}

export function runFeaturesJob(spec: FeaturesJobSpec, reporter: JobReporter): FeaturesJobResult {
  const config = spec.config;
  return runView(spec, reporter, (context) => runOf(config.view, config, context));
}
