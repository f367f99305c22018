/**
 * The per-example losses by name, for the UI and CLI (after tfjs-core's kernel_registry:
 * registering a name twice throws). A loss that needs more than the model output and the labels
 * (target classes, target representations) declares it in `needs`, and lossFor refuses to make
 * it without. A custom loss needs no registration: pass any PerExampleLoss as
 * AttackOptions.loss; register it only to make it choosable by name.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { cwMarginLoss, dlrLoss, targetedDlrLoss } from './margin-losses';
import { crossEntropyLoss, type PerExampleLoss } from './per-example-loss';
import { representationDistanceLoss } from './representation-loss';

/** What a loss is made from besides the model output and the labels. Caller-owned tensors. */
export interface LossInputs {
  /** int32 [N]: one target class per example (targeted DLR). */
  targetClasses?: tf.Tensor1D;
  /** [N,D]: one target representation per example (representation distance). */
  targetRepresentations?: tf.Tensor2D;
}

export interface LossEntry {
  name: string;
  /** One line for people. */
  description: string;
  needs: 'labels' | 'target-classes' | 'target-representations';
  create(inputs: LossInputs): PerExampleLoss;
}

const registry = new Map<string, LossEntry>();

export function registerLoss(entry: LossEntry): void {
  if (registry.has(entry.name)) throw new Error(`a loss named ${entry.name} is already registered`);
  registry.set(entry.name, entry);
}

export function registeredLosses(): LossEntry[] {
  return [...registry.values()];
}

export function lossFor(name: string, inputs: LossInputs = {}): PerExampleLoss {
  const entry = registry.get(name);
  if (entry === undefined) {
    throw new Error(`unknown loss ${name}; use one of ${[...registry.keys()].join(', ')}`);
  }
  if (entry.needs === 'target-classes' && inputs.targetClasses === undefined) {
    throw new Error(`the ${name} loss needs one target class per example`);
  }
  if (entry.needs === 'target-representations' && inputs.targetRepresentations === undefined) {
    throw new Error(`the ${name} loss needs one target representation per example`);
  }
  return entry.create(inputs);
}

/** Narrows an optional input that lossFor has already checked. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

registerLoss({
  name: crossEntropyLoss.name,
  description: 'cross-entropy −log softmax(z)_ℓ',
  needs: 'labels',
  create: () => crossEntropyLoss,
});
registerLoss({
  name: cwMarginLoss.name,
  description: 'Carlini–Wagner margin max_{j≠ℓ} z_j − z_ℓ (positive: misclassified)',
  needs: 'labels',
  create: () => cwMarginLoss,
});
registerLoss({
  name: dlrLoss.name,
  description: 'difference of logits ratio −(z_y − max_{j≠y} z_j)/(z_π1 − z_π3) (Croce & Hein)',
  needs: 'labels',
  create: () => dlrLoss,
});
registerLoss({
  name: 'dlr-targeted',
  description: 'targeted DLR −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2), maximized with true labels',
  needs: 'target-classes',
  create: (inputs) => targetedDlrLoss(required(inputs.targetClasses, 'target classes')),
});
registerLoss({
  name: 'representation-distance',
  description: '‖r(x′) − r_target‖₂ on the penultimate representation',
  needs: 'target-representations',
  create: (inputs) =>
    representationDistanceLoss(required(inputs.targetRepresentations, 'target representations')),
});
