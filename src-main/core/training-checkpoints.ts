/**
 * Training checkpoints in the project file, as artifacts of kind 'checkpoint' (no schema change):
 *   role 'latest': weights + optimizer slots of the last completed epoch, one float32 blob, and
 *                  meta {epoch, step, testAccuracy, optimizer {name, iterations}, best {epoch,
 *                  score, testAccuracy} | null, tensors [{group, name, shape}] in blob order}
 *   role 'best':   the best validation weights so far, meta {epoch, score, testAccuracy, tensors}
 * A run keeps one of each: a new checkpoint replaces the old in one transaction, so a kill at any
 * moment leaves either the old pair or the new one. They are deleted when the run completes.
 */
import { z } from 'zod';
import type { ProjectStore } from '../db/project-store';
import { fromBlob } from '../db/repositories/blob-codec';
import { jsonField } from '../db/repositories/stored-json';
import type { BestCheckpoint, TrainingCheckpoint, WeightTensor } from '../engine/engine-types';
import { OptimizerName } from '../common/training-schemas';

export const CHECKPOINT_KIND = 'checkpoint';

const TensorEntry = z.object({
  group: z.enum(['weights', 'optimizer']),
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
});
type TensorEntry = z.infer<typeof TensorEntry>;

const BestSummary = z.object({
  epoch: z.number().int(),
  score: z.number(),
  testAccuracy: z.number(),
});

const LatestMeta = z.object({
  role: z.literal('latest'),
  epoch: z.number().int().min(1),
  step: z.number().int().min(1),
  testAccuracy: z.number().nullable(),
  optimizer: z.object({ name: OptimizerName, iterations: z.number().int().min(0) }),
  best: BestSummary.nullable(),
  tensors: z.array(TensorEntry),
});

const BestMeta = BestSummary.extend({ role: z.literal('best'), tensors: z.array(TensorEntry) });

/** Concatenates tensors into one float32 blob and lists them in order. */
function pack(groups: { group: TensorEntry['group']; tensors: readonly WeightTensor[] }[]): {
  data: Float32Array;
  tensors: TensorEntry[];
} {
  const entries = groups.flatMap(({ group, tensors }) =>
    tensors.map((t) => ({ entry: { group, name: t.name, shape: [...t.shape] }, data: t.data })),
  );
  const data = new Float32Array(entries.reduce((total, e) => total + e.data.length, 0));
  let offset = 0;
  for (const e of entries) {
    data.set(e.data, offset);
    offset += e.data.length;
  }
  return { data, tensors: entries.map((e) => e.entry) };
}

/** Splits a blob back into tensors by the meta's list, checking that the sizes add up. */
function unpack(
  data: Float32Array,
  tensors: TensorEntry[],
  what: string,
): Map<TensorEntry['group'], WeightTensor[]> {
  const groups = new Map<TensorEntry['group'], WeightTensor[]>([
    ['weights', []],
    ['optimizer', []],
  ]);
  let offset = 0;
  for (const entry of tensors) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (offset + size > data.length)
      throw new Error(`${what} is shorter than its tensor list says`);
    groups.get(entry.group)?.push({
      name: entry.name,
      shape: entry.shape,
      data: data.slice(offset, offset + size),
    });
    offset += size;
  }
  if (offset !== data.length) throw new Error(`${what} is longer than its tensor list says`);
  return groups;
}

/** A checkpoint artifact's meta, checked against `metaSchema`, and its blob split into tensors. */
function readCheckpointArtifact<M extends z.ZodType<{ tensors: TensorEntry[] }>>(
  store: ProjectStore,
  id: number,
  metaSchema: M,
): { meta: z.output<M>; groups: Map<TensorEntry['group'], WeightTensor[]> } {
  const artifact = store.artifacts.get(id, metaSchema);
  const groups = unpack(fromBlob.float32(artifact.data), artifact.meta.tensors, `checkpoint ${id}`);
  return { meta: artifact.meta, groups };
}

interface StoredCheckpoint {
  id: number;
  role: string | null;
  epoch: number | null;
}

