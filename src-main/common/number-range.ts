/**
 * The range a numeric field accepts, read from its zod schema (through zod's JSON Schema export,
 * the public view of a schema's bounds), so that a client can check a value before the call and
 * say the allowed range in its own words while the schema stays the one place for the rule.
 */
import { z } from 'zod';

export interface NumberRange {
  integer: boolean;
  /** Lower bound; `lowOpen`: the bound itself is refused (ε > 0). */
  low?: number;
  lowOpen?: boolean;
  high?: number;
  highOpen?: boolean;
  /** When the range applies, e.g. "for linf" (ranges that depend on another setting). */
  condition?: string;
  /** Why the upper bound is what it is, e.g. "the test split has 2000 images". */
  reason?: string;
}

interface NumberJsonSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** zod writes `.int()` as the safe-integer range; that is "any integer", not a range to state. */
const boundOf = (value: number | undefined) =>
  value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value;

/** The bounds of a numeric schema (wrappers such as .default() and .nullable() are looked through). */
export function rangeOf(schema: z.ZodType): NumberRange {
  let inner: z.ZodType = schema;
  while (
    inner instanceof z.ZodDefault ||
    inner instanceof z.ZodNullable ||
    inner instanceof z.ZodOptional
  ) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (!(inner instanceof z.ZodNumber)) throw new Error('rangeOf needs a number schema');
  const json = z.toJSONSchema(inner, { unrepresentable: 'any' }) as NumberJsonSchema;
  const range: NumberRange = { integer: json.type === 'integer' };
  const low = boundOf(json.exclusiveMinimum ?? json.minimum);
  const high = boundOf(json.exclusiveMaximum ?? json.maximum);
  if (low !== undefined)
    Object.assign(range, { low, lowOpen: json.exclusiveMinimum !== undefined });
  if (high !== undefined)
    Object.assign(range, { high, highOpen: json.exclusiveMaximum !== undefined });
  return range;
}

/** How many items an array schema takes at most (e.g. an attack's 5000 images). */
export function maxItemsOf(schema: z.ZodArray): number {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as { maxItems?: number };
  if (json.maxItems === undefined)
    throw new Error('maxItemsOf needs an array schema with a maximum');
  return json.maxItems;
}

/** The range with a tighter upper bound (closed) and the reason for it, where that is tighter. */
export function capRange(
  range: NumberRange,
  high: number,
  reason: string,
  condition?: string,
): NumberRange {
  if (range.high !== undefined && range.high <= high) return range;
  return {
    ...range,
    high,
    highOpen: false,
    reason,
    ...(condition === undefined ? {} : { condition }),
  };
}

export function inRange(value: number, range: NumberRange): boolean {
  if (!Number.isFinite(value)) return false;
  if (range.integer && !Number.isInteger(value)) return false;
  if (range.low !== undefined && (range.lowOpen ? value <= range.low : value < range.low))
    return false;
  if (range.high !== undefined && (range.highOpen ? value >= range.high : value > range.high))
    return false;
  return true;
}

/** Numbers as people write them: 2000, 0.3, 28 (no 27.999999999999996). */
const show = (value: number) => String(Number(value.toPrecision(6)));

/** "an integer from 1 to 2000", "a number in (0, 1] for linf", "a number greater than 0". */
export function describeRange(range: NumberRange): string {
  const text = describeBounds(range);
  return range.condition === undefined ? text : `${text} ${range.condition}`;
}

function describeBounds(range: NumberRange): string {
  const { low, high } = range;
  if (range.integer) {
    // Integers: an open bound is the next integer in, so that the text has one form.
    const first = low === undefined ? undefined : range.lowOpen ? Math.floor(low) + 1 : low;
    const last = high === undefined ? undefined : range.highOpen ? Math.ceil(high) - 1 : high;
    if (first !== undefined && last !== undefined)
      return `an integer from ${show(first)} to ${show(last)}`;
    if (first !== undefined) return `an integer of at least ${show(first)}`;
    if (last !== undefined) return `an integer of at most ${show(last)}`;
    return 'an integer';
  }
  if (low !== undefined && high !== undefined)
    return `a number in ${range.lowOpen ? '(' : '['}${show(low)}, ${show(high)}${range.highOpen ? ')' : ']'}`;
  if (low !== undefined)
    return `a number ${range.lowOpen ? 'greater than' : 'of at least'} ${show(low)}`;
  if (high !== undefined)
    return `a number ${range.highOpen ? 'less than' : 'of at most'} ${show(high)}`;
  return 'a number';
}
