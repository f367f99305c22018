/**
 * The weight files a TensorFlow.js layers model.json names in its weightsManifest, checked
 * before any of them is read:
 *   - each path stays inside the model's folder once resolved, symlinks included (realpath): a
 *     manifest naming '../../home/me/.ssh/id_rsa' or '/etc/passwd' must not pull that file into
 *     the project, from where an export would write it back out;
 *   - each is a regular file (not a FIFO or a device, which would be read forever);
 *   - each group's files hold exactly the bytes its weights declare (Σ product(shape) × bytes
 *     per value: 4 for float32/int32, 1 for bool; the quantized dtype's width when quantized),
 *     so a manifest that does not describe its files is refused by its sizes, not by a RangeError
 *     deep inside tfjs' decoder.
 * Used by the main thread before an import's run row exists, and by the engine's import.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** What the engine reads at most (Node's readFile limit, and far past any model it can run). */
const weightByteLimit = 2 * 1024 * 1024 * 1024;

const valueBytes: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

export interface WeightFile {
  /** As the manifest writes it. */
  name: string;
  /** Resolved, inside the model's folder. */
  path: string;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Bytes one weight entry declares; throws with `fail` when the entry is malformed. */
function declaredBytes(entry: unknown, fail: (problem: string) => never): number {
  const weight = record(entry);
  const name = typeof weight?.['name'] === 'string' ? weight['name'] : '(unnamed)';
  const shape = weight?.['shape'];
  if (
    !Array.isArray(shape) ||
    !shape.every((size) => Number.isSafeInteger(size) && (size as number) >= 0)
  ) {
    fail(`weight ${name} in its weightsManifest has no valid shape (whole numbers ≥ 0)`);
  }
  const quantization = record(weight?.['quantization']);
  const dtype = quantization?.['dtype'] ?? weight?.['dtype'] ?? 'float32';
  const width = typeof dtype === 'string' ? valueBytes[dtype] : undefined;
  if (width === undefined) {
    fail(`weight ${name} has dtype ${String(dtype)}, which the import cannot read`);
  }
  return (shape as number[]).reduce((product, size) => product * size, width);
}

/** The file's real path, refused unless it is a regular file inside `folder` (a real path). */
function locate(folder: string, name: unknown, fail: (problem: string) => never): string {
  if (typeof name !== 'string' || name.length === 0) {
    fail('its weightsManifest lists a weight file path that is not a file name');
  }
  let real: string;
  try {
    real = realpathSync(resolve(folder, name));
  } catch {
    fail(`its weight file ${name} cannot be read at ${resolve(folder, name)}`);
  }
  const inside = relative(folder, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    fail(
      `its weight file path ${name} leads outside the model's folder (to ${real}): weight files must sit in ${folder}`,
    );
  }
  if (!statSync(real).isFile()) {
    fail(`its weight file ${name} is not a regular file`);
  }
  return real;
}

/**
 * The weight files of `manifest` (the model.json's weightsManifest), in order, after the checks
 * above; throws "<model.json>: <problem>" otherwise.
 */
export function locateWeightFiles(modelJsonPath: string, manifest: unknown): WeightFile[] {
  const fail: (problem: string) => never = (problem) => {
    throw new Error(`${modelJsonPath}: ${problem}`);
  };
  if (!Array.isArray(manifest)) fail('has no weightsManifest');
  let folder: string;
  try {
    folder = realpathSync(dirname(modelJsonPath));
  } catch {
    fail('its folder cannot be read');
  }
  const files: WeightFile[] = [];
  let total = 0;
  for (const [index, entry] of (manifest as unknown[]).entries()) {
    const group = record(entry);
    const paths = group?.['paths'];
    const weights = group?.['weights'];
    if (!Array.isArray(paths) || !Array.isArray(weights)) {
      fail(`group ${index + 1} of its weightsManifest lacks paths or weights`);
    }
    let held = 0;
    for (const name of paths as unknown[]) {
      const path = locate(folder, name, fail);
      held += statSync(path).size;
      files.push({ name: name as string, path });
    }
    const declared = (weights as unknown[]).reduce<number>(
      (sum, weight) => sum + declaredBytes(weight, fail),
      0,
    );
    if (held !== declared) {
      fail(
        `the weight files of group ${index + 1} (${(paths as string[]).join(', ')}) hold ${held.toLocaleString('en-US')} bytes, but its weightsManifest declares ${declared.toLocaleString('en-US')}`,
      );
    }
    total += held;
  }
  if (total > weightByteLimit) {
    fail(
      `its weight files hold ${Math.round(total / 2 ** 20)} MB; the import reads at most 2,048 MB`,
    );
  }
  return files;
}
