/**
 * Images and tensors that a run produced, with their shape, dtype and free-form metadata. Shape
 * and meta are JSON columns, read through zod (stored-json.ts): a value that is not what the
 * workbench writes there fails with the artifact and the column named.
 */
import { z } from 'zod';
import type { ProjectDatabase } from '../project-database';
import { now, toBlob } from './blob-codec';
import { readJsonColumn, StoredJson } from './stored-json';

/** An artifact's shape: whole dimensions, each at most 2^31 − 1 (what a typed array can index). */
export const ArtifactShape = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  )
  .max(16);

/** Metadata any artifact has: a JSON object. Callers that know the kind pass a narrower schema. */
export const ArtifactMeta = z.record(z.string(), StoredJson);

export interface NewArtifact {
  runId: number;
  kind: string;
  shape: number[];
  data: Uint8Array | Float32Array;
  meta: Record<string, unknown>;
}

export interface ArtifactRecord<M = Record<string, unknown>> {
  id: number;
  runId: number;
  kind: string;
  shape: number[];
  dtype: 'uint8' | 'float32';
  data: Buffer;
  meta: M;
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

  /** The artifact, its meta checked against `metaSchema` (any JSON object by default). */
  get(id: number): ArtifactRecord;
  get<M extends z.ZodType>(id: number, metaSchema: M): ArtifactRecord<z.output<M>>;
  get(id: number, metaSchema: z.ZodType = ArtifactMeta): ArtifactRecord<unknown> {
    const row = this.db.prepare('SELECT * FROM artifacts WHERE id = ?').get(id) as
      ArtifactRow | undefined;
    if (!row) throw new Error(`there is no artifact ${id} in this project`);
    const where = (column: string) => ({ row: `artifact ${id} of run ${row.run_id}`, column });
    return {
      id: row.id,
      runId: row.run_id,
      kind: row.kind,
      shape: readJsonColumn(row.shape, ArtifactShape, where('artifacts.shape')),
      dtype: row.dtype,
      data: row.data,
      meta: readJsonColumn(row.meta, metaSchema, where('artifacts.meta')),
    };
  }
}
