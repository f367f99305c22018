/**
 * How each run's figures were last drawn (common/display-schemas.ts), one row per run; a run's
 * row goes with it (ON DELETE CASCADE).
 */
import { RunDisplay } from '../../common/display-schemas';
import type { ProjectDatabase } from '../project-database';
import { now } from './blob-codec';
import { tryReadJsonColumn } from './stored-json';

export class RunDisplayRepository {
  constructor(private readonly db: ProjectDatabase) {}

  /**
   * The run's saved display, or null where none was saved or what was saved does not parse (a
   * display is a preference: the defaults replace it rather than the run failing to open).
   */
  get(runId: number): RunDisplay | null {
    const row = this.db.prepare('SELECT settings FROM run_displays WHERE run_id = ?').get(runId) as
      { settings: string } | undefined;
    if (row === undefined) return null;
    const parsed = tryReadJsonColumn(row.settings, RunDisplay, {
      row: `run ${runId}`,
      column: 'run_displays.settings',
    });
    return parsed.ok ? parsed.value : null;
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
