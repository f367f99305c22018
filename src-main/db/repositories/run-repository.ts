/**
 * Runs: one row per training or attack job, with its exact configuration, seed, backend and
 * timings. Status moves queued → running → completed | failed | cancelled; a run found "running"
 * or "queued" when a project is opened was cut off by a crash or kill and becomes "interrupted".
 */
import type { RunKind, RunStatus, RunSummary } from '../../common/schemas';
import type { ProjectDatabase } from '../project-database';
import { now } from './blob-codec';

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
    AND json_extract(artifacts.meta, '$.role') = 'latest'
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

  get(id: number): RunSummary & { result: unknown } {
    const row = this.db.prepare(`SELECT ${runColumns} FROM runs WHERE id = ?`).get(id) as
      RunRow | undefined;
    if (!row) throw new Error(`there is no run ${id} in this project`);
    return { ...toSummary(row), result: row.result === null ? null : JSON.parse(row.result) };
  }
}

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    status: row.status,
    config: JSON.parse(row.config),
    seed: row.seed,
    backend: row.backend,
    engineVersion: row.engine_version,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    modelId: row.model_id,
    hasCheckpoint: row.has_checkpoint === 1,
  };
}
