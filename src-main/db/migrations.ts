/**
 * Schema migrations, applied in order. PRAGMA user_version holds the number of migrations a
 * file has had; each migration runs in its own transaction together with the bump of
 * user_version, so a crash leaves the file at a whole version, never between two.
 */
export interface Migration {
  /** What the migration does, for the log and for readers of this file. */
  description: string;
  sql: string;
  /**
   * The migration rebuilds a table that others reference (SQLite cannot alter a CHECK, so the
   * table is copied, dropped and renamed). With foreign keys on, DROP TABLE would cascade and
   * delete every referencing row, so the runner turns them off around the transaction and runs
   * PRAGMA foreign_key_check before it commits.
   */
  rebuildsTables?: boolean;
}

/**
 * Rebuilds the runs table with `kinds` as the run kinds its CHECK allows (SQLite cannot alter a
 * CHECK): copy, drop, rename. The columns are the runs table's as of the first rebuild; a later
 * migration that changes them writes its own SQL rather than editing this, since the migrations
 * already applied to projects must stay what they were.
 */
function rebuildRunsWithKinds(kinds: readonly string[]): string {
  return `
      CREATE TABLE runs_rebuilt (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL
          CHECK (kind IN (${kinds.map((kind) => `'${kind}'`).join(', ')})),
        name TEXT NOT NULL,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
        config TEXT NOT NULL,
        seed INTEGER NOT NULL,
        backend TEXT,
        engine_version TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        error TEXT,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        result TEXT
      );
      INSERT INTO runs_rebuilt SELECT * FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_rebuilt RENAME TO runs;
  `;
}

/** The run kinds of the first rebuild; the export migration adds 'export'. */
const runKindsBeforeExport = ['train', 'attack', 'evaluation', 'experiment', 'import', 'features'];

export const migrations: readonly Migration[] = [
  {
    description: 'initial schema: project meta, datasets, models, runs, metrics, artifacts, notes',
    sql: `
      CREATE TABLE project_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        height INTEGER NOT NULL CHECK (height > 0),
        width INTEGER NOT NULL CHECK (width > 0),
        channels INTEGER NOT NULL CHECK (channels IN (1, 3)),
        count INTEGER NOT NULL CHECK (count >= 0),
        -- uint8 for photographs; float32 for constructed datasets, whose non-robust signal
        -- would be destroyed by quantization.
        dtype TEXT NOT NULL CHECK (dtype IN ('uint8', 'float32')),
        class_names TEXT NOT NULL,          -- JSON array of strings
        split_info TEXT NOT NULL,           -- JSON: method, seed, sizes
        source TEXT NOT NULL,
        labels BLOB NOT NULL,               -- int32 little-endian, one per image
        splits BLOB NOT NULL,               -- uint8, 0 = train, 1 = test, one per image
        created_at TEXT NOT NULL
      );

      -- Pixels in chunks so that paging through a large dataset never loads all of it.
      CREATE TABLE dataset_chunks (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        chunk_index INTEGER NOT NULL,
        first_image INTEGER NOT NULL,
        image_count INTEGER NOT NULL,
        pixels BLOB NOT NULL,
        PRIMARY KEY (dataset_id, chunk_index)
      );

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('train', 'attack')),
        name TEXT NOT NULL,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
        config TEXT NOT NULL,               -- JSON, exactly as validated
        seed INTEGER NOT NULL,
        backend TEXT,
        engine_version TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        error TEXT,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        result TEXT                         -- JSON summary of a finished run
      );

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        architecture TEXT NOT NULL,
        input_shape TEXT NOT NULL,          -- JSON [h, w, c]
        num_classes INTEGER NOT NULL,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        training_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        robust INTEGER NOT NULL CHECK (robust IN (0, 1)),
        parameter_count INTEGER NOT NULL,
        test_accuracy REAL,
        weights_layout TEXT NOT NULL,       -- JSON [{name, shape}] in blob order
        weights BLOB NOT NULL,              -- float32 little-endian, concatenated
        created_at TEXT NOT NULL
      );

      CREATE TABLE metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step REAL NOT NULL,
        key TEXT NOT NULL,
        value REAL NOT NULL
      );
      CREATE INDEX metrics_by_run ON metrics (run_id, key, step);

      CREATE TABLE artifacts (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        shape TEXT NOT NULL,                -- JSON array
        dtype TEXT NOT NULL CHECK (dtype IN ('uint8', 'float32')),
        data BLOB NOT NULL,
        meta TEXT NOT NULL,                 -- JSON object
        created_at TEXT NOT NULL
      );
      CREATE INDEX artifacts_by_run ON artifacts (run_id);

      CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        subject_kind TEXT NOT NULL,
        subject_id INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    description:
      'runs: kinds for evaluations, experiments, dataset imports and feature views (table rebuild)',
    rebuildsTables: true,
    sql: rebuildRunsWithKinds(runKindsBeforeExport),
  },
  {
    description:
      'model import and export: the run kind for exports (table rebuild), and the layers ' +
      'description of imported tfjs-layers models',
    rebuildsTables: true,
    sql: `
      ${rebuildRunsWithKinds([...runKindsBeforeExport, 'export'])}
      -- JSON LayersModelDescription (engine/models/layers-model) of an imported tfjs-layers
      -- model: what rebuilds it besides its weights; NULL for the built-in architectures.
      ALTER TABLE models ADD COLUMN layers TEXT;
    `,
  },
  {
    description:
      "run displays: how a run's figures were last drawn (a heatmap's colormap and opacity), " +
      'so a project reopens as it was left',
    sql: `
      CREATE TABLE run_displays (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        settings TEXT NOT NULL,             -- JSON, common/display-schemas.ts RunDisplay
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    description:
      'dataset provenance: per image of a constructed dataset, the position of the image it was ' +
      "made from in the source dataset and that image's label there",
    sql: `
      -- One row per dataset an experiment constructed (D_rand, D_det, D_R, D_NR) since this
      -- migration; none for imported datasets, and none for constructed datasets stored before
      -- it, whose provenance was never recorded (shown as unknown, never guessed).
      CREATE TABLE dataset_provenance (
        dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
        -- Not a reference: the source may be deleted later, and its id and name still say
        -- which dataset the indices point into.
        source_dataset_id INTEGER NOT NULL,
        source_dataset_name TEXT NOT NULL,
        source_indices BLOB NOT NULL,       -- int32, one per image: position in the source
        original_labels BLOB NOT NULL       -- int32, one per image: the source image's label
      );
    `,
  },
];

export const latestSchemaVersion = migrations.length;
