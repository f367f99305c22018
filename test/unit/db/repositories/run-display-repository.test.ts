/**
 * How a run is drawn is saved with it: set, read back, replaced, refused when out of range,
 * forgotten when unreadable, and gone with its run; and it survives closing the project.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProjectDatabase,
  openProjectDatabase,
} from '../../../../src-main/db/project-database';
import { ProjectStore } from '../../../../src-main/db/project-store';

function newStore(): ProjectStore {
  const path = join(mkdtempSync(join(tmpdir(), 'rfw-display-')), 'p.rfw');
  return new ProjectStore(path, createProjectDatabase(path, 'P'));
}

function newRun(store: ProjectStore): number {
  return store.runs.insert({ kind: 'features', name: 'f', config: {}, seed: 0, modelId: null });
}

describe('run displays', () => {
  it('saves, replaces and reopens how a run is drawn', () => {
    const store = newStore();
    const run = newRun(store);
    const other = newRun(store);
    expect(store.displays.get(run)).toBeNull();
    store.displays.set(run, { colormap: 'viridis', opacity: 0.35 });
    store.displays.set(run, { colormap: 'cividis', opacity: 0.8 });
    expect(store.displays.get(run)).toEqual({ colormap: 'cividis', opacity: 0.8 });
    expect(store.displays.get(other)).toBeNull();
    const path = store.path;
    store.close();
    const reopened = new ProjectStore(path, openProjectDatabase(path));
    expect(reopened.displays.get(run)).toEqual({ colormap: 'cividis', opacity: 0.8 });
    reopened.close();
  });

  it('refuses a display out of range and keeps the saved one', () => {
    const store = newStore();
    const run = newRun(store);
    store.displays.set(run, { colormap: 'magma', opacity: 0.5 });
    expect(() => store.displays.set(run, { colormap: 'magma', opacity: 1.5 })).toThrow(
      'the opacity must lie in [0, 1]',
    );
    expect(() => store.displays.set(run, { colormap: 'rainbow' as 'magma', opacity: 0.5 })).toThrow(
      /colormap/,
    );
    expect(store.displays.get(run)).toEqual({ colormap: 'magma', opacity: 0.5 });
    store.close();
  });

  it('reads an unreadable saved display as none, and drops it with its run', () => {
    const store = newStore();
    const run = newRun(store);
    store.db
      .prepare("INSERT INTO run_displays (run_id, settings, updated_at) VALUES (?, ?, 'now')")
      .run(run, JSON.stringify({ colormap: 'jet', opacity: 0.5 }));
    expect(store.displays.get(run)).toBeNull();
    store.displays.set(run, { colormap: 'turbo', opacity: 0 });
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(run);
    const left = store.db.prepare('SELECT COUNT(*) AS n FROM run_displays').get() as { n: number };
    expect(left.n).toBe(0);
    store.close();
  });
});
