/**
 * What the workbench keeps about an imported tfjs-layers model besides its weights: enough to
 * rebuild it synchronously in any worker. It travels inside the ModelSpec as `layers` (see
 * LayersModelSpec in engine-types.ts), so every place that rebuilds a model from (spec, weights)
 * — attacks, evaluation, experiments — handles imported models without knowing about them.
 */
import { z } from 'zod';
import type { ArchitectureName } from '../../../common/model-schemas';

export const LayersWeight = z.object({
  /** tfjs-layers' LayerVariable.originalName, e.g. 'dense_1/kernel': the weightsManifest name. */
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  /** False for BatchNormalization's moving statistics and other non-trainable weights. */
  trainable: z.boolean(),
});
export type LayersWeight = z.infer<typeof LayersWeight>;

export const LayersModelDescription = z.object({
  /** tfjs-layers class of the model: 'Sequential', 'Model' or 'Functional'. */
  className: z.string().min(1),
  /**
   * The model's config as tfjs-layers' getConfig() returns it (camelCase keys, the form its
   * fromConfig takes), with the logits layer's softmax, if it had one, replaced by 'linear'.
   */
  config: z.record(z.string(), z.unknown()),
  /** Every weight, in the layers model's order (trainable ones first). */
  weights: z.array(LayersWeight),
  /**
   * The pixel range the imported model expects: the workbench's [0,1] images are mapped
   * linearly onto [low, high] before its first layer ([0,1] leaves them alone).
   */
  inputRange: z.tuple([z.number(), z.number()]),
  /** True when the model takes flat vectors [N, H·W·C] (NHWC order) instead of [N,H,W,C]. */
  flatInput: z.boolean(),
  /** Name of the last Dense layer: its output is the logits, its input the representation. */
  logitsLayer: z.string().min(1),
  /** Whether the file's model ended in a softmax that the import took off to get logits. */
  removedSoftmax: z.boolean(),
});
export type LayersModelDescription = z.infer<typeof LayersModelDescription>;

/**
 * The description carried by a 'tfjs-layers' spec; a clear error when it is missing or malformed.
 * The spec is typed by the fields read, as ModelSpec (engine-types.ts) carries this description.
 */
export function layersDescriptionOf(spec: {
  architecture: ArchitectureName;
  layers?: unknown;
}): LayersModelDescription {
  if (spec.architecture !== 'tfjs-layers') {
    throw new Error(`architecture ${spec.architecture} is not an imported tfjs-layers model`);
  }
  const carried = spec.layers;
  if (carried === undefined) {
    throw new Error(
      'a tfjs-layers model spec must carry its layers description (spec.layers), ' +
        'as importLayersModelFiles returns it',
    );
  }
  const parsed = LayersModelDescription.safeParse(carried);
  if (!parsed.success) {
    throw new Error(`the tfjs-layers model description is malformed: ${parsed.error.message}`);
  }
  return parsed.data;
}
