/** Test helper: a model whose representation is its input, so results can be worked by hand. */
import type { ArchitectureName } from '../../../../src-main/common/model-schemas';
import { ArchitectureRegistry } from '../../../../src-main/engine/models/architecture-registry';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { flatten } from '../../../../src-main/engine/models/layers';
import type { Model } from '../../../../src-main/engine/models/model-types';

/** r(x) = logits = x flattened, for pixels×1×1 images (so r ∈ ℝ^pixels, `pixels` classes). */
export function identityModel(pixels: number): Model {
  const registry = new ArchitectureRegistry();
  registry.register({
    name: 'identity' as ArchitectureName,
    description: 'r(x) = flatten(x), logits = r',
    parameters: () => [],
    forward: (_parameters, images) => {
      const representation = flatten(images);
      return { logits: representation, representation };
    },
  });
  return createModel(
    {
      architecture: 'identity' as ArchitectureName,
      inputShape: [pixels, 1, 1],
      numClasses: pixels,
    },
    1,
    registry,
  );
}
