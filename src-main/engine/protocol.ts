/**
 * Messages between the core's engine client (main thread) and the engine worker thread, and the
 * spec and result of every kind of job they carry. The types every layer of the engine shares
 * (images, weights, ModelSpec, JobReporter) are engine-types.ts: this file is the root that
 * unions the jobs, so nothing it imports may import it.
 * Tensors travel as plain typed arrays whose buffers are transferred, never copied.
 * Jobs run one at a time per worker; cancellation is a flag in shared memory, so the worker sees
 * it between two steps without having to yield to its event loop.
 */
import type { AttackConfig, TopPrediction } from '../common/attack-schemas';
import type { BackendName, BackendStatus } from '../common/backend-schemas';
import type { TrainingConfig } from '../common/training-schemas';
import type { ExperimentConfig } from '../common/experiment-schemas';
import type { EvaluationConfig, EvaluationResult } from '../common/evaluation-schemas';
import type { ModelExportFormat, ModelImportFormat } from '../common/model-io-schemas';
import type { FeaturesConfig } from '../common/features-schemas';
import type {
  EngineFrame,
  ImageBatch,
  ModelSpec,
  TrainingCheckpoint,
  WeightTensor,
} from './engine-types';
import type { ExperimentEngineSummary } from './experiments/experiment-summaries';
import type { EvaluationMeasurements } from './jobs/evaluation-measurements';
import type { EngineFeaturesSummary } from './features/views/feature-summaries';

export interface TrainJobSpec {
  kind: 'train';
  config: TrainingConfig;
  model: ModelSpec;
  trainImages: ImageBatch;
  trainLabels: Int32Array;
  testImages: ImageBatch;
  testLabels: Int32Array;
  /** Continue from this checkpoint (same config, same data) instead of from fresh weights. */
  resume?: TrainingCheckpoint;
}

export interface AttackJobSpec {
  kind: 'attack';
  config: AttackConfig;
  model: ModelSpec;
  weights: WeightTensor[];
  images: ImageBatch;
  labels: Int32Array;
  /**
   * Index, in the whole attack, of this spec's first batch of ATTACK_BATCH images. Random starts
   * are seeded by the global batch index, so an attack split into shards at batch boundaries
   * (one per engine worker) gives exactly the result of the unsplit attack. 0 when unsplit.
   */
  batchOffset: number;
}

/** A model an experiment starts from, with its weights from the project. */
export interface ExperimentModelInput {
  /** The project's model id, so that summaries can name it. */
  id: number;
  spec: ModelSpec;
  weights: WeightTensor[];
}

/**
 * One experiment of the program, run as a single engine job: it may attack, construct a
 * dataset, train fresh models and evaluate them, reporting progress over all of it.
 */
export interface ExperimentJobSpec {
  kind: 'experiment';
  config: ExperimentConfig;
  numClasses: number;
  /** The dataset's training split, in the order of its dataset indices. */
  trainImages: ImageBatch;
  trainLabels: Int32Array;
  testImages: ImageBatch;
  testLabels: Int32Array;
  models: ExperimentModelInput[];
}

/**
 * A robustness evaluation of one model (issue 4 §5) on a slice of the chosen test images; like
 * an attack it may be split into shards at ATTACK_BATCH boundaries (batchOffset seeds them).
 */
export interface EvaluationJobSpec {
  kind: 'evaluation';
  config: EvaluationConfig;
  model: ModelSpec;
  weights: WeightTensor[];
  /** The transfer attack's source model (config.transferModelId), or null. */
  transferSource: { id: number; spec: ModelSpec; weights: WeightTensor[] } | null;
  images: ImageBatch;
  labels: Int32Array;
  batchOffset: number;
}

/**
 * Reads a model as a workbench model: a TensorFlow.js layers model (model.json + weight files) or
 * an ONNX file.
 */
