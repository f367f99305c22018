/**
 * Experiment b (non-robust features, Ilyas et al. 2019) as a project run: checks the config
 * against the project, sends the dataset and the source model to the engine, and stores D_rand /
 * D_det as datasets, the fresh models, an image grid (original beside constructed, with the old
 * and new label) and the figures; with a D_det ε sweep, also each sweep point's D_det and model.
 */
import type {
  ConstructedExample,
  DetSweepPoint,
  NonRobustFeaturesConfig,
  NonRobustFeaturesResult,
} from '../../common/experiment-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { ExperimentJobResult } from '../../engine/protocol';
import type { JobDefinition } from '../job-runner';
import { splitIndices } from '../datasets/dataset-reading';
import { checkModelFits, checkSplits, experimentJob, experimentSpec } from './experiment-data';
import { storeConstructedDataset, storeTrainedModel } from './store-experiment-outputs';

/** Originals and constructed images kept per variant for the result's grid. */
export const GRID_EXAMPLES = 12;

const variantNames = { random: 'D_rand', deterministic: 'D_det' } as const;

export function defineNonRobustJob(
  store: ProjectStore,
  config: NonRobustFeaturesConfig,
): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  checkModelFits(store, config.sourceModelId, dataset);
  checkSplits(dataset, true);
  const source = store.models.get(config.sourceModelId);
  const trainIndices = splitIndices(dataset, 'train');
  const warnings: string[] = [];
  if (source.robust) {
    warnings.push(
      `the source model "${source.name}" was adversarially trained: the experiment expects a standard model, whose adversarial examples carry non-robust features`,
    );
  }
  const [height, width, channels] = dataset.imageShape;
  const imageSize = height * width * channels;

  function complete(result: ExperimentJobResult, runId: number): NonRobustFeaturesResult {
    const summary = result.summary;
    if (summary.type !== 'non-robust-features') throw new Error('wrong experiment summary');
    // Project ids of what was stored, by the engine's keys: a sweep point may be a variant's.
    const storedDatasets = new Map<string, number>();
    const storedModels = new Map<string, number>();
    const variants = summary.variants.map((variant) => {
      const name = variantNames[variant.variant];
      const output = result.datasets.find((d) => d.key === variant.datasetKey);
      const trained = result.models.find((m) => m.key === variant.modelKey);
      if (!output || !trained) throw new Error(`the engine did not return ${name}`);
      const datasetId = storeConstructedDataset(
        store,
        dataset,
        output,
        `${name} from "${source.name}" (${config.name})`,
        config.seed,
      );
      const modelId = storeTrainedModel(
        store,
        trained,
        `${config.training.architecture} on ${name} (${config.name})`,
        datasetId,
        runId,
      );
      storedDatasets.set(variant.datasetKey, datasetId);
      storedModels.set(variant.modelKey, modelId);
      const examples: ConstructedExample[] = [];
      for (let n = 0; n < Math.min(GRID_EXAMPLES, output.labels.length); n++) {
        const index = trainIndices[output.sourceIndices[n] ?? 0] ?? 0;
        const originalLabel = dataset.labels[index] ?? 0;
        const newLabel = output.labels[n] ?? 0;
        const meta = { index, originalLabel, newLabel, variant: variant.variant };
        const save = (kind: string, data: Uint8Array | Float32Array) =>
          store.artifacts.insert({ runId, kind, shape: [height, width, channels], data, meta });
        examples.push({
          index,
          originalLabel,
          newLabel,
          originalArtifactId: save('original', store.datasets.readImages(dataset, [index])),
          constructedArtifactId: save(
            'constructed',
            output.images.slice(n * imageSize, (n + 1) * imageSize),
          ),
        });
      }
      return {
        variant: variant.variant,
        count: variant.count,
        attackSuccessRate: variant.attackSuccessRate,
        meanPerturbationL2: variant.meanPerturbationL2,
        datasetId,
        modelId,
        trainAccuracy: variant.trainAccuracy,
        testAccuracy: variant.testAccuracy,
        examples,
      };
    });
    const detSweep = summary.detSweep.map((point): DetSweepPoint => {
      let datasetId = storedDatasets.get(point.datasetKey);
      let modelId = storedModels.get(point.modelKey);
      if (datasetId === undefined || modelId === undefined) {
        const output = result.datasets.find((d) => d.key === point.datasetKey);
        const trained = result.models.find((m) => m.key === point.modelKey);
        if (!output || !trained)
          throw new Error(`the engine did not return D_det at ε = ${point.epsilon}`);
        const name = `D_det ε=${point.epsilon}`;
        datasetId = storeConstructedDataset(
          store,
          dataset,
          output,
          `${name} from "${source.name}" (${config.name})`,
          config.seed,
        );
        modelId = storeTrainedModel(
          store,
          trained,
          `${config.training.architecture} on ${name} (${config.name})`,
          datasetId,
          runId,
        );
      }
      return {
        epsilon: point.epsilon,
        attackSuccessRate: point.attackSuccessRate,
        meanPerturbationL2: point.meanPerturbationL2,
        datasetId,
        modelId,
        trainAccuracy: point.trainAccuracy,
        testAccuracy: point.testAccuracy,
      };
    });
    return {
      type: 'non-robust-features',
      sourceTestAccuracy: summary.sourceTestAccuracy,
      chance: 1 / dataset.classNames.length,
      targetDraw: summary.targetDraw,
      variants,
      ...(detSweep.length > 0 ? { detSweep } : {}),
      warnings,
    };
  }

  return experimentJob(
    store,
    config,
    source.id,
    () => experimentSpec(store, config, dataset, [source.id], true),
    complete,
  );
}
