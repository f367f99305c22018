import type { ProjectDatabase } from '../project-database';

/** Key/value facts about the project itself: its name and when it was created. */
export class ProjectMetaRepository {
  constructor(private readonly db: ProjectDatabase) {}

  get(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM project_meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  set(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
