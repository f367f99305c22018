/**
 * The runs that used a model: the one that trained it (run.modelId), and every run whose config
 * names it. Configs name models under keys ending in "modelId" / "ModelId" (attack, evaluation,
 * transfer source, the experiments' source, robust and standard models) or "modelIds" /
 * "ModelIds" (features lab, transfer grids), at any depth; walking the JSON for those keys covers
 * every run kind, including ones added later, without a list to keep in step.
 */
import type { RunReference, RunSummary } from '../common/run-schemas';

const singleKey = /(^m|M)odelId$/;
const listKey = /(^m|M)odelIds$/;

/** Whether `value` (a parsed config, or part of one) names model `modelId`. */
function names(value: unknown, modelId: number): boolean {
  if (Array.isArray(value)) return value.some((item) => names(item, modelId));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, field]) => {
    if (singleKey.test(key)) return field === modelId;
    if (listKey.test(key)) return Array.isArray(field) && field.includes(modelId);
    return names(field, modelId);
  });
}

export function modelDependents(runs: readonly RunSummary[], modelId: number): RunReference[] {
  return runs
    .filter((run) => run.modelId === modelId || names(run.config, modelId))
    .map(({ id, kind, name }) => ({ id, kind, name }))
    .sort((a, b) => a.id - b.id);
}