function stored(store: ProjectStore, runId: number): StoredCheckpoint[] {
  return store.db
    .prepare(
      `SELECT id, ${jsonField('meta', '$.role')} AS role, ${jsonField('meta', '$.epoch')} AS epoch
       FROM artifacts WHERE run_id = ? AND kind = ? ORDER BY id`,
    )
    .all(runId, CHECKPOINT_KIND) as StoredCheckpoint[];
}

function remove(store: ProjectStore, ids: number[]): void {
  const statement = store.db.prepare('DELETE FROM artifacts WHERE id = ?');
  for (const id of ids) statement.run(id);
}

/** Replaces the run's latest checkpoint (and its best one, when that changed). */
export function saveCheckpoint(
  store: ProjectStore,
  runId: number,
  checkpoint: TrainingCheckpoint,
): void {
  const latest = pack([
    { group: 'weights', tensors: checkpoint.weights },
    { group: 'optimizer', tensors: checkpoint.optimizer.slots },
  ]);
  const best = checkpoint.best;
  store.db.transaction(() => {
    const existing = stored(store, runId);
    remove(
      store,
      existing.filter((c) => c.role !== 'best').map((c) => c.id),
    );
    store.artifacts.insert({
      runId,
      kind: CHECKPOINT_KIND,
      shape: [latest.data.length],
      data: latest.data,
      meta: {
        role: 'latest',
        epoch: checkpoint.epoch,
        step: checkpoint.step,
        testAccuracy: Number.isFinite(checkpoint.testAccuracy) ? checkpoint.testAccuracy : null,
        optimizer: { name: checkpoint.optimizer.name, iterations: checkpoint.optimizer.iterations },
        best:
          best === null
            ? null
            : { epoch: best.epoch, score: best.score, testAccuracy: best.testAccuracy },
        tensors: latest.tensors,
      },
    });
    const storedBest = existing.filter((c) => c.role === 'best');
    if (best !== null && !(storedBest.length === 1 && storedBest[0]?.epoch === best.epoch)) {
      remove(
        store,
        storedBest.map((c) => c.id),
      );
      const packed = pack([{ group: 'weights', tensors: best.weights }]);
      store.artifacts.insert({
        runId,
        kind: CHECKPOINT_KIND,
        shape: [packed.data.length],
        data: packed.data,
        meta: {
          role: 'best',
          epoch: best.epoch,
          score: best.score,
          testAccuracy: best.testAccuracy,
          tensors: packed.tensors,
        },
      });
    }
  })();
}

/** The run's latest checkpoint with its best weights, or null when it has none. */
export function loadCheckpoint(store: ProjectStore, runId: number): TrainingCheckpoint | null {
  const rows = stored(store, runId);
  const latestRow = rows.find((c) => c.role === 'latest');
  if (latestRow === undefined) return null;
  const { meta, groups } = readCheckpointArtifact(store, latestRow.id, LatestMeta);
  let best: BestCheckpoint | null = null;
  if (meta.best !== null) {
    const bestRow = rows.find((c) => c.role === 'best');
    if (bestRow === undefined || bestRow.epoch !== meta.best.epoch) {
      throw new Error(
        `run ${runId}'s checkpoint refers to its best weights of epoch ${meta.best.epoch}, which are missing`,
      );
    }
    const { meta: bestMeta, groups: bestGroups } = readCheckpointArtifact(
      store,
      bestRow.id,
      BestMeta,
    );
    const weights = bestGroups.get('weights');
    best = {
      epoch: bestMeta.epoch,
      score: bestMeta.score,
      testAccuracy: bestMeta.testAccuracy,
      weights: weights ?? [],
    };
  }
  return {
    epoch: meta.epoch,
    step: meta.step,
    weights: groups.get('weights') ?? [],
    optimizer: {
      name: meta.optimizer.name,
      iterations: meta.optimizer.iterations,
      slots: groups.get('optimizer') ?? [],
    },
    best,
    testAccuracy: meta.testAccuracy ?? Number.NaN,
  };
}

export function deleteCheckpoints(store: ProjectStore, runId: number): void {
  remove(
    store,
    stored(store, runId).map((c) => c.id),
  );
}

/**
 * Drops the metrics a run logged after `step`: those of the epoch a kill cut short, which the
 * resumed run logs again.
 */
export function discardMetricsAfter(store: ProjectStore, runId: number, step: number): void {
  store.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step);
}
