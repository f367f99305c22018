/**
 * The layers of a model in the order Adebayo et al.'s cascading randomization re-draws them: from
 * the logits down to the input ("Sanity checks for saliency maps", 2018, §3.1). Stage k of the
 * cascade re-draws the top k layers and keeps the rest trained; the last stage has every layer
 * re-drawn, the full randomization.
 *
 * A layer is the group of parameters that share a name up to their last '.' or '/':
 * 'conv2.weight' and 'conv2.bias' (built-in architectures), 'block1.bn1.gamma' and
 * 'block1.bn1.mean' (a batch norm's buffers go with it), 'dense_1/kernel' (an imported
 * tfjs-layers model). Model.parameters lists them from the input to the logits, so the cascade
 * is their order of first appearance, reversed.
 */
import type { Model } from '../models/model-types';

export interface CascadeLayer {
  /** The shared prefix, e.g. 'conv2', 'block1.bn1', 'dense_1'. */
  layer: string;
  /** Its parameters' names (Model.parameters names), for randomizedCopy's `only`. */
  parameters: string[];
}

function layerOf(parameterName: string): string {
  const cut = Math.max(parameterName.lastIndexOf('.'), parameterName.lastIndexOf('/'));
  return cut > 0 ? parameterName.slice(0, cut) : parameterName;
}

/** The model's layers, the one nearest the logits first. */
export function cascadeLayers(model: Model): CascadeLayer[] {
  const layers = new Map<string, string[]>();
  for (const { name } of model.parameters) {
    const layer = layerOf(name);
    const names = layers.get(layer) ?? [];
    names.push(name);
    layers.set(layer, names);
  }
  return [...layers.entries()].map(([layer, parameters]) => ({ layer, parameters })).reverse();
}

/** The parameters stage k (1-based) re-draws: those of the top k layers. */
export function cascadeStage(layers: readonly CascadeLayer[], stage: number): string[] {
  if (!Number.isInteger(stage) || stage < 1 || stage > layers.length) {
    throw new Error(`cascade stage must be 1 to ${layers.length}, got ${stage}`);
  }
  return layers.slice(0, stage).flatMap((layer) => layer.parameters);
}
