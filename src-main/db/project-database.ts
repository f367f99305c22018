/**
 * Opening and creating project files: one SQLite file per project, WAL journal, foreign keys on,
 * schema migrated through PRAGMA user_version. Every failure here is a message a person can act
 * on, and a file that is refused is left exactly as it was (nothing is written before the checks).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { latestSchemaVersion, migrations } from './migrations';

export type ProjectDatabase = Database.Database;

/** Marks a SQLite file as a workbench project ("RFWB" in ASCII), so other databases are refused. */
export const projectApplicationId = 0x52465742;

const sqliteHeader = 'SQLite format 3\u0000';

/**
 * Where better-sqlite3's native addon comes from: null for the default build (Node's ABI, used by
 * tests and the CLI); a path for the second build made against Electron's headers.
 */
export interface SqliteOptions {
  nativeBinding: string | null;
}

const defaultSqlite: SqliteOptions = { nativeBinding: null };

function connect(
  path: string,
  sqlite: SqliteOptions,
  extra: Database.Options = {},
): ProjectDatabase {
  return new Database(
    path,
    sqlite.nativeBinding ? { ...extra, nativeBinding: sqlite.nativeBinding } : extra,
  );
}

export class ProjectFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectFileError';
  }
}

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(100);
    const bytes = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, bytes);
  } finally {
    closeSync(fd);
  }
}

function configure(db: ProjectDatabase): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // FULL: a transaction that returned is on disk, whatever happens to the process next.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
}

function migrate(db: ProjectDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < latestSchemaVersion; version += 1) {
    const migration = migrations[version];
    if (!migration) break;
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched outside it.
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuildsTables) checkForeignKeys(db, migration.description);
        db.pragma(`user_version = ${version + 1}`);
      })();
    } finally {
      if (migration.rebuildsTables) db.pragma('foreign_keys = ON');
    }
  }
}

/** Refuses to commit a rebuild that left a reference dangling (the transaction rolls back). */
function checkForeignKeys(db: ProjectDatabase, description: string): void {
  const problems = db.pragma('foreign_key_check') as unknown[];
  if (problems.length > 0) {
    throw new Error(
      `migration "${description}" would leave ${problems.length} broken references; the file was not changed`,
    );
  }
}

/** Creates a new, empty project file. Refuses to overwrite anything. */
export function createProjectDatabase(
  path: string,
  name: string,
  sqlite: SqliteOptions = defaultSqlite,
): ProjectDatabase {
  if (existsSync(path)) {
    throw new ProjectFileError(`${path} already exists; choose a new file name for the project`);
  }
  const db = connect(path, sqlite);
  try {
    configure(db);
    db.pragma(`application_id = ${projectApplicationId}`);
    migrate(db);
    const insert = db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      insert.run('name', name);
      insert.run('created_at', new Date().toISOString());
    })();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Checks, read-only, that `path` is a project file this version can read: a SQLite file, not
 * truncated or corrupt, with our application id, and a schema not newer than ours. Returns its
 * schema version.
 */
function checkProjectFile(path: string, sqlite: SqliteOptions): number {
  if (!existsSync(path)) throw new ProjectFileError(`${path} does not exist`);
  const stat = statSync(path);
  if (!stat.isFile()) throw new ProjectFileError(`${path} is not a file`);
  const header = readHeader(path);
  if (header.length < 100 || header.subarray(0, 16).toString('latin1') !== sqliteHeader) {
    throw new ProjectFileError(`${path} is not a workbench project (not a SQLite database)`);
  }
  return checkReadOnly(path, sqlite);
}

/** Opens an existing project file, once checkProjectFile has passed, and migrates it. */
export function openProjectDatabase(
  path: string,
  sqlite: SqliteOptions = defaultSqlite,
): ProjectDatabase {
  checkProjectFile(path, sqlite);
  const db = connect(path, sqlite);
  try {
    configure(db);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a project file read-only, alongside a workbench that has it open for writing (WAL lets
 * readers in while it writes). Nothing is written, so a file whose schema needs upgrading is
 * refused rather than migrated.
 */
export function openProjectDatabaseReadOnly(
  path: string,
  sqlite: SqliteOptions = defaultSqlite,
): ProjectDatabase {
  const version = checkProjectFile(path, sqlite);
  if (version < latestSchemaVersion) {
    throw new ProjectFileError(
      `${path} was saved by an older version of the workbench (schema ${version}; this version uses ${latestSchemaVersion}) and must be upgraded, which writes to it: open it where no other workbench has it open`,
    );
  }
  const db = connect(path, sqlite, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

function checkReadOnly(path: string, sqlite: SqliteOptions): number {
  let probe: ProjectDatabase;
  try {
    probe = connect(path, sqlite, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ProjectFileError(`${path} cannot be opened: ${(error as Error).message}`);
  }
  try {
    let integrity: string;
    try {
      integrity = probe.pragma('quick_check', { simple: true }) as string;
    } catch (error) {
      throw new ProjectFileError(
        `${path} is damaged (truncated or corrupt): ${(error as Error).message}`,
      );
    }
    if (integrity !== 'ok') {
      throw new ProjectFileError(`${path} is damaged (truncated or corrupt): ${integrity}`);
    }
    const applicationId = probe.pragma('application_id', { simple: true }) as number;
    if (applicationId !== projectApplicationId) {
      throw new ProjectFileError(
        `${path} is a SQLite database but not a workbench project (application id ${applicationId})`,
      );
    }
    const version = probe.pragma('user_version', { simple: true }) as number;
    if (version > latestSchemaVersion) {
      throw new ProjectFileError(
        `${path} was saved by a newer version of the workbench (schema ${version}; this version reads up to ${latestSchemaVersion}). Update the workbench to open it.`,
      );
    }
    return version;
  } finally {
    probe.close();
  }
}
