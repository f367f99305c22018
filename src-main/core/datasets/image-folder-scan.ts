/**
 * The layout of an image-folder dataset, read from the file system without decoding anything:
 *
 *   folder/<class>/<image>.png|jpg|jpeg                    one sub-folder per class, or
 *   folder/train/<class>/<image>, folder/test/<class>/…     the split given by the folders.
 *
 * Classes are the sub-folder names sorted by code point (as Python's sorted() and torchvision's
 * ImageFolder do), so label k is the k-th name. Files are sorted the same way.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetImportError, countOf } from './dataset-content';

export interface ScannedImage {
  path: string;
  label: number;
  /** From the train/ and test/ folders; null when the import makes the split. */
  split: 0 | 1 | null;
}

export interface ImageFolderScan {
  classNames: string[];
  images: ScannedImage[];
  /** True when train/ and test/ folders gave the split. */
  splitByFolders: boolean;
  notes: string[];
}

const imageExtension = /\.(png|jpe?g)$/i;

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entries(folder: string): { folders: string[]; files: string[] } {
  const folders: string[] = [];
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) folders.push(entry.name);
    else if (entry.isFile()) files.push(entry.name);
  }
  return { folders: folders.sort(byCodePoint), files: files.sort(byCodePoint) };
}

export function scanImageFolder(folder: string): ImageFolderScan {
  if (!existsSync(folder)) throw new DatasetImportError([`${folder} does not exist`]);
  if (!statSync(folder).isDirectory()) throw new DatasetImportError([`${folder} is not a folder`]);
  const top = entries(folder);
  const splitByFolders = top.folders.includes('train') && top.folders.includes('test');
  const roots: { path: string; split: 0 | 1 | null }[] = splitByFolders
    ? [
        { path: join(folder, 'train'), split: 0 },
        { path: join(folder, 'test'), split: 1 },
      ]
    : [{ path: folder, split: null }];
  const notes: string[] = [];
  const problems: string[] = [];
  const classFolders = roots.map((root) => ({ ...root, ...entries(root.path) }));
  const classNames = [...new Set(classFolders.flatMap((root) => root.folders))].sort(byCodePoint);
  if (classNames.length === 0) {
    throw new DatasetImportError([
      `${folder} has no class folders: put the images of each class in a sub-folder named after the class`,
    ]);
  }
  if (classNames.length === 1) {
    problems.push(
      `${folder} has only one class folder (${classNames[0]}): a classifier needs two or more`,
    );
  }
  let skipped = 0;
  let nested = 0;
  const images: ScannedImage[] = [];
  for (const root of classFolders) {
    if (root.files.length > 0) {
      notes.push(
        `${countOf(root.files.length, 'file')} directly in ${root.path} (outside any class folder) ignored`,
      );
    }
    if (splitByFolders) {
      for (const name of classNames.filter((name) => !root.folders.includes(name))) {
        notes.push(`${root.path} has no folder for class ${name}: it has no images in that split`);
      }
    }
    for (const className of root.folders) {
      const classFolder = join(root.path, className);
      const content = entries(classFolder);
      nested += content.folders.length;
      const pictures = content.files.filter((file) => imageExtension.test(file));
      skipped += content.files.length - pictures.length;
      if (pictures.length === 0) {
        problems.push(`class folder ${classFolder} holds no PNG or JPEG images`);
        continue;
      }
      const label = classNames.indexOf(className);
      for (const file of pictures) {
        images.push({ path: join(classFolder, file), label, split: root.split });
      }
    }
  }
  if (skipped > 0) notes.push(`${countOf(skipped, 'file')} not PNG or JPEG skipped`);
  if (nested > 0) notes.push(`${countOf(nested, 'folder')} inside class folders skipped`);
  if (problems.length > 0) throw new DatasetImportError(problems);
  return { classNames, images, splitByFolders, notes };
}
