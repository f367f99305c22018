/**
 * Writes an exported recipe's files, except the initial weights (the engine draws them):
 *   train.py, recipe.json, README.md, and data/ (the dataset as .npy, the dataset export's own
 *   files: {train,test}_{images,labels,indices}.npy + dataset.json).
 * Into the export's temporary folder; the caller moves it into place once everything is there.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectStore } from '../../db/project-store';
import type { ExportFolder } from '../datasets/export-folder';
import { exportNpy } from '../datasets/npy-export';
import { quietContext } from '../datasets/task-context';
import { makeFolders } from '../files/make-folders';
import { recipeSummary } from './recipe-document';
import { exportSelection } from '../datasets/export-selection';
import { recipeReadme } from './recipe-readme';
import type { RecipeSource } from './recipe-source';
import { trainScript } from './train-script';

export async function writeRecipeFiles(
  store: ProjectStore,
  source: RecipeSource,
  folder: ExportFolder,
): Promise<void> {
  const { document, dataset } = source;
  const summary = recipeSummary(document.config, dataset.name);
  const data = join(folder.path, 'data');
  makeFolders(data);
  await exportNpy(
    store.datasets,
    dataset,
    { ...folder, path: data, target: join(folder.target, 'data') },
    'int64',
    // Both splits: the script tests on the test split, which for a constructed dataset (D_rand,
    // D_det, D_R, D_NR) is the original test images.
    exportSelection(
      dataset,
      store.datasets.provenance(dataset.id),
      dataset.split.method === 'constructed',
    ),
    quietContext(),
  );
  await writeFile(join(folder.path, 'recipe.json'), `${JSON.stringify(document, null, 2)}\n`);
  await writeFile(
    join(folder.path, 'train.py'),
    trainScript(document.config.architecture, summary),
  );
  await writeFile(join(folder.path, 'README.md'), recipeReadme(summary, dataset.name));
}
