/**
 * Experiment c (D_R and D_NR, Ilyas et al. 2019) as a project run: stores each constructed
 * dataset (float32, beside the original test split), the three standard models, an image grid
 * (the image whose representation was matched beside the image made to match it) and the table.
 */
import type {
  ConstructedExample,
  RobustDatasetsConfig,
  RobustDatasetsResult,
} from '../../common/experiment-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { ExperimentJobResult } from '../../engine/protocol';
import type { JobDefinition } from '../job-runner';
import { splitIndices } from '../datasets/dataset-reading';
import { checkModelFits, checkSplits, experimentJob, experimentSpec } from './experiment-data';
import { GRID_EXAMPLES } from './non-robust-job';
import { storeConstructedDataset, storeTrainedModel } from './store-experiment-outputs';

const names = { original: 'D', robust: 'D_R', standard: 'D_NR' } as const;

export function defineRobustDatasetsJob(
  store: ProjectStore,
  config: RobustDatasetsConfig,
): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  const modelIds = config.variants.map((variant) =>
    variant === 'robust' ? config.robustModelId : config.standardModelId,
  );
  for (const id of modelIds) checkModelFits(store, id, dataset);
  checkSplits(dataset, true);
  const warnings: string[] = [];
  if (config.variants.includes('robust') && !store.models.get(config.robustModelId).robust) {
    warnings.push('the model chosen for D_R was not adversarially trained');
  }
  if (config.variants.includes('standard') && store.models.get(config.standardModelId).robust) {
    warnings.push('the model chosen for D_NR was adversarially trained');
  }
  const trainIndices = splitIndices(dataset, 'train');
  const [height, width, channels] = dataset.imageShape;
  const imageSize = height * width * channels;

  function complete(result: ExperimentJobResult, runId: number): RobustDatasetsResult {
    if (result.summary.type !== 'robust-datasets') throw new Error('wrong experiment summary');
    const storedDatasets = new Map<string, number>();
    const examples: RobustDatasetsResult['examples'] = [];
    for (const output of result.datasets) {
      const variant = output.key.startsWith('robust') ? 'robust' : 'standard';
      const id = storeConstructedDataset(
        store,
        dataset,
        output,
        `${names[variant]} of "${dataset.name}" (${config.name})`,
        config.seed,
      );
      storedDatasets.set(output.key, id);
      const items: ConstructedExample[] = [];
      for (let n = 0; n < Math.min(GRID_EXAMPLES, output.labels.length); n++) {
        const index = trainIndices[output.sourceIndices[n] ?? 0] ?? 0;
        const label = dataset.labels[index] ?? 0;
        const meta = { index, label, variant };
        const save = (kind: string, data: Uint8Array | Float32Array) =>
          store.artifacts.insert({ runId, kind, shape: [height, width, channels], data, meta });
        items.push({
          index,
          originalLabel: label,
          newLabel: output.labels[n] ?? label,
          originalArtifactId: save('original', store.datasets.readImages(dataset, [index])),
          constructedArtifactId: save(
            'constructed',
            output.images.slice(n * imageSize, (n + 1) * imageSize),
          ),
        });
      }
      examples.push({ variant, items });
    }
    const rows = result.summary.rows.map((row) => {
      const trained = result.models.find((model) => model.key === row.modelKey);
      if (!trained) throw new Error(`the engine did not return the model on ${names[row.dataset]}`);
      const datasetId =
        row.datasetKey === null ? null : (storedDatasets.get(row.datasetKey) ?? null);
      return {
        dataset: row.dataset,
        datasetId,
        modelId: storeTrainedModel(
          store,
          trained,
          `${config.training.architecture} on ${names[row.dataset]} (${config.name})`,
          datasetId ?? dataset.id,
          runId,
        ),
        count: row.count,
        representationDistance: row.representationDistance,
        testAccuracy: row.testAccuracy,
        robustCurve: row.robustCurve,
      };
    });
    const chance = 1 / dataset.classNames.length;
    const evaluationEpsilons = result.summary.evaluationEpsilons;
    return { type: 'robust-datasets', evaluationEpsilons, rows, examples, chance, warnings };
  }

  return experimentJob(
    store,
    config,
    null,
    () => experimentSpec(store, config, dataset, modelIds, true),
    complete,
  );
}
