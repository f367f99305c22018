/**
 * Per-example results of attack and evaluation runs, as stored for export (issue 15 §5), and the
 * `runs.exportResults` request and reply. Pure zod, like schemas.ts.
 *
 * What each run kind keeps per image since these were recorded:
 *   attack       the AttackExample fields (schemas.ts) plus the cross-entropy of the clean and
 *                the adversarial image at the true label (StoredAttackExampleLosses);
 *   evaluation   one artifact of numbers (EvaluationExamplesMeta + a float32 tensor) and, per ε of
 *                the curves, one artifact with the per-image worst-case adversarial images.
 * Runs saved before have no losses (attack) or no per-example artifacts (evaluation): an attack
 * exports with empty loss cells, an evaluation is refused with the reason.
 */
import { z } from 'zod';
import { FilePath, Id } from './reference-schemas';

// ── Stored ───────────────────────────────────────────────────────────────────────────────────

/**
 * The losses an attack example carries since issue 15: CE(f(x), y) and CE(f(x'), y) =
 * −log softmax(f(·))_y, natural log, at the true label y whatever loss the attack maximized.
 * Read beside AttackExample (its other fields) from the stored result; absent in older runs.
 */
export const StoredAttackExampleLosses = z.object({
  // null: a non-finite loss, which JSON writes as null (exported as an empty cell).
  cleanLoss: z.number().nullable().optional(),
  adversarialLoss: z.number().nullable().optional(),
});
export type StoredAttackExampleLosses = z.infer<typeof StoredAttackExampleLosses>;

/** The fields of each (attack, ε, image) record, in the order of the examples tensor's last axis. */
export const evaluationRecordFields = ['prediction', 'loss', 'linfNorm', 'l2Norm'] as const;

/**
 * The meta of an evaluation's 'evaluation-examples' artifact, whose data is a float32 tensor
 * [E, A, N, 4]: for curve ε e (EvaluationResult.epsilons), attack a (EvaluationResult.curves) and
 * image n, the adversarial prediction (a class, exact in float32), the cross-entropy at the true
 * label, ‖x' − x‖∞ and ‖x' − x‖₂ (pixel units, images in [0, 1]).
 */
export const EvaluationExamplesMeta = z.object({
  /** Per image n: its index in the dataset (the first N test images, in split order). */
  indices: z.array(z.number().int()),
  labels: z.array(z.number().int()),
  cleanPredictions: z.array(z.number().int()),
  /** null: a non-finite loss, which JSON writes as null (exported as an empty cell). */
  cleanLosses: z.array(z.number().nullable()),
  /**
   * Per ε and image: the attack (an index into the curves) whose image is the worst case: the
   * first attack, in the curves' order, that misclassified it, or, where none did, the one with
   * the highest loss.
   */
  worstAttack: z.array(z.array(z.number().int())),
});
export type EvaluationExamplesMeta = z.infer<typeof EvaluationExamplesMeta>;

/** Where an evaluation's per-example artifacts are; absent in results saved before them. */
export const EvaluationExampleArtifacts = z.object({
  examples: Id,
  /** One [N, H, W, C] float32 artifact per ε of the curves, in their order. */
  worstCase: z.array(Id),
});
export type EvaluationExampleArtifacts = z.infer<typeof EvaluationExampleArtifacts>;

// ── Export ───────────────────────────────────────────────────────────────────────────────────

/** How the per-example tables are written; the images are always .npy. */
export const RunResultsFormat = z.enum(['csv', 'npy', 'both']);
export type RunResultsFormat = z.infer<typeof RunResultsFormat>;

/** What the CLI and the Export results… dialog start from. */
export const runResultsExportDefaults = {
  format: 'both',
} as const satisfies { format: RunResultsFormat };

export const RunResultsExportRequest = z
  .object({
    runId: Id,
    /** A folder that does not exist yet or is empty; nothing is ever overwritten. */
    folder: FilePath,
    format: RunResultsFormat.default(runResultsExportDefaults.format),
  })
  .strict();
export type RunResultsExportRequest = z.infer<typeof RunResultsExportRequest>;

export const RunResultsExport = z.object({
  runId: Id,
  kind: z.enum(['attack', 'evaluation']),
  folder: z.string(),
  /** The files written, relative to the folder. */
  files: z.array(z.string()),
  /** e.g. "exported 64 images of attack run 3 to /tmp/out". */
  summary: z.string(),
});
export type RunResultsExport = z.infer<typeof RunResultsExport>;
