/**
 * How each run's figures were last drawn (common/display-schemas.ts), one row per run; a run's
 * row goes with it (ON DELETE CASCADE).
 */
import { RunDisplay } from '../../common/display-schemas';
import type { ProjectDatabase } from '../project-database';
import { now } from './blob-codec';

export class RunDisplayRepository {
  constructor(private readonly db: ProjectDatabase) {}

  /** The run's saved display, or null where none was saved (or what was saved no longer parses). */
  get(runId: number): RunDisplay | null {
    const row = this.db.prepare('SELECT settings FROM run_displays WHERE run_id = ?').get(runId) as
      { settings: string } | undefined;
    if (row === undefined) return null;
    const parsed = RunDisplay.safeParse(JSON.parse(row.settings));
    return parsed.success ? parsed.data : null;
  }

  set(runId: number, display: RunDisplay): void {
    this.db
      .prepare(
        'INSERT INTO run_displays (run_id, settings, updated_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT(run_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at',
      )
      .run(runId, JSON.stringify(RunDisplay.parse(display)), now());
  }
}
