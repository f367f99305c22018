/**
 * The engine's leaf types: what a job takes and gives at the bottom of every layer (images,
 * weights, a model's spec, a training checkpoint, a streamed frame) and how a job reports back
 * (JobReporter, JobCancelledError). Everything in the engine may import this file; it imports
 * nothing from the engine but the model descriptions that a ModelSpec carries, so it never closes
 * an import cycle. The job specs and results, and the messages that carry them, are protocol.ts.
 */
import type { ArchitectureName } from '../common/model-schemas';
import type { OptimizerName } from '../common/training-schemas';
import type { LayersModelDescription } from './models/layers-model/layers-model-description';
import type { OnnxModelDescription } from './models/onnx/onnx-model-description';

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

/** The ModelSpec of an imported tfjs-layers model: the usual fields plus its description. */
export interface LayersModelSpec extends ModelSpec {
  architecture: 'tfjs-layers';
  layers: LayersModelDescription;
}

/** The ModelSpec of an imported ONNX model: the usual fields plus its description. */
export interface OnnxModelSpec extends ModelSpec {
  architecture: 'onnx';
  onnx: OnnxModelDescription;
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

/** An intermediate picture streamed while a view runs: [H,W,C] uint8, a preview only. */
export interface EngineFrame {
  key: string;
  caption: string;
  shape: [number, number, number];
  data: Uint8Array;
}

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
