/**
 * Where a refused input's problems belong on screen. The workbench refuses a call with issues
 * `{ path, message }`, the path being where in the input the problem is
 * (`['perturbation', 'epsilon']`); a form knows which input path each of its fields fills and
 * shows the message under that field. What no field on screen fills goes to the banner, in the
 * same user's words (no method name, no internal path).
 */
import type { CallIssue } from '@common/contract';

/** A problem the renderer finds itself before sending (an index list that does not parse). */
export class FieldInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldInputError';
  }
}

/** Issues carried by an error: a refusal's, or a form's own; none for any other failure. */
export function issuesOf(error: unknown): readonly CallIssue[] {
  if (error instanceof FieldInputError)
    return [{ path: error.path.split('.'), message: error.message }];
  if (error instanceof Error && 'issues' in error && Array.isArray(error.issues)) {
    return error.issues as CallIssue[];
  }
  return [];
}

/** `['validation', 'size']` → "validation.size", the key a field registers under. */
export function pathKey(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

export interface PlacedIssues {
  /** Field key → its message (several problems of one field joined). */
  atFields: Record<string, string>;
  /** Messages of problems that no field on screen fills. */
  elsewhere: string[];
}

/**
 * Gives each issue to the field with the longest key that its path starts with: an issue at
 * `learningRateSchedule.milestones.2` belongs to the milestones field. `prefix` is the input path
 * of the form's own object when the call wraps it (`source` in `{ source, name }`).
 */
export function placeIssues(
  issues: readonly CallIssue[],
  fields: Iterable<string>,
  prefix = '',
): PlacedIssues {
  const keys = [...fields].map((field) => (prefix ? `${prefix}.${field}` : field));
  const atFields: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const issue of issues) {
    const key = pathKey(issue.path);
    const owner = keys
      .filter((field) => key === field || key.startsWith(`${field}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (owner === undefined) {
      elsewhere.push(issue.message);
      continue;
    }
    const field = prefix ? owner.slice(prefix.length + 1) : owner;
    const before = atFields[field];
    atFields[field] =
      before && before !== issue.message ? `${before}; ${issue.message}` : issue.message;
  }
  return { atFields, elsewhere };
}

/**
 * Reads a field the form parses itself ("0, 5, 17"); its error is shown under that field, as a
 * refusal by the workbench would be.
 */
export function atField<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Error && !(error instanceof FieldInputError))
      throw new FieldInputError(path, error.message);
    throw error;
  }
}
