/** Every op family the importer translates, in one registry (a duplicate op type throws). */
import { OpRegistry } from './op-registry';
import { activations } from './ops/activations';
import { batchNormalization } from './ops/batch-normalization';
import { binaryArithmetic } from './ops/binary-arithmetic';
import { constantsAndIdentity } from './ops/constants-and-identity';
import { conv } from './ops/conv';
import { matrixProducts } from './ops/matrix-products';
import { pad } from './ops/pad';
import { pooling } from './ops/pooling';
import { reductions } from './ops/reductions';
import { reshaping } from './ops/reshaping';
import { staticShape } from './ops/static-shape';

export function onnxOpRegistry(): OpRegistry {
  const registry = new OpRegistry();
  for (const translator of [
    conv,
    batchNormalization,
    pad,
    ...activations,
    ...binaryArithmetic,
    ...constantsAndIdentity,
    ...matrixProducts,
    ...pooling,
    ...reductions,
    ...reshaping,
    ...staticShape,
  ]) {
    registry.register(translator);
  }
  return registry;
}
