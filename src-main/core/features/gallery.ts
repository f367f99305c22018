/** The gallery's items: completed features runs, newest first, with their notes and a thumbnail. */
import { FeaturesConfig } from '../../common/features-schemas';
import { FeaturesResult } from '../../common/features-result-schemas';
import type { GalleryItem } from '../../common/gallery-schemas';
import type { ProjectStore } from '../../db/project-store';
import { StoredColumnError } from '../../db/repositories/stored-json';

/** The first cell of the first model's panel (else of the first panel): the run's "cover". */
function thumbnailOf(result: FeaturesResult): GalleryItem['thumbnail'] {
  const panel = result.panels.find((p) => p.modelId !== null) ?? result.panels[0];
  const cells = panel?.rows[0]?.cells ?? [];
  // The last cell of a row is the view's outcome (the inverted image, the map, the last frame).
  const cell = cells.at(-1);
  if (!cell) return null;
  return {
    artifactId: cell.artifactId,
    display: cell.display,
    baseArtifactId: cell.baseArtifactId,
  };
}

export function galleryItems(store: ProjectStore): GalleryItem[] {
  const notes = store.notes.forKind('run');
  const items: GalleryItem[] = [];
  for (const summary of store.runs.list()) {
    if (summary.kind !== 'features' || summary.status !== 'completed') continue;
    let read;
    try {
      read = store.runs.completed(summary.id, 'features', {
        config: FeaturesConfig,
        result: FeaturesResult,
      });
    } catch (error) {
      // A run written by a later version that this one cannot read, or a damaged one, is left
      // out, not an error: its own page says what is wrong with it.
      if (error instanceof StoredColumnError) continue;
      throw error;
    }
    const { run, config, result } = read;
    items.push({
      runId: run.id,
      name: run.name,
      view: config.view,
      modelIds: config.modelIds,
      datasetId: config.datasetId,
      finishedAt: run.finishedAt,
      thumbnail: thumbnailOf(result),
      note: notes.get(run.id)?.body ?? '',
    });
  }
  return items.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
}
