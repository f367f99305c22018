/**
 * A shape check of what the engine worker posts, before the engine client acts on it. The worker
 * is our own code, but a bug there (or a message that arrives malformed) must fail the job it
 * belongs to, not throw a TypeError inside the worker's 'message' handler, where nothing would
 * catch it and the whole process would end. The payloads (results, checkpoints) are checked by
 * the code that stores them; this checks what dispatching needs.
 */
import type { FromWorker } from '../engine/protocol';

type Fields = Record<string, (value: unknown) => boolean>;

const isString = (value: unknown) => typeof value === 'string';
const isNumber = (value: unknown) => typeof value === 'number';
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

const fieldsByType: Record<FromWorker['type'], Fields> = {
  ready: { backend: isObject, engineVersion: isString },
  progress: { jobId: isString, fraction: isNumber, message: isString },
  metrics: { jobId: isString, step: isNumber, values: isObject },
  checkpoint: { jobId: isString, checkpoint: isObject },
  frames: { jobId: isString, frames: Array.isArray },
  done: { jobId: isString, result: isObject },
  cancelled: { jobId: isString },
  failed: { jobId: isString, error: isString },
};

/** The message as a FromWorker, or a short description of what is wrong with it. */
export function readEngineMessage(value: unknown): FromWorker | { invalid: string } {
  if (!isObject(value)) return { invalid: `a ${value === null ? 'null' : typeof value} message` };
  const { type } = value as { type?: unknown };
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(fieldsByType, type)) {
    return { invalid: `a message of unknown type ${JSON.stringify(String(type)).slice(0, 60)}` };
  }
  const fields = fieldsByType[type as FromWorker['type']];
  for (const [name, check] of Object.entries(fields)) {
    if (!check((value as Record<string, unknown>)[name])) {
      return { invalid: `a '${type}' message without a valid ${name}` };
    }
  }
  return value as FromWorker;
}
