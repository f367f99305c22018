/**
 * Finds the four standard IDX files in a folder: train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each plain or .gz (also the dotted spelling
 * train-images.idx3-ubyte that some mirrors use). Test files are optional, as a pair.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetImportError } from './dataset-content';

export interface IdxFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string | null;
  testLabels: string | null;
}

function spellings(prefix: string, kind: 'images' | 'labels'): string[] {
  const idx = kind === 'images' ? 'idx3' : 'idx1';
  const names = [`${prefix}-${kind}-${idx}-ubyte`, `${prefix}-${kind}.${idx}-ubyte`];
  return names.flatMap((name) => [name, `${name}.gz`]);
}

export function findIdxFiles(folder: string): IdxFiles {
  if (!existsSync(folder)) throw new DatasetImportError([`${folder} does not exist`]);
  if (!statSync(folder).isDirectory()) {
    throw new DatasetImportError([`${folder} is not a folder`]);
  }
  const present = new Set(readdirSync(folder));
  const find = (prefix: string, kind: 'images' | 'labels'): string | null => {
    const name = spellings(prefix, kind).find((candidate) => present.has(candidate));
    return name ? join(folder, name) : null;
  };
  const files = {
    trainImages: find('train', 'images'),
    trainLabels: find('train', 'labels'),
    testImages: find('t10k', 'images'),
    testLabels: find('t10k', 'labels'),
  };
  const problems: string[] = [];
  if (!files.trainImages) problems.push(`${folder} has no train-images-idx3-ubyte[.gz]`);
  if (!files.trainLabels) problems.push(`${folder} has no train-labels-idx1-ubyte[.gz]`);
  if (files.testImages && !files.testLabels) {
    problems.push(`${folder} has t10k images but no t10k-labels-idx1-ubyte[.gz]`);
  }
  if (files.testLabels && !files.testImages) {
    problems.push(`${folder} has t10k labels but no t10k-images-idx3-ubyte[.gz]`);
  }
  if (problems.length > 0 || !files.trainImages || !files.trainLabels) {
    throw new DatasetImportError(problems);
  }
  return { ...files, trainImages: files.trainImages, trainLabels: files.trainLabels };
}
