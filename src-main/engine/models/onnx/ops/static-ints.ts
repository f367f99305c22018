/** Reading integer inputs and attributes known at import (axes, shapes, pads). */
import { Refusal, type Dim, type SymbolicInts, type ValueInfo } from '../values';

export function symbolicInts(info: ValueInfo | undefined, what: string): SymbolicInts {
  if (info?.ints === undefined) throw new Refusal(`${what} must be known at import`);
  return info.ints;
}

/** Integers with no 'N' among them. */
export function concreteInts(info: ValueInfo | undefined, what: string): number[] {
  return symbolicInts(info, what).values.map((v) => {
    if (v === 'N') throw new Refusal(`${what} cannot depend on the batch size`);
    return v;
  });
}

/** An axis in [−rank, rank) as a non-negative index. */
export function normalizeAxis(axis: number, rank: number): number {
  if (axis < -rank || axis >= rank)
    throw new Refusal(`axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

export function ints(values: readonly Dim[], scalar = false): SymbolicInts {
  return { values, scalar };
}

/** Axes from the attribute (older opsets) or the optional input (newer ones). */
export function axesOf(
  attribute: number[] | undefined,
  input: ValueInfo | undefined,
  fromInput: boolean,
): number[] | undefined {
  if (!fromInput) return attribute;
  return input === undefined ? undefined : concreteInts(input, 'axes');
}
