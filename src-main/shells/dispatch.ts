/**
 * The one place where a shell turns an untrusted message into a core call: the method name must
 * be in the contract, the input must parse against its schema (the core never sees anything
 * else), and the output is parsed too, so a core bug cannot leak a malformed reply.
 */
import { describeIssues, methods, type CallError, type MethodName } from '../common/contract';
import type { Workbench } from '../core/workbench';

export type CallOutcome = { ok: true; output: unknown } | { ok: false; error: CallError };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

export async function dispatchCall(
  workbench: Workbench,
  method: unknown,
  input: unknown,
): Promise<CallOutcome> {
  if (!isMethodName(method)) {
    return {
      ok: false,
      error: { code: 'invalid-input', message: `unknown method ${JSON.stringify(method)}` },
    };
  }
  const schema = methods[method];
  const parsed = schema.input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid-input', message: `${method}: ${describeIssues(parsed.error)}` },
    };
  }
  try {
    const handler = workbench.handlers[method] as (input: unknown) => unknown;
    const output = await handler(parsed.data);
    const checked = schema.output.safeParse(output);
    if (!checked.success) {
      return {
        ok: false,
        error: {
          code: 'failed',
          message: `${method} produced an invalid reply: ${describeIssues(checked.error)}`,
        },
      };
    }
    return { ok: true, output: checked.data };
  } catch (error) {
    return {
      ok: false,
      error: { code: 'failed', message: error instanceof Error ? error.message : String(error) },
    };
  }
}
