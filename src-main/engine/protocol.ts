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
  TopPrediction,
  TrainingConfig,
} from '../common/schemas';

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
}

export interface TrainJobSpec {
  kind: 'train';
  config: TrainingConfig;
  model: ModelSpec;
  trainImages: ImageBatch;
  trainLabels: Int32Array;
  testImages: ImageBatch;
  testLabels: Int32Array;
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

export type JobSpec = TrainJobSpec | AttackJobSpec;

export interface TrainJobResult {
  kind: 'train';
  weights: WeightTensor[];
  parameterCount: number;
  testAccuracy: number;
}

export interface AttackExampleResult {
  cleanTop5: TopPrediction[];
  adversarialTop5: TopPrediction[];
  cleanCorrect: boolean;
  success: boolean;
  linfNorm: number;
  l2Norm: number;
}

export interface AttackJobResult {
  kind: 'attack';
  /** N·H·W·C float32 in [0,1]: the adversarial images, full precision. */
  adversarial: Float32Array;
  examples: AttackExampleResult[];
  /** Mean loss over the set at each step; index 0 is the starting point. */
  lossPerStep: number[];
  cleanAccuracy: number;
  robustAccuracy: number;
}

export type JobResult = TrainJobResult | AttackJobResult;

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
  | { type: 'done'; jobId: string; result: JobResult }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; error: string };

/** Reports from inside a job; the worker forwards them as FromWorker messages. */
export interface JobReporter {
  progress(fraction: number, message: string): void;
  metrics(step: number, values: Record<string, number>): void;
  /** True once the user has asked to cancel; long loops check it between steps. */
  cancelled(): boolean;
}

export class JobCancelledError extends Error {
  constructor() {
    super('cancelled by the user');
    this.name = 'JobCancelledError';
  }
}
