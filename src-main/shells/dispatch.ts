/**
 * The one place where a shell turns an untrusted message into a core call: the method name must
 * be in the contract, the input must parse against its schema (the core never sees anything
 * else), and the output is parsed too, so a core bug cannot leak a malformed reply.
 *
 * dispatchCall never rejects: whatever a handler throws (an Error or any other value) becomes a
 * failed outcome, so each shell can hand the outcome to its transport as it is.
 */
import { z } from 'zod';
import {
  describeIssues,
  methods,
  type CallError,
  type CallIssue,
  type MethodName,
} from '../common/contract';
import { failureMessage, storageProblem } from '../core/storage-failure';
import type { Workbench } from '../core/workbench';
import { thrownMessage } from '../common/thrown-message';

export { thrownMessage };

export type CallOutcome = { ok: true; output: unknown } | { ok: false; error: CallError };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

/** Longest method name quoted back in "unknown method …": the rest of a long one says nothing. */
const quotedNameLength = 80;
/**
 * A refusal is read by a person: its first few problems, each cut to a sentence's length. Zod
 * quotes unknown keys, so a 100,000-character key would otherwise come back whole, and an array
 * of 100,000 wrong elements as 100,000 problems.
 */
const describedIssues = 5;
const issueLength = 200;

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** The first few issues, each clipped (zod's own issue objects, so describeIssues reads them). */
function shownIssues(error: z.ZodError): z.ZodIssue[] {
  return error.issues.slice(0, describedIssues).map((issue) => ({
    ...issue,
    message: clip(issue.message, issueLength),
    path: issue.path.map((part) => (typeof part === 'string' ? clip(part, issueLength) : part)),
  }));
}

export function describeRefusal(error: z.ZodError): string {
  const shown = shownIssues(error);
  const more = error.issues.length - shown.length;
  const described = describeIssues(new z.ZodError(shown));
  return more > 0 ? `${described}; and ${more} more` : described;
}

/** The refusal's problems one by one, for a form to show each at its field. */
export function refusalIssues(error: z.ZodError): CallIssue[] {
  return shownIssues(error).map((issue) => ({
    // A symbol key cannot come out of JSON input; String() keeps the type honest all the same.
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.message,
  }));
}

function unknownMethod(method: unknown): string {
  if (typeof method !== 'string')
    return `unknown method: a method name is a string, not ${typeof method}`;
  const shown = method.length > quotedNameLength ? `${method.slice(0, quotedNameLength)}…` : method;
  return `unknown method ${JSON.stringify(shown)}`;
}

export async function dispatchCall(
  workbench: Workbench,
  method: unknown,
  input: unknown,
): Promise<CallOutcome> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'invalid-input', message: unknownMethod(method) } };
  }
  try {
    const schema = methods[method];
    const parsed = schema.input.safeParse(input ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid-input',
          message: `${method}: ${describeRefusal(parsed.error)}`,
          issues: refusalIssues(parsed.error),
        },
      };
    }
    const handler = workbench.handlers[method] as (input: unknown) => unknown;
    const output = await handler(parsed.data);
    const checked = schema.output.safeParse(output);
    if (!checked.success) {
      return {
        ok: false,
        error: {
          code: 'failed',
          message: `${method} produced an invalid reply: ${describeRefusal(checked.error)}`,
        },
      };
    }
    return { ok: true, output: checked.data };
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: callFailure(workbench, error) } };
  }
}

/**
 * What a failed call says. A full, failing or read-only disk is worded as the jobs word it
 * (core/storage-failure.ts), e.g. starting a job whose run row cannot be written.
 */
function callFailure(workbench: Workbench, error: unknown): string {
  if (storageProblem(error) === null) return thrownMessage(error);
  const project = workbench.projects.current?.path ?? null;
  return failureMessage(error, { writing: 'this change' }, project);
}
