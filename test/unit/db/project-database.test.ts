import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../../src-main/db/migrations';
import {
  createProjectDatabase,
  openProjectDatabase,
  projectApplicationId,
} from '../../../src-main/db/project-database';

const folder = () => mkdtempSync(join(tmpdir(), 'rfw-db-'));
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('project database', () => {
  it('creates a WAL file with foreign keys, our application id and the latest schema', () => {
    const path = join(folder(), 'p.rfw');
    const db = createProjectDatabase(path, 'P');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(projectApplicationId);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
    const reopened = openProjectDatabase(path);
    expect(reopened.prepare("SELECT value FROM project_meta WHERE key = 'name'").get()).toEqual({
      value: 'P',
    });
    reopened.close();
  });

  it('refuses to overwrite an existing file', () => {
    const path = join(folder(), 'p.rfw');
    writeFileSync(path, 'keep me');
    expect(() => createProjectDatabase(path, 'P')).toThrow(/already exists/);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('refuses a missing path and a file that is not SQLite, leaving it unchanged', () => {
    const dir = folder();
    expect(() => openProjectDatabase(join(dir, 'none.rfw'))).toThrow(/does not exist/);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'just some text, long enough to have a header '.repeat(5));
    const before = digest(text);
    expect(() => openProjectDatabase(text)).toThrow(
      /not a workbench project \(not a SQLite database\)/,
    );
    expect(digest(text)).toBe(before);
  });

  it('refuses another SQLite database', () => {
    const path = join(folder(), 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect(() => openProjectDatabase(path)).toThrow(/not a workbench project \(application id 0\)/);
  });

  it('refuses a truncated project and leaves the file as it was', () => {
    const dir = folder();
    const path = join(dir, 'p.rfw');
    const db = createProjectDatabase(path, 'P');
    db.exec(`CREATE TABLE filler (x BLOB); INSERT INTO filler VALUES (randomblob(200000));`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const damaged = join(dir, 'damaged.rfw');
    copyFileSync(path, damaged);
    truncateSync(damaged, 8192);
    const before = digest(damaged);
    expect(() => openProjectDatabase(damaged)).toThrow(/damaged \(truncated or corrupt\)/);
    expect(digest(damaged)).toBe(before);
  });

  it('refuses a project from a newer schema version', () => {
    const path = join(folder(), 'p.rfw');
    const db = createProjectDatabase(path, 'P');
    db.pragma(`user_version = ${latestSchemaVersion + 1}`);
    db.close();
    expect(() => openProjectDatabase(path)).toThrow(/saved by a newer version of the workbench/);
  });

  it('migrates a file at version 0 to the latest schema in one step per migration', () => {
    const path = join(folder(), 'old.rfw');
    const old = new Database(path);
    old.pragma(`application_id = ${projectApplicationId}`);
    old.close();
    const db = openProjectDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all();
    expect(tables.map((row) => (row as { name: string }).name)).toEqual(
      expect.arrayContaining(['artifacts', 'datasets', 'metrics', 'models', 'notes', 'runs']),
    );
    db.close();
  });
});
