/**
 * Notes a researcher writes on what the project holds (a run today; the table's subject_kind
 * leaves room for models and datasets). One note per subject: setting an empty note deletes it.
 */
import type { ProjectDatabase } from '../project-database';
import { now } from './blob-codec';

export type NoteSubject = 'run' | 'model' | 'dataset';

export interface NoteRecord {
  subjectId: number;
  body: string;
  updatedAt: string;
}

interface NoteRow {
  subject_id: number;
  body: string;
  updated_at: string;
}

export class NoteRepository {
  constructor(private readonly db: ProjectDatabase) {}

  get(kind: NoteSubject, subjectId: number): NoteRecord | null {
    const row = this.db
      .prepare(
        'SELECT subject_id, body, updated_at FROM notes WHERE subject_kind = ? AND subject_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(kind, subjectId) as NoteRow | undefined;
    return row ? { subjectId: row.subject_id, body: row.body, updatedAt: row.updated_at } : null;
  }

  /** Every note on subjects of one kind, by subject id. */
  forKind(kind: NoteSubject): Map<number, NoteRecord> {
    const rows = this.db
      .prepare('SELECT subject_id, body, updated_at FROM notes WHERE subject_kind = ? ORDER BY id')
      .all(kind) as NoteRow[];
    return new Map(
      rows.map((row) => [
        row.subject_id,
        { subjectId: row.subject_id, body: row.body, updatedAt: row.updated_at },
      ]),
    );
  }

  /** Replaces the subject's note (one transaction); blank text removes it. */
  set(kind: NoteSubject, subjectId: number, body: string): void {
    const text = body.trim();
    this.db.transaction(() => {
      this.db
        .prepare('DELETE FROM notes WHERE subject_kind = ? AND subject_id = ?')
        .run(kind, subjectId);
      if (text === '') return;
      const time = now();
      this.db
        .prepare(
          'INSERT INTO notes (subject_kind, subject_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(kind, subjectId, text, time, time);
    })();
  }
}
