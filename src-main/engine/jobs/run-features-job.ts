/** FeaturesJobSpec → FeaturesJobResult: dispatch on the view. */
import { runInversionView } from '../features/views/run-inversion-view';
import { runView } from '../features/views/view-context';
import type { FeaturesJobResult, FeaturesJobSpec, JobReporter } from '../protocol';

export function runFeaturesJob(spec: FeaturesJobSpec, reporter: JobReporter): FeaturesJobResult {
  const config = spec.config;
  return runView(spec, reporter, (context) => {
    switch (config.view) {
      case 'inversion':
        return runInversionView(context, config);
      default:
        throw new Error(`the ${config.view} view is not available yet`);
    }
  });
}
