/**
 * The open project and the operations on project files: create, open, the demo project, rename,
 * save-as and close. One project is open at a time. Every refusal leaves the current project, and
 * the file that was refused, as they were.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ProjectSummary } from '../common/project-schemas';
import { latestSchemaVersion } from '../db/migrations';
import {
  createProjectDatabase,
  openProjectDatabase,
  openProjectDatabaseReadOnly,
  ProjectFileError,
  type ProjectDatabase,
  type SqliteOptions,
} from '../db/project-database';
import type { LockRecord } from '../db/lock-record';
import { acquireProjectLock, lockOwner, realProjectPath } from '../db/project-lock';
import { ProjectStore } from '../db/project-store';
import { loadBundledMnist } from './bundled-mnist';
import { makeFolders } from './files/make-folders';
import { copyProjectFile } from './project-copy';
import type { RecentProjects } from './recent-projects';

export const projectExtension = '.rfw';

export class ProjectService {
  private store: ProjectStore | null = null;

  constructor(
    private readonly homeDir: string,
    private readonly recent: RecentProjects,
    private readonly onChange: (project: ProjectSummary | null) => void,
    private readonly sqlite: SqliteOptions = { nativeBinding: null },
    /** Which workbench this is ('cli', 'browser'…), recorded in lock files for whoever is refused. */
    private readonly lockKind = 'workbench',
  ) {}

  get current(): ProjectStore | null {
    return this.store;
  }

  /** The open project, or an error that says to open one first. */
  requireCurrent(): ProjectStore {
    if (!this.store) throw new Error('no project is open: open or create a project first');
    return this.store;
  }

  summary(): ProjectSummary | null {
    return this.store ? summarize(this.store) : null;
  }

  create(path: string, name: string): ProjectSummary {
    const target = normalizeProjectPath(path);
    makeFolders(dirname(target));
    return this.adopt(
      this.withLock(target, () => createProjectDatabase(target, name, this.sqlite)),
    );
  }

  open(path: string): ProjectSummary {
    const target = resolve(path);
    // Another spelling of the open file (a symlink, '..') is the open file too.
    if (this.store && realProjectPath(this.store.path) === realProjectPath(target)) {
      return summarize(this.store);
    }
    const store = this.withLock(target, () => openProjectDatabase(target, this.sqlite));
    // Whatever was queued or running when this file was last closed did not finish.
    store.runs.markInterrupted();
    return this.adopt(store);
  }

  /**
   * For work that only reads (listing, exporting): opens the project as usual when no other
   * workbench has it, and read-only alongside the one that does — no lock, no migration, runs
   * left as they are (they are that workbench's live runs). `sharedWith` names that workbench.
   */
  openForReading(path: string): { summary: ProjectSummary; sharedWith: LockRecord | null } {
    const target = resolve(path);
    const owner = lockOwner(target);
    if (owner === null) {
      try {
        return { summary: this.open(target), sharedWith: null };
      } catch (error) {
        // Taken by another workbench between the two checks: read alongside it after all.
        if (lockOwner(target) === null) throw error;
      }
    }
    const store = new ProjectStore(target, openProjectDatabaseReadOnly(target, this.sqlite));
    return { summary: this.adopt(store), sharedWith: owner ?? lockOwner(target) };
  }

  /** Opens the demo project in the home folder, creating it with the bundled MNIST the first time. */
  openDemo(): ProjectSummary {
    const path = join(this.homeDir, 'projects', `demo${projectExtension}`);
    if (existsSync(path)) return this.open(path);
    return this.createDemo(path);
  }

  /** Creates a project holding the bundled MNIST dataset and opens it. */
  createDemo(path: string, name = 'Demo project'): ProjectSummary {
    const target = normalizeProjectPath(path);
    makeFolders(dirname(target));
    const store = this.withLock(target, () => createProjectDatabase(target, name, this.sqlite));
    try {
      store.datasets.insert(loadBundledMnist());
    } catch (error) {
      store.close();
      throw error;
    }
    return this.adopt(store);
  }

  rename(name: string): ProjectSummary {
    const store = this.requireCurrent();
    store.meta.set('name', name);
    this.recent.remember(store.path, name);
    const summary = summarize(store);
    this.onChange(summary);
    return summary;
  }

  /** Copies the open project to a new file (a consistent snapshot) and continues in the copy. */
  saveAs(path: string): ProjectSummary {
    const store = this.requireCurrent();
    const target = normalizeProjectPath(path);
    if (existsSync(target)) {
      throw new ProjectFileError(`${target} already exists; choose a new file name`);
    }
    makeFolders(dirname(target));
    copyProjectFile(store.db, target);
    return this.open(target);
  }

  close(): void {
    if (!this.store) return;
    this.store.close();
    this.store = null;
    this.onChange(null);
  }

  /** Opens or creates a database under the project's lock; the lock is released on failure. */
  private withLock(path: string, connect: () => ProjectDatabase): ProjectStore {
    const release = acquireProjectLock(path, this.lockKind);
    try {
      return new ProjectStore(path, connect(), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  private adopt(store: ProjectStore): ProjectSummary {
    this.store?.close();
    this.store = store;
    const summary = summarize(store);
    this.recent.remember(store.path, summary.name);
    this.onChange(summary);
    return summary;
  }
}

function normalizeProjectPath(path: string): string {
  const absolute = resolve(path);
  return absolute.endsWith(projectExtension) ? absolute : `${absolute}${projectExtension}`;
}

function summarize(store: ProjectStore): ProjectSummary {
  const count = (table: string) =>
    (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    path: store.path,
    name: store.meta.get('name') ?? 'Untitled project',
    schemaVersion: latestSchemaVersion,
    createdAt: store.meta.get('created_at') ?? '',
    counts: { datasets: count('datasets'), models: count('models'), runs: count('runs') },
  };
}
