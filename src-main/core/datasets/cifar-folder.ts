/**
 * Finds the batch files of a CIFAR binary release in a folder (or in the cifar-10-batches-bin /
 * cifar-100-binary folder inside it, as the archives unpack):
 *   CIFAR-10:  data_batch_1.bin … data_batch_5.bin, test_batch.bin, batches.meta.txt
 *   CIFAR-100: train.bin, test.bin, fine_label_names.txt, coarse_label_names.txt
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetImportError } from './dataset-content';
import type { CifarVariant } from './cifar-reader';

export interface CifarFiles {
  folder: string;
  train: string[];
  test: string | null;
  /** The names file for the chosen labels, when present. */
  names: string | null;
}

const archiveFolders: Record<CifarVariant, string> = {
  'cifar-10': 'cifar-10-batches-bin',
  'cifar-100': 'cifar-100-binary',
};

export function findCifarFiles(
  folder: string,
  variant: CifarVariant,
  labelKind: 'fine' | 'coarse',
): CifarFiles {
  if (!existsSync(folder)) throw new DatasetImportError([`${folder} does not exist`]);
  if (!statSync(folder).isDirectory()) throw new DatasetImportError([`${folder} is not a folder`]);
  let base = folder;
  const inner = join(folder, archiveFolders[variant]);
  if (existsSync(inner) && statSync(inner).isDirectory()) base = inner;
  const present = new Set(readdirSync(base));
  const file = (name: string): string | null => (present.has(name) ? join(base, name) : null);
  if (variant === 'cifar-10') {
    const train = [1, 2, 3, 4, 5]
      .map((n) => file(`data_batch_${n}.bin`))
      .filter((path): path is string => path !== null);
    if (train.length === 0) {
      throw new DatasetImportError([
        `${base} has no CIFAR-10 training batches (data_batch_1.bin …)`,
      ]);
    }
    return { folder: base, train, test: file('test_batch.bin'), names: file('batches.meta.txt') };
  }
  const train = file('train.bin');
  if (!train) throw new DatasetImportError([`${base} has no CIFAR-100 train.bin`]);
  return {
    folder: base,
    train: [train],
    test: file('test.bin'),
    names: file(labelKind === 'fine' ? 'fine_label_names.txt' : 'coarse_label_names.txt'),
  };
}
