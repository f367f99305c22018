/**
 * The per-example records of an evaluation's curves (evaluation-examples.ts records them) as plain
 * arrays, and how two slices of one evaluation (batches, shards) join: along the images, in
 * order. Pure (no tensors): the core merges shards with it.
 */
import { evaluationRecordFields } from '../../common/run-results-schemas';

/** Values per record: prediction, loss, ‖δ‖∞, ‖δ‖₂ (EvaluationExamplesMeta's order). */
export const recordFields = evaluationRecordFields.length;

export interface EvaluationExampleRecords {
  /** Images of the slice. */
  count: number;
  cleanPredictions: number[];
  cleanLosses: number[];
  /** Index e·A + a: the slice's N records of that run, `fields` values each. */
  runs: Float32Array[];
  /** [e][n]: the attack whose image is the worst case. */
  worstAttack: number[][];
  /** [e]: the slice's N worst-case images, N·H·W·C. */
  worstImages: Float32Array[];
}

/**
 * The records of consecutive slices of one evaluation, in order, as one. Joined once over all
 * slices (not pairwise): the worst-case images of a large evaluation are hundreds of megabytes.
 */
export function joinExampleRecords(
  slices: readonly EvaluationExampleRecords[],
): EvaluationExampleRecords {
  const [first] = slices;
  if (first === undefined) throw new Error('no evaluation records to join');
  for (const slice of slices) {
    if (
      slice.runs.length !== first.runs.length ||
      slice.worstImages.length !== first.worstImages.length
    )
      throw new Error('evaluation slices ran different attacks');
  }
  const join = (pick: (slice: EvaluationExampleRecords) => Float32Array): Float32Array => {
    const out = new Float32Array(slices.reduce((sum, slice) => sum + pick(slice).length, 0));
    let offset = 0;
    for (const slice of slices) {
      out.set(pick(slice), offset);
      offset += pick(slice).length;
    }
    return out;
  };
  return {
    count: slices.reduce((sum, slice) => sum + slice.count, 0),
    cleanPredictions: slices.flatMap((slice) => slice.cleanPredictions),
    cleanLosses: slices.flatMap((slice) => slice.cleanLosses),
    runs: first.runs.map((_, r) => join((slice) => slice.runs[r] ?? new Float32Array())),
    worstAttack: first.worstAttack.map((_, e) =>
      slices.flatMap((slice) => slice.worstAttack[e] ?? []),
    ),
    worstImages: first.worstImages.map((_, e) =>
      join((slice) => slice.worstImages[e] ?? new Float32Array()),
    ),
  };
}
