/**
 * Training checkpoints (see TrainingCheckpoint in protocol.ts): copies that may be transferred
 * to the main thread, and the checks a checkpoint passes before a run resumes from it.
 */
import type { TrainingCheckpoint, WeightTensor } from '../engine-types';

/** Fresh copies of weight tensors (the originals stay usable after a transfer). */
export function copyWeights(weights: readonly WeightTensor[]): WeightTensor[] {
  return weights.map((w) => ({ name: w.name, shape: [...w.shape], data: w.data.slice() }));
}

/** Every buffer of a checkpoint once, for a postMessage transfer list. */
export function checkpointBuffers(checkpoint: TrainingCheckpoint): ArrayBuffer[] {
  const tensors = [
    ...checkpoint.weights,
    ...checkpoint.optimizer.slots,
    ...(checkpoint.best?.weights ?? []),
  ];
  const buffers = tensors.map((t) => t.data.buffer);
  return [...new Set(buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))];
}

/** Refuses a checkpoint that cannot belong to this run's config and data. */
export function checkResumePoint(
  checkpoint: TrainingCheckpoint,
  epochs: number,
  batchesPerEpoch: number,
): void {
  const { epoch, step } = checkpoint;
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > epochs) {
    throw new Error(`the checkpoint is after epoch ${epoch}, but the run has ${epochs} epochs`);
  }
  if (step !== epoch * batchesPerEpoch) {
    throw new Error(
      `the checkpoint is at batch ${step} after ${epoch} epochs, but this run has ` +
        `${batchesPerEpoch} batches per epoch: it was made with other data or another batch size`,
    );
  }
  if (checkpoint.best !== null && checkpoint.best.epoch > epoch) {
    throw new Error(
      `the checkpoint's best epoch ${checkpoint.best.epoch} is after its own epoch ${epoch}`,
    );
  }
}
