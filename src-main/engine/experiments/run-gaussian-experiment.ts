/**
 * Experiment f: the two Gaussian models of the program, in closed form and by simulation
 * (experiments/gaussian/). Pure arithmetic, no tensors; it still runs in the engine worker so
 * that a large simulation never blocks the UI thread. JSON has no ∞, so λ = ∞ (no adversary)
 * travels as null.
 */
import type { RobustGaussianConfig, TsiprasConfig } from '../../common/experiment-schemas';
import type { ExperimentJobResult } from '../protocol';
import type { JobReporter } from '../engine-types';
import { runRobustGaussianExperiment } from './gaussian/robust-gaussian-experiment';
import { runTsiprasExperiment } from './gaussian/tsipras-experiment';

export function runGaussianExperiment(
  config: RobustGaussianConfig | TsiprasConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  reporter.progress(0, 'computing');
  const { type: _type, name: _name, ...settings } = config;
  const summary =
    config.type === 'robust-gaussian'
      ? (() => {
          const {
            config: _used,
            lambda,
            ...result
          } = runRobustGaussianExperiment({
            ...(settings as Omit<RobustGaussianConfig, 'type' | 'name'>),
          });
          return {
            type: 'robust-gaussian' as const,
            ...result,
            lambda: Number.isFinite(lambda) ? lambda : null,
          };
        })()
      : (() => {
          const { config: _used, ...result } = runTsiprasExperiment({
            ...(settings as Omit<TsiprasConfig, 'type' | 'name'>),
          });
          return { type: 'tsipras-toy' as const, ...result };
        })();
  reporter.progress(1, 'experiment finished');
  return { kind: 'experiment', datasets: [], models: [], summary };
}
