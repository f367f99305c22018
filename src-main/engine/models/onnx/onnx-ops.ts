/**
 * Every op family the importer translates, in one registry (a duplicate op type throws), with a
 * translator for each op of the catalog (a missing one throws).
 */
import { onnxOpAttributes } from './onnx-op-catalog';
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
  for (const opType of Object.keys(onnxOpAttributes)) {
    if (registry.get(opType) === undefined) throw new Error(`ONNX op ${opType} has no translator`);
  }
  return registry;
}
