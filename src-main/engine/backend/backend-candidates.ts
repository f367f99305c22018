/**
 * The backends in the order the engine tries them (DESIGN §3), as data.
 * The two native ones live in optionalDependencies: their install downloads libtensorflow and
 * is skipped offline, so "not installed" is an ordinary outcome, not an error.
 * Both native packages register themselves under the tfjs backend name 'tensorflow'.
 */
import type { BackendName } from '../../common/backend-schemas';

export interface BackendCandidate {
  name: BackendName;
  /** npm package loaded at selection time; null where the engine imports it statically. */
  packageName: string | null;
  /** The name tfjs registers the backend under (what tf.setBackend takes). */
  tfBackendName: string;
}

export const backendCandidates: readonly BackendCandidate[] = [
  { name: 'tensorflow-gpu', packageName: '@tensorflow/tfjs-node-gpu', tfBackendName: 'tensorflow' },
  { name: 'tensorflow', packageName: '@tensorflow/tfjs-node', tfBackendName: 'tensorflow' },
  { name: 'wasm', packageName: null, tfBackendName: 'wasm' },
  { name: 'cpu', packageName: null, tfBackendName: 'cpu' },
];
