/**
 * Experiments a (robustness–accuracy trade-off) and e (data efficiency) as project runs: the
 * engine trains a series of fresh models; each is stored as a project model (so it can be
 * attacked and compared later) and the figures refer to it by id.
 */
import type {
  DataEfficiencyConfig,
  DataEfficiencyResult,
  TradeoffConfig,
  TradeoffResult,
} from '../../common/experiment-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { ExperimentJobResult } from '../../engine/protocol';
import type { JobDefinition } from '../job-runner';
import { checkSplits, experimentJob, experimentSpec } from './experiment-data';
import { storeTrainedModel } from './store-experiment-outputs';

/** Stores the model the engine returned under `key`; returns its project id. */
function storeSeriesModel(
  store: ProjectStore,
  result: ExperimentJobResult,
  key: string,
  name: string,
  datasetId: number,
  runId: number,
): number {
  const trained = result.models.find((model) => model.key === key);
  if (!trained) throw new Error(`the engine did not return model ${key}`);
  return storeTrainedModel(store, trained, name, datasetId, runId);
}

export function defineTradeoffJob(store: ProjectStore, config: TradeoffConfig): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  checkSplits(dataset, true);
  const norm = config.constraint === 'linf' ? 'L∞' : 'L2';
  return experimentJob(
    store,
    config,
    null,
    () => experimentSpec(store, config, dataset, [], true),
    (result, runId): TradeoffResult => {
      if (result.summary.type !== 'robustness-tradeoff') throw new Error('wrong summary');
      return {
        type: 'robustness-tradeoff',
        evaluationEpsilons: result.summary.evaluationEpsilons,
        rows: result.summary.rows.map((row) => ({
          trainEpsilon: row.trainEpsilon,
          modelId: storeSeriesModel(
            store,
            result,
            row.modelKey,
            `${config.training.architecture} ${row.trainEpsilon === 0 ? 'standard' : `${norm} ε=${row.trainEpsilon}`} (${config.name})`,
            dataset.id,
            runId,
          ),
          testAccuracy: row.testAccuracy,
          robustAccuracy: row.robustAccuracy,
        })),
        chance: 1 / dataset.classNames.length,
      };
    },
  );
}

export function defineDataEfficiencyJob(
  store: ProjectStore,
  config: DataEfficiencyConfig,
): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  checkSplits(dataset, true);
  return experimentJob(
    store,
    config,
    null,
    () => experimentSpec(store, config, dataset, [], true),
    (result, runId): DataEfficiencyResult => {
      if (result.summary.type !== 'data-efficiency') throw new Error('wrong summary');
      return {
        type: 'data-efficiency',
        rows: result.summary.rows.map((row) => ({
          size: row.size,
          recipe: row.recipe,
          modelId: storeSeriesModel(
            store,
            result,
            row.modelKey,
            `${config.training.architecture} ${row.recipe} on ${row.size} images (${config.name})`,
            dataset.id,
            runId,
          ),
          testAccuracy: row.testAccuracy,
          robustAccuracy: row.robustAccuracy,
        })),
        chance: 1 / dataset.classNames.length,
      };
    },
  );
}