export interface ModelImportJobSpec {
  kind: 'model-import';
  format: ModelImportFormat;
  /** Absolute path of the model.json or the .onnx file. */
  path: string;
  /**
   * ONNX: the file's SHA-256 when the core checked it (the engine refuses a file that changed
   * since); the node whose output is the representation (default: the input of the last
   * Gemm/MatMul); the dataset's name, for messages.
   */
  onnx?: { sha256: string; representation?: string; datasetName: string };
  /** Pixel range the model was trained on; the workbench's [0,1] images are mapped onto it. */
  inputRange: [number, number];
  /** The project dataset's image shape: the model must take it (flat models: H·W·C values). */
  imageShape: [number, number, number];
  /** The project dataset's class count: the model must output as many logits. */
  numClasses: number;
  /**
   * The dataset's whole test split, on which the imported model's test accuracy is measured (as
   * a trained model's is at the end of training); null when the dataset has no test images.
   */
  test: { images: ImageBatch; labels: Int32Array } | null;
}

/** Writes a model's files into a new or empty folder. */
export interface ModelExportJobSpec {
  kind: 'model-export';
  model: ModelSpec;
  weights: WeightTensor[];
  format: ModelExportFormat;
  /** Absolute path of the folder (created when missing; must be empty otherwise). */
  folder: string;
}

/**
 * The initial weights of a training recipe, drawn as training draws them (createModel with the
 * seed derived from the recipe's), written as initial_weights.npz + its architecture JSON into
 * an exported recipe's folder (issue 16).
 */
export interface RecipeWeightsJobSpec {
  kind: 'recipe-weights';
  model: ModelSpec;
  /** deriveSeed(config.seed, 'weights'): the seed trainModel draws a new model's weights with. */
  seed: number;
  /** The (existing) folder the two files are written into. */
  folder: string;
}

/** A project model a features-lab view looks at, with its name for the captions. */
export interface FeaturesModelInput extends ExperimentModelInput {
  name: string;
}

/** Dataset images with their labels and their indices in the dataset (for captions). */
export interface LabeledImages {
  images: ImageBatch;
  labels: Int32Array;
  indices: Int32Array;
}

/**
 * One view of the features lab (issue 5) for one or two models on the same inputs. `inputs` are
 * the images the config names, in its order (saliency images, inversion targets then starts,
 * interpolation ends, …); `pool` is a larger set of dataset images for the views that search or
 * fit on the dataset (top activating images, the generation seed's Gaussian), else null.
 */
export interface FeaturesJobSpec {
  kind: 'features';
  config: FeaturesConfig;
  classNames: string[];
  models: FeaturesModelInput[];
  inputs: LabeledImages;
  pool: LabeledImages | null;
}

export type JobSpec =
  | TrainJobSpec
  | AttackJobSpec
  | ExperimentJobSpec
  | EvaluationJobSpec
  | ModelImportJobSpec
  | ModelExportJobSpec
  | RecipeWeightsJobSpec
  | FeaturesJobSpec;

export interface TrainJobResult {
  kind: 'train';
  /** The saved model: the best validation checkpoint, or the final weights without validation. */
  weights: WeightTensor[];
  parameterCount: number;
  /** Of `weights`. */
  testAccuracy: number;
  /** 1-based epoch of the best validation checkpoint; null without validation. */
  bestEpoch: number | null;
  /** The final weights too, when the config asks to keep them and validation picked a best. */
  final: { weights: WeightTensor[]; testAccuracy: number } | null;
  /** Whether the training batches were augmented (random crop + flip). */
  augmented: boolean;
}

export interface AttackExampleResult {
  cleanTop5: TopPrediction[];
  adversarialTop5: TopPrediction[];
  cleanCorrect: boolean;
  success: boolean;
  linfNorm: number;
  l2Norm: number;
  /**
   * Cross-entropy at the true label, −log softmax(f(x))_y, of the clean and adversarial image.
   * The attack job always sets them; a result made elsewhere (a test's) may leave them out.
   */
  cleanLoss?: number;
  adversarialLoss?: number;
  /** Square only: model queries spent on the example. */
  queries?: number;
  /** Gradient attacks: no step moved the example from where it started. */
  stalled?: boolean;
}

export interface AttackJobResult {
  kind: 'attack';
  /** N·H·W·C float32 in [0,1]: the adversarial images, full precision. */
  adversarial: Float32Array;
  examples: AttackExampleResult[];
  /** Mean loss over the set at each step; index 0 is the starting point. */
  lossPerStep: number[];
  /**
   * Images whose batch contributed to lossPerStep (APGD records no curve for a batch that was
   * misclassified before it started; Square has none), for weighting shards; absent: all.
   */
  lossExamples?: number;
  cleanAccuracy: number;
  robustAccuracy: number;
}

