/**
 * Number schemas with messages that name the field, for every schema file of the contract. A leaf
 * (zod only), so that the attack descriptors (common/attacks) can use them while attack-schemas.ts
 * builds AttackConfig from those descriptors.
 */
import { z } from 'zod';

/** A positive finite number; NaN and ±Infinity are refused with a message that names them. */
export const numberError = (what: string) => (issue: { input?: unknown }) =>
  typeof issue.input === 'number'
    ? `${what} must be a finite number (got ${String(issue.input)})`
    : `${what} must be a number`;

export const finitePositive = (what: string) =>
  z.number({ error: numberError(what) }).gt(0, { message: `${what} must be greater than 0` });

export const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: numberError(what) })
    .int({ message: `${what} must be a whole number` })
    .min(min, { message: `${what} must be at least ${min}` })
    .max(max, { message: `${what} must be at most ${max}` });
