/**
 * Runs and what hangs off them: a run's kind, status and summary, the names given to runs and
 * models, metrics, artifacts, and the jobs that carry a run out. Each kind's own config and result
 * shapes live in its domain's file (training-schemas.ts, attack-schemas.ts, evaluation-schemas.ts,
 * …). Pure zod, like every *-schemas.ts.
 */
import { z } from 'zod';
import { Id } from './reference-schemas';

/** What a run is; each kind has its own config and result shapes (db CHECK keeps the same list). */
export const RunKind = z.enum([
  'train',
  'attack',
  'evaluation',
  'experiment',
  'import',
  'features',
  // Model exports (issue 4 §2); model imports are 'import' runs.
  'export',
]);
export type RunKind = z.infer<typeof RunKind>;
export const RunStatus = z.enum([
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunSummary = z.object({
  id: Id,
  kind: RunKind,
  name: z.string(),
  status: RunStatus,
  config: z.unknown(),
  seed: z.number().int(),
  backend: z.string().nullable(),
  engineVersion: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  modelId: Id.nullable(),
  /**
   * Training runs: a checkpoint of the last finished epoch is stored, so a stopped run can be
   * resumed from it (a run stopped before its first epoch ended has none). False for other kinds.
   */
  hasCheckpoint: z.boolean(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A name given to a run or a model by its user. */
export const ItemName = z
  .string({ error: 'a name must be text' })
  .trim()
  .min(1, { message: 'a name cannot be empty' })
  .max(120, { message: 'a name is at most 120 characters' });

/** A run named where one is listed, e.g. among the runs that used a model. */
export const RunReference = z.object({ id: Id, kind: RunKind, name: z.string() });
export type RunReference = z.infer<typeof RunReference>;

export const MetricPoint = z.object({ step: z.number(), key: z.string(), value: z.number() });
export type MetricPoint = z.infer<typeof MetricPoint>;
export const Artifact = z.object({
  id: Id,
  runId: Id,
  kind: z.string(),
  shape: z.array(z.number().int()),
  dtype: z.enum(['uint8', 'float32']),
  /** base64 of the raw little-endian values. */
  data: z.string(),
  meta: z.record(z.string(), z.unknown()),
});
export type Artifact = z.infer<typeof Artifact>;

export const JobState = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export const JobSummary = z.object({
  jobId: z.string(),
  runId: Id,
  kind: RunKind,
  state: JobState,
  fraction: z.number(),
  message: z.string(),
});
export type JobSummary = z.infer<typeof JobSummary>;
export const JobStarted = z.object({ jobId: z.string(), runId: Id });
export type JobStarted = z.infer<typeof JobStarted>;

/**
 * A completed run as its kind's result method returns it (runs.evaluationResult, …): the run's
 * id with its config and result, each in the kind's own shape.
 */
export function completedRun<Config extends z.ZodType, Result extends z.ZodType>(
  config: Config,
  result: Result,
) {
  return z.object({ runId: Id, config, result });
}