/** A dataset an experiment built: float32 pixels in [0,1], never quantized. */
export interface ConstructedDatasetOutput {
  /** How the experiment's summary refers to it (the core turns keys into project ids). */
  key: string;
  /** N·H·W·C */
  images: Float32Array;
  labels: Int32Array;
  /** Per image, the position in the job's trainImages of the image it was made from. */
  sourceIndices: Int32Array;
  description: string;
}

/** A model an experiment trained. */
export interface TrainedModelOutput {
  key: string;
  spec: ModelSpec;
  weights: WeightTensor[];
  parameterCount: number;
  /** On the original dataset's test split. */
  testAccuracy: number;
  robust: boolean;
  /** Key of the constructed dataset it was trained on, or null for the original one. */
  trainedOn: string | null;
}

export interface ExperimentJobResult {
  kind: 'experiment';
  datasets: ConstructedDatasetOutput[];
  models: TrainedModelOutput[];
  /** The experiment's own figures, referring to datasets and models by key. */
  summary: ExperimentEngineSummary;
}

export interface EvaluationJobResult {
  kind: 'evaluation';
  /** Counts and raw measures of this slice; shards are merged by mergeMeasurements. */
  measurements: EvaluationMeasurements;
  /** The curves and sanity checks of this slice (of the whole evaluation when unsplit). */
  summary: EvaluationResult;
}

export interface ModelImportJobResult {
  kind: 'model-import';
  /** architecture 'tfjs-layers' or 'onnx', carrying its layers or ONNX description. */
  spec: ModelSpec;
  weights: WeightTensor[];
  /** Trainable parameters (BatchNorm statistics not counted), as for trained models. */
  parameterCount: number;
  /** Accuracy on the spec's test split (argmax of the logits vs the labels); null without one. */
  testAccuracy: number | null;
  /** Images it was measured on: the test split's size (0 without one). */
  testCount: number;
  /** Facts the person importing should know (softmax removed, the input range, …). */
  notes: string[];
}

export interface ModelExportJobResult {
  kind: 'model-export';
  /** Absolute paths of the files written, in the order they were written. */
  files: string[];
}

export interface RecipeWeightsJobResult {
  kind: 'recipe-weights';
  /** Absolute paths of the files written. */
  files: string[];
}

/** A picture a features view made: [H,W,C] or [H,W] (heatmaps), float32 in [0,1]. */
export interface FeatureImageOutput {
  key: string;
  shape: number[];
  data: Float32Array;
}

export interface FeaturesJobResult {
  kind: 'features';
  outputs: FeatureImageOutput[];
  /** The view's figure, referring to outputs by key (the core turns keys into artifact ids). */
  summary: EngineFeaturesSummary;
}

export type JobResult =
  | TrainJobResult
  | AttackJobResult
  | ExperimentJobResult
  | EvaluationJobResult
  | ModelImportJobResult
  | ModelExportJobResult
  | RecipeWeightsJobResult
  | FeaturesJobResult;

/** main → worker */
export type ToWorker =
  | { type: 'init'; forcedBackend: BackendName | null }
  | {
      type: 'run';
      jobId: string;
      spec: JobSpec;
      cancelFlag: SharedArrayBuffer;
      /**
       * Threads for this job's native kernels: every core for a job alone on its worker, a
       * share of them for each shard of a job split over several workers.
       */
      kernelThreads: number;
    };

/** worker → main */
export type FromWorker =
  | { type: 'ready'; backend: BackendStatus; engineVersion: string }
  | { type: 'progress'; jobId: string; fraction: number; message: string }
  | { type: 'metrics'; jobId: string; step: number; values: Record<string, number> }
  | { type: 'checkpoint'; jobId: string; checkpoint: TrainingCheckpoint }
  | { type: 'frames'; jobId: string; frames: EngineFrame[] }
  | { type: 'done'; jobId: string; result: JobResult }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; error: string };
