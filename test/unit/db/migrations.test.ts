import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../src-main/db/migrations';
import {
  openProjectDatabase,
  openProjectDatabaseReadOnly,
  projectApplicationId,
} from '../../../src-main/db/project-database';

/** A project file at an older schema version, with rows that reference runs. */
function oldProject(version: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rfw-migrate-')), 'old.rfw');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`application_id = ${projectApplicationId}`);
  for (const migration of migrations.slice(0, version)) db.exec(migration.sql);
  db.pragma(`user_version = ${version}`);
  db.exec(`
    INSERT INTO project_meta VALUES ('name', 'old');
    INSERT INTO datasets VALUES (1, 'd', 1, 1, 1, 1, 'uint8', '["a"]', '{}', 'test', x'00000000', x'00', 't');
    INSERT INTO runs (id, kind, name, status, config, seed, created_at, result)
      VALUES (7, 'train', 'trained', 'completed', '{"epochs":1}', 3, 't', '{"testAccuracy":0.5}');
    INSERT INTO models VALUES (1, 'm', 'small-cnn', '[1,1,1]', 1, 1, 7, 0, 10, 0.5, '[]', x'', 't');
    UPDATE runs SET model_id = 1 WHERE id = 7;
    INSERT INTO metrics VALUES (7, 1, 'loss', 0.25);
    INSERT INTO artifacts (id, run_id, kind, shape, dtype, data, meta, created_at)
      VALUES (1, 7, 'image', '[1]', 'uint8', x'ff', '{}', 't');
  `);
  db.close();
  return path;
}

describe('migrations', () => {
  it('refuses to open an old schema read-only, since upgrading it writes, and leaves it as it was', () => {
    const path = oldProject(1);
    const before = readFileSync(path);
    expect(() => openProjectDatabaseReadOnly(path)).toThrow(
      `was saved by an older version of the workbench (schema 1; this version uses ${migrations.length}) and must be upgraded`,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('rebuilds the runs table for the new run kinds and keeps every row that references it', () => {
    const db = openProjectDatabase(oldProject(1));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, kind, model_id, result FROM runs').all()).toEqual([
      { id: 7, kind: 'train', model_id: 1, result: '{"testAccuracy":0.5}' },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM metrics WHERE run_id = 7').get()).toEqual({
      n: 1,
    });
    expect(db.prepare('SELECT COUNT(*) AS n FROM artifacts WHERE run_id = 7').get()).toEqual({
      n: 1,
    });
    expect(db.prepare('SELECT training_run_id FROM models').get()).toEqual({ training_run_id: 7 });

    db.prepare(
      `INSERT INTO runs (kind, name, status, config, seed, created_at)
       VALUES ('experiment', 'e', 'queued', '{}', 1, 't')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO runs (kind, name, status, config, seed, created_at)
           VALUES ('nonsense', 'e', 'queued', '{}', 1, 't')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    // References into the rebuilt table are still enforced, and still cascade.
    expect(() => db.prepare("INSERT INTO metrics VALUES (999, 1, 'loss', 1)").run()).toThrow(
      /FOREIGN KEY/,
    );
    db.prepare('DELETE FROM runs WHERE id = 7').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM metrics').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT training_run_id FROM models').get()).toEqual({
      training_run_id: null,
    });
    db.close();
  });

  it('adds the export run kind and the layers column of imported models, keeping every row', () => {
    const db = openProjectDatabase(oldProject(2));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT id, kind, model_id FROM runs').all()).toEqual([
      { id: 7, kind: 'train', model_id: 1 },
    ]);
    expect(db.prepare('SELECT id, training_run_id, layers FROM models').all()).toEqual([
      { id: 1, training_run_id: 7, layers: null },
    ]);
    db.prepare(
      `INSERT INTO runs (kind, name, status, config, seed, created_at, model_id)
       VALUES ('export', 'e', 'queued', '{}', 0, 't', 1)`,
    ).run();
    db.prepare('UPDATE models SET layers = \'{"className":"Sequential"}\' WHERE id = 1').run();
    expect(db.prepare('SELECT layers FROM models').get()).toEqual({
      layers: '{"className":"Sequential"}',
    });
    expect(() =>
      db
        .prepare(
          `INSERT INTO runs (kind, name, status, config, seed, created_at)
           VALUES ('exported', 'e', 'queued', '{}', 1, 't')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    // The references into the rebuilt runs table still cascade.
    db.prepare('DELETE FROM runs WHERE id = 7').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM metrics').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM artifacts').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT training_run_id FROM models').get()).toEqual({
      training_run_id: null,
    });
    db.close();
  });
});
