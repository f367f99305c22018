/** Images and tensors that a run produced, with their shape, dtype and free-form metadata. */
import type { ProjectDatabase } from '../project-database';
import { now, toBlob } from './blob-codec';

export interface NewArtifact {
  runId: number;
  kind: string;
  shape: number[];
  data: Uint8Array | Float32Array;
  meta: Record<string, unknown>;
}

export interface ArtifactRecord {
  id: number;
  runId: number;
  kind: string;
  shape: number[];
  dtype: 'uint8' | 'float32';
  data: Buffer;
  meta: Record<string, unknown>;
}

interface ArtifactRow {
  id: number;
  run_id: number;
  kind: string;
  shape: string;
  dtype: 'uint8' | 'float32';
  data: Buffer;
  meta: string;
}

export class ArtifactRepository {
  constructor(private readonly db: ProjectDatabase) {}

  insert(artifact: NewArtifact): number {
    const info = this.db
      .prepare(
        'INSERT INTO artifacts (run_id, kind, shape, dtype, data, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        artifact.runId,
        artifact.kind,
        JSON.stringify(artifact.shape),
        artifact.data instanceof Float32Array ? 'float32' : 'uint8',
        toBlob(artifact.data),
        JSON.stringify(artifact.meta),
        now(),
      );
    return Number(info.lastInsertRowid);
  }

  get(id: number): ArtifactRecord {
    const row = this.db.prepare('SELECT * FROM artifacts WHERE id = ?').get(id) as
      ArtifactRow | undefined;
    if (!row) throw new Error(`there is no artifact ${id} in this project`);
    return {
      id: row.id,
      runId: row.run_id,
      kind: row.kind,
      shape: JSON.parse(row.shape) as number[],
      dtype: row.dtype,
      data: row.data,
      meta: JSON.parse(row.meta) as Record<string, unknown>,
    };
  }
}
