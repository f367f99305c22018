/**
 * Messages between the core's engine client (main thread) and the engine worker thread.
 * Tensors travel as plain typed arrays whose buffers are transferred, never copied.
 * Jobs run one at a time per worker; cancellation is a flag in shared memory, so the worker sees
 * it between two steps without having to yield to its event loop.
 */
import type {
  ArchitectureName,
  AttackConfig,
  BackendName,
  BackendStatus,
  OptimizerName,
  TopPrediction,
  TrainingConfig,
} from '../common/schemas';
import type { ExperimentConfig } from '../common/experiment-schemas';
import type { ExperimentEngineSummary } from './experiments/experiment-summaries';
import type { EvaluationConfig, EvaluationResult } from '../common/evaluation-schemas';
import type { EvaluationMeasurements } from './jobs/evaluation-measurements';
import type { ModelExportFormat, ModelImportFormat } from '../common/model-io-schemas';
import type { LayersModelDescription } from './models/layers-model/layers-model-description';
import type { OnnxModelDescription } from './models/onnx/onnx-model-description';
import type { FeaturesConfig } from '../common/features-schemas';
import type { EngineFeaturesSummary } from './features/views/feature-figure';

/** Images as the engine takes them: N·H·W·C uint8 (0..255) or float32 (0..1), NHWC. */
export interface ImageBatch {
  shape: [number, number, number, number];
  data: Uint8Array | Float32Array;
}

/** A model's weights by variable name; order and shapes are fixed by the architecture. */
export interface WeightTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface ModelSpec {
  architecture: ArchitectureName;
  /** [height, width, channels] */
  inputShape: [number, number, number];
  numClasses: number;
  /** Imported tfjs-layers models only: their layers, to rebuild them (see LayersModelSpec). */
  layers?: LayersModelDescription;
  /** Imported ONNX models only: their structure and provenance (see OnnxModelSpec). */
  onnx?: OnnxModelDescription;
}

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

/** An optimizer's state: its step count and slot tensors (momentum, Adam moments) in order. */
export interface OptimizerState {
  name: OptimizerName;
  /** Updates applied so far (Adam's bias correction depends on it). */
  iterations: number;
  /** Named `<parameter index>.<slot>`, e.g. '0.m', '0.v'; empty for plain SGD. */
  slots: WeightTensor[];
}

/** The weights with the best validation score so far. */
export interface BestCheckpoint {
  /** 1-based epoch after which they were measured. */
  epoch: number;
  /** val_robust_accuracy for adversarial training, val_accuracy for standard training. */
  score: number;
  /** Test accuracy of these weights, measured at that epoch's end. */
  testAccuracy: number;
  weights: WeightTensor[];
}

/**
 * Everything a training run needs to continue after `epoch` epochs as if it had never stopped.
 * There is no random-generator state to save: every random choice (data order, augmentation,
 * attack starts) is derived from (seed, epoch, step), so (epoch, step) is the generators' position.
 * Built from fresh buffers, so it is safe to transfer.
 */
export interface TrainingCheckpoint {
  /** Epochs completed; training continues with epoch `epoch` (0-based). */
  epoch: number;
  /** Batches completed (= epoch · batches per epoch). */
  step: number;
  weights: WeightTensor[];
  optimizer: OptimizerState;
  best: BestCheckpoint | null;
  /** Test accuracy after the last completed epoch. */
  testAccuracy: number;
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
  /** Facts the person importing should know (softmax removed, the input range, …). */
  notes: string[];
}

export interface ModelExportJobResult {
  kind: 'model-export';
  /** Absolute paths of the files written, in the order they were written. */
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

/** An intermediate picture streamed while a view runs: [H,W,C] uint8, a preview only. */
export interface EngineFrame {
  key: string;
  caption: string;
  shape: [number, number, number];
  data: Uint8Array;
}

export type JobResult =
  | TrainJobResult
  | AttackJobResult
  | ExperimentJobResult
  | EvaluationJobResult
  | ModelImportJobResult
  | ModelExportJobResult
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

/** Reports from inside a job; the worker forwards them as FromWorker messages. */
export interface JobReporter {
  progress(fraction: number, message: string): void;
  metrics(step: number, values: Record<string, number>): void;
  /** A training checkpoint at an epoch end (training jobs only; absent: not kept). */
  checkpoint?(checkpoint: TrainingCheckpoint): void;
  /** Intermediate pictures of a features view (absent: nobody is watching). */
  frames?(frames: EngineFrame[]): void;
  /** True once the user has asked to cancel; long loops check it between steps. */
  cancelled(): boolean;
}

export class JobCancelledError extends Error {
  constructor() {
    super('cancelled by the user');
    this.name = 'JobCancelledError';
  }
}
