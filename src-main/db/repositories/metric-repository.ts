import type { MetricPoint } from '../../common/run-schemas';
import type { ProjectDatabase } from '../project-database';

/** Scalar metrics of a run, one row per (step, key). Each call is its own small transaction. */
export class MetricRepository {
  constructor(private readonly db: ProjectDatabase) {}

  record(runId: number, step: number, values: Record<string, number>): void {
    const insert = this.db.prepare(
      'INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) {
        if (Number.isFinite(value)) insert.run(runId, step, key, value);
      }
    })();
  }

  forRun(runId: number): MetricPoint[] {
    return this.db
      .prepare('SELECT step, key, value FROM metrics WHERE run_id = ? ORDER BY step, key')
      .all(runId) as MetricPoint[];
  }
}
