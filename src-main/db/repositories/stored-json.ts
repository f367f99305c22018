/**
 * Reads the JSON columns of a project file. A project file can come from someone else, so what a
 * column holds is input like any other: each is parsed, then checked against the zod schema of
 * what the workbench writes there. A column that fails says which row and which column it is and
 * why, in one line ("run 12: the project file's runs.result cannot be read: examples.0.linfNorm:
 * …"), instead of surfacing later as a wrong type deep inside a job or a view.
 *
 * Besides the schema, two things are refused outright, whatever the column:
 * - a key named "__proto__": JSON.parse makes it an ordinary own property, harmless until some
 *   code copies the object by assignment, which would replace the copy's prototype;
 * - a number JSON.parse can only give as ±Infinity (1e999). JSON itself has no NaN or Infinity.
 * SQLite lets any column hold any type, so a column that holds a number or bytes instead of
 * text is refused too.
 */
import { z } from 'zod';

/** Any JSON value: what a column whose content has no schema of its own must at least be. */
export const StoredJson = z.json();

/** A stored column that is not what the workbench writes there. */
export class StoredColumnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoredColumnError';
  }
}

/** Which value is read, for the message: `run 12` or `model 3 "mnist"`, and `runs.result`. */
export interface JsonColumn {
  row: string;
  column: string;
}

/** Long keys and messages are cut: a file can hold a 100,000-character key. */
function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** The issues of a failed parse, at most three, each with where in the value it is. */
export function issuesText(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map((part) => clip(String(part), 60)).join('.');
    const message = clip(issue.message, 200);
    return path === '' ? message : `${path}: ${message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function refuseHostile(key: string, value: unknown): unknown {
  if (key === '__proto__')
    throw new Error('it has a "__proto__" key, which the workbench never writes');
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(`it holds a number too large for a float64 (under "${clip(key, 60)}")`);
  }
  return value;
}

/** The reason `stored` is not JSON of `schema`'s shape, or its parsed value. */
function parseStored<S extends z.ZodType>(
  stored: unknown,
  schema: S,
): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  if (typeof stored !== 'string') {
    const held = stored === null ? 'NULL' : Buffer.isBuffer(stored) ? 'bytes' : typeof stored;
    return { ok: false, reason: `it holds ${held}, not JSON text` };
  }
  let value: unknown;
  try {
    value = JSON.parse(stored, refuseHostile);
  } catch (error) {
    const message = clip(error instanceof Error ? error.message : String(error), 200);
    return {
      ok: false,
      reason: error instanceof SyntaxError ? `it is not JSON (${message})` : message,
    };
  }
  try {
    const parsed = schema.safeParse(value);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, reason: issuesText(parsed.error) };
  } catch (error) {
    // A value nested deeper than the stack allows.
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function problem(where: JsonColumn, reason: string): string {
  return `${where.row}: the project file's ${where.column} cannot be read: ${reason}`;
}

/** The column's value checked against `schema`; throws a StoredColumnError naming row and column. */
export function readJsonColumn<S extends z.ZodType>(
  stored: unknown,
  schema: S,
  where: JsonColumn,
): z.output<S> {
  const parsed = parseStored(stored, schema);
  if (!parsed.ok) throw new StoredColumnError(problem(where, parsed.reason));
  return parsed.value;
}

/** As readJsonColumn, but says what is wrong instead of throwing (for lists that go on). */
export function tryReadJsonColumn<S extends z.ZodType>(
  stored: unknown,
  schema: S,
  where: JsonColumn,
): { ok: true; value: z.output<S> } | { ok: false; problem: string } {
  const parsed = parseStored(stored, schema);
  return parsed.ok ? parsed : { ok: false, problem: problem(where, parsed.reason) };
}

/**
 * SQL for one field of a JSON column, NULL where the column does not hold JSON: json_extract
 * throws on such a value, and one damaged row would then fail the whole query.
 */
export function jsonField(column: string, path: string): string {
  return `(CASE WHEN json_valid(${column}) THEN json_extract(${column}, '${path}') END)`;
}
