/**
 * Schema-violating inputs for contract methods, from a seeded PRNG so a failure reproduces.
 * Each candidate is JSON text (deep nesting is written as text, since JSON.stringify of it would
 * overflow the stack) and goes out only where the method's input schema refuses it, parsed the
 * way dispatchCall parses it: a valid input might start a job or write a file.
 */
import { z } from 'zod';
import { methods, type MethodName } from '../../../../src-main/common/contract';
import type { RandomSource } from '../../../../src-main/engine/random/seeded-random';

/** 20,000 levels: far beyond any schema, well under the 1 MiB frame limit. */
const deepNesting = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
const longString = JSON.stringify('x'.repeat(200_000));

/** Values that are wrong for nearly every field: wrong types, extremes, NaN-ish strings. */
const badValues: string[] = [
  'null',
  'true',
  '-1',
  '0',
  '1.5',
  '1e308',
  '-1e308',
  String(2 ** 53 + 1),
  '"NaN"',
  '"Infinity"',
  '"1e999"',
  '""',
  '"   "',
  '[]',
  '{}',
  '[1,"two",null]',
  '{"$ne":1}',
  '{"__proto__":{"polluted":true}}',
  deepNesting,
  longString,
];

/** Whole inputs that are not what any method takes (null and {} are fine for some, filtered). */
const badInputs: string[] = [
  '42',
  '"text"',
  'true',
  '[]',
  '[{}]',
  deepNesting,
  longString,
  '{"unexpected":1}',
  `{${JSON.stringify('k'.repeat(100_000))}:1}`,
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];

/** The object variants of a method's input: each one's properties and its discriminator. */
interface Variant {
  properties: string[];
  fixed: Record<string, unknown>;
}

interface JsonObjectSchema {
  properties?: Record<string, { const?: unknown }>;
  oneOf?: JsonObjectSchema[];
  anyOf?: JsonObjectSchema[];
}

function variantsOf(method: MethodName): Variant[] {
  const schema = z.toJSONSchema(methods[method].input, {
    unrepresentable: 'any',
    io: 'input',
  }) as JsonObjectSchema;
  const options = schema.oneOf ?? schema.anyOf ?? [schema];
  return options.map((option) => {
    const entries = Object.entries(option.properties ?? {});
    const fixed: Record<string, unknown> = {};
    for (const [key, property] of entries) {
      // Keeping a discriminator right sends zod into that variant's own fields.
      if (property.const !== undefined) fixed[key] = property.const;
    }
    return { properties: entries.map(([key]) => key), fixed };
  });
}

function pick<T>(random: RandomSource, values: readonly T[]): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

/** `fixed` plus the given fields, each value already JSON text. */
function objectText(fixed: Record<string, unknown>, fields: [string, string][]): string {
  const parts = Object.entries(fixed).map(
    ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`,
  );
  for (const [key, text] of fields) parts.push(`${JSON.stringify(key)}:${text}`);
  return `{${parts.join(',')}}`;
}

function candidates(method: MethodName, random: RandomSource, count: number): string[] {
  const out = [pick(random, badInputs), pick(random, badInputs), 'null', '{}'];
  const variants = variantsOf(method);
  while (out.length < count) {
    const variant = pick(random, variants);
    const free = variant.properties.filter((key) => !(key in variant.fixed));
    if (free.length === 0) {
      out.push(objectText(variant.fixed, [['extra', pick(random, badValues)]]));
      continue;
    }
    const shape = random();
    if (shape < 0.4) {
      // One field wrong, the others missing.
      out.push(objectText(variant.fixed, [[pick(random, free), pick(random, badValues)]]));
    } else if (shape < 0.8) {
      // Every field present, each with a bad value.
      out.push(
        objectText(
          variant.fixed,
          free.map((key) => [key, pick(random, badValues)]),
        ),
      );
    } else {
      // Every field but one, plus a key the schema does not know.
      const dropped = pick(random, free);
      const fields = free
        .filter((key) => key !== dropped)
        .map((key): [string, string] => [key, pick(random, badValues)]);
      out.push(objectText(variant.fixed, [...fields, ['notAField', pick(random, badValues)]]));
    }
  }
  return out;
}

/** About `count` inputs for `method`, as JSON text, each refused by its input schema. */
export function violatingInputs(method: MethodName, random: RandomSource, count: number): string[] {
  const schema = methods[method].input;
  return candidates(method, random, count).filter(
    (text) => !schema.safeParse((JSON.parse(text) as unknown) ?? {}).success,
  );
}
