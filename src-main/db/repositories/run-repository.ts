/**
 * Runs: one row per training or attack job, with its exact configuration, seed, backend and
 * timings. Status moves queued → running → completed | failed | cancelled; a run found "running"
 * or "queued" when a project is opened was cut off by a crash or kill and becomes "interrupted".
 *
 * The config and result columns are JSON read through zod (stored-json.ts): `completed` and
 * `config` check them against the schema of the run's kind, and throw an error that names the
 * run and the column. Lists go on past a run whose config cannot be read: it is listed with a
 * null config and the reason in its error, so the other runs still load.
 */
import type { z } from 'zod';
import type { RunKind, RunStatus, RunSummary } from '../../common/run-schemas';
import type { ProjectDatabase } from '../project-database';
import { now } from './blob-codec';
import { jsonField, readJsonColumn, StoredJson, tryReadJsonColumn } from './stored-json';

/** How each kind is named in "run 12 is a train run, not an attack". */
const kindNouns: Readonly<Record<RunKind, string>> = {
  train: 'a training run',
  attack: 'an attack',
  evaluation: 'an evaluation',
  experiment: 'an experiment',
  import: 'a model import',
  export: 'a model export',
  features: 'a features view',
};

/** The schemas of what a kind of run stores in its config and result columns. */
export interface StoredRunSchemas<C extends z.ZodType, R extends z.ZodType> {
  config: C;
  result: R;
}

/** A completed run with its config and result, both checked against their schemas. */
export interface CompletedRun<C, R> {
  run: RunSummary;
  config: C;
  result: R;
}

interface RunRow {
  id: number;
  kind: RunKind;
  name: string;
  status: RunStatus;
  config: string;
  seed: number;
  backend: string | null;
  engine_version: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  model_id: number | null;
  result: string | null;
  /** 1 when the run has a 'latest' training checkpoint (computed by the queries below). */
  has_checkpoint: number;
}

/**
 * The columns of a run row plus has_checkpoint. Checkpoints are artifacts of kind 'checkpoint'
 * with meta.role 'latest' (core/training-checkpoints.ts); resuming needs that one.
 */
const runColumns = `runs.*, EXISTS (
  SELECT 1 FROM artifacts
  WHERE artifacts.run_id = runs.id AND artifacts.kind = 'checkpoint'
    AND ${jsonField('artifacts.meta', '$.role')} = 'latest'
) AS has_checkpoint`;

export interface NewRun {
  kind: RunKind;
  name: string;
  config: unknown;
  seed: number;
  modelId: number | null;
}

export class RunRepository {
  constructor(private readonly db: ProjectDatabase) {}

  insert(run: NewRun): number {
    const info = this.db
      .prepare(
        `INSERT INTO runs (kind, name, status, config, seed, created_at, model_id)
         VALUES (?, ?, 'queued', ?, ?, ?, ?)`,
      )
      .run(run.kind, run.name, JSON.stringify(run.config), run.seed, now(), run.modelId);
    return Number(info.lastInsertRowid);
  }

  markRunning(id: number, backend: string, engineVersion: string): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'running', started_at = ?, backend = ?, engine_version = ? WHERE id = ?`,
      )
      .run(now(), backend, engineVersion, id);
  }

  finish(
    id: number,
    status: 'completed' | 'failed' | 'cancelled',
    details: { error?: string | null; result?: unknown; modelId?: number | null } = {},
  ): void {
    const sets = ['status = ?', 'finished_at = ?', 'error = ?'];
    const values: unknown[] = [status, now(), details.error ?? null];
    if (details.result !== undefined) {
      sets.push('result = ?');
      values.push(JSON.stringify(details.result));
    }
    if (details.modelId !== undefined) {
      sets.push('model_id = ?');
      values.push(details.modelId);
    }
    this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  rename(id: number, name: string): void {
    const { changes } = this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, id);
    if (changes === 0) throw new Error(`there is no run ${id} in this project`);
  }

  /** Marks runs left queued or running by a process that is gone. Returns how many. */
  markInterrupted(): number {
    const info = this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', finished_at = ?,
           error = 'the workbench stopped before this run finished'
         WHERE status IN ('queued', 'running')`,
      )
      .run(now());
    return info.changes;
  }

  list(): RunSummary[] {
    const rows = this.db
      .prepare(`SELECT ${runColumns} FROM runs ORDER BY id DESC`)
      .all() as RunRow[];
    return rows.map(toSummary);
  }

  private row(id: number): RunRow {
    const row = this.db.prepare(`SELECT ${runColumns} FROM runs WHERE id = ?`).get(id) as
      RunRow | undefined;
    if (!row) throw new Error(`there is no run ${id} in this project`);
    return row;
  }

  /** The run as listed (its result column is not read). */
  summary(id: number): RunSummary {
    return toSummary(this.row(id));
  }

  /** The run with its result as plain JSON (null until it has one); no kind's schema applied. */
  get(id: number): RunSummary & { result: unknown } {
    const row = this.row(id);
    const result =
      row.result === null
        ? null
        : readJsonColumn(row.result, StoredJson, { row: `run ${id}`, column: 'runs.result' });
    return { ...toSummary(row), result };
  }

  /** The run's config checked against `schema` (whatever its status). */
  config<C extends z.ZodType>(id: number, schema: C): z.output<C> {
    const row = this.row(id);
    return readJsonColumn(row.config, schema, { row: `run ${id}`, column: 'runs.config' });
  }

  /**
   * A completed run of one of `kinds`, its config and result checked against `schemas`. Throws
   * when there is no such run, it is of another kind, it has no result (yet), or a column does
   * not hold what its kind stores there (the message names the run and the column).
   */
  completed<C extends z.ZodType, R extends z.ZodType>(
    id: number,
    kinds: RunKind | readonly RunKind[],
    schemas: StoredRunSchemas<C, R>,
  ): CompletedRun<z.output<C>, z.output<R>> {
    const row = this.row(id);
    const wanted: readonly RunKind[] = typeof kinds === 'string' ? [kinds] : kinds;
    if (!wanted.includes(row.kind)) {
      const nouns = wanted.map((kind) => kindNouns[kind]).join(' or ');
      throw new Error(`run ${id} is a ${row.kind} run, not ${nouns}`);
    }
    if (row.status !== 'completed' || row.result === null) {
      throw new Error(`${row.kind} run ${id} has no result (it is ${row.status})`);
    }
    return {
      run: toSummary(row),
      config: readJsonColumn(row.config, schemas.config, {
        row: `run ${id}`,
        column: 'runs.config',
      }),
      result: readJsonColumn(row.result, schemas.result, {
        row: `run ${id}`,
        column: 'runs.result',
      }),
    };
  }
}

/**
 * A run as listed. A config that cannot be read (a damaged or hand-made project file) lists as
 * null with the reason added to the run's error, so one bad row does not hide the others.
 */
function toSummary(row: RunRow): RunSummary {
  const config = tryReadJsonColumn(row.config, StoredJson, {
    row: `run ${row.id}`,
    column: 'runs.config',
  });
  const error = config.ok
    ? row.error
    : row.error === null
      ? config.problem
      : `${row.error}; ${config.problem}`;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    status: row.status,
    config: config.ok ? config.value : null,
    seed: row.seed,
    backend: row.backend,
    engineVersion: row.engine_version,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error,
    modelId: row.model_id,
    hasCheckpoint: row.has_checkpoint === 1,
  };
}
