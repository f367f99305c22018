/**
 * The reader of every JSON column (stored-json.ts): what it refuses besides the schema, and that
 * each refusal is one line that names the row and the column.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  readJsonColumn,
  StoredColumnError,
  StoredJson,
  tryReadJsonColumn,
} from '../../../../src-main/db/repositories/stored-json';

const where = { row: 'run 7', column: 'runs.result' };
const Point = z.object({ x: z.number(), y: z.number() });

describe('readJsonColumn', () => {
  it('returns the parsed value of valid JSON, checked against the schema', () => {
    expect(readJsonColumn('{"x": 1, "y": -2.5}', Point, where)).toEqual({ x: 1, y: -2.5 });
    expect(readJsonColumn('[1, "a", null, {"b": true}]', StoredJson, where)).toEqual([
      1,
      'a',
      null,
      { b: true },
    ]);
  });

  it.each([
    ['{"x": 1}', 'y: Invalid input: expected number, received undefined'],
    ['{"x": "1", "y": 2}', 'x: Invalid input: expected number, received string'],
    ['{"x": 1e999, "y": 0}', 'it holds a number too large for a float64 (under "x")'],
    [
      '{"x": 1, "y": 2, "__proto__": {}}',
      'it has a "__proto__" key, which the workbench never writes',
    ],
    [
      '{"nested": [{"__proto__": null}]}',
      'it has a "__proto__" key, which the workbench never writes',
    ],
  ])('refuses %s', (text, reason) => {
    expect(() => readJsonColumn(text, Point, where)).toThrow(
      new StoredColumnError(`run 7: the project file's runs.result cannot be read: ${reason}`),
    );
  });

  it('refuses what is not JSON text: a syntax error, NULL, a number, bytes', () => {
    expect(() => readJsonColumn('{"x": NaN}', Point, where)).toThrow(
      /cannot be read: it is not JSON \(/,
    );
    expect(() => readJsonColumn(null, Point, where)).toThrow(/it holds NULL, not JSON text$/);
    expect(() => readJsonColumn(3, Point, where)).toThrow(/it holds number, not JSON text$/);
    expect(() => readJsonColumn(Buffer.from('{}'), Point, where)).toThrow(
      /it holds bytes, not JSON text$/,
    );
  });

  it('says what is wrong with a value nested deeper than the stack, instead of crashing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(tryReadJsonColumn(deep, StoredJson, where)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(
        /^run 7: the project file's runs.result cannot be read: /,
      ) as unknown,
    });
  });

  it('keeps the message short: three issues at most, long keys cut', () => {
    const key = 'k'.repeat(100_000);
    const text = JSON.stringify({ [key]: 'a', b: 'b', c: 'c', d: 'd' });
    const problem = tryReadJsonColumn(text, z.record(z.string(), z.number()), where);
    if (problem.ok) throw new Error('expected a refusal');
    expect(problem.problem.length).toBeLessThan(500);
    expect(problem.problem).toMatch(/; and 1 more$/);
  });
});
