/** Any import source → its dataset content: finds the files, then runs the format's reader. */
import type { z } from 'zod';
import type { DatasetImportSource } from '../../common/dataset-io-schemas';
import { findCifarFiles } from './cifar-folder';
import { loadCifarDataset } from './cifar-dataset';
import type { DatasetContent } from './dataset-content';
import { findIdxFiles } from './idx-folder';
import { loadIdxDataset } from './idx-dataset';
import { loadImageFolderDataset } from './image-folder-dataset';
import { loadSyntheticDataset } from './synthetic-dataset';
import type { TaskContext } from './task-context';

/** A source after parsing (defaults filled in). */
export type ImportSource = z.output<typeof DatasetImportSource>;

export function readDataset(source: ImportSource, context: TaskContext): Promise<DatasetContent> {
  switch (source.format) {
    case 'idx-files':
      return loadIdxDataset(source, source.classNames, context);
    case 'idx-folder':
      return loadIdxDataset(findIdxFiles(source.folder), source.classNames, context);
    case 'cifar-10':
    case 'cifar-100':
      return loadCifarDataset(
        findCifarFiles(source.folder, source.format, source.labelKind),
        source.format,
        source.labelKind,
        source.classNames,
        context,
      );
    case 'image-folder':
      return loadImageFolderDataset(source, context);
    case 'synthetic-features':
      return loadSyntheticDataset(source, context);
  }
}
