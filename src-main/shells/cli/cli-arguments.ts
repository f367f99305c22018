/**
 * A small `--name value` / `--flag` parser for the CLI; unknown options are an error, not ignored.
 * Every number is read against a range (common/number-range.ts, taken from the contract's schema
 * where it has one), and every choice against its list, so that a value out of range is refused
 * here with one line naming the option and what it accepts, never capped or passed on silently.
 */
import { inRange, type NumberRange } from '../../common/number-range';
import { numberList } from './number-list';
import { rangeError } from './option-error';

export class CliArguments {
  private readonly values = new Map<string, string | true>();
  private readonly used = new Set<string>();

  constructor(argv: readonly string[]) {
    for (let i = 0; i < argv.length; i += 1) {
      const token = argv[i] as string;
      if (!token.startsWith('--')) throw new Error(`unexpected argument "${token}"`);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        this.values.set(token.slice(2), true);
      } else {
        this.values.set(token.slice(2), next);
        i += 1;
      }
    }
  }

  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    this.used.add(name);
    const value = this.values.get(name);
    if (value === true) throw new Error(`--${name} needs a value`);
    return value ?? fallback;
  }

  /** Whether the option was typed (for settings whose default depends on another choice). */
  given(name: string): boolean {
    return this.values.has(name);
  }

  number(name: string, range: NumberRange, fallback: number): number;
  number(name: string, range: NumberRange): number | undefined;
  number(name: string, range: NumberRange, fallback?: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text.trim() === '' || Number.isNaN(value))
      throw new Error(`--${name} must be a number (got "${text}")`);
    if (!inRange(value, range)) throw rangeError(name, range, text);
    return value;
  }

  /** A number the command cannot run without; `placeholder` is what usage calls it (CLASS). */
  requiredNumber(name: string, range: NumberRange, placeholder: string): number {
    const value = this.number(name, range);
    if (value === undefined) throw new Error(`--${name} ${placeholder} is required`);
    return value;
  }

  /** A comma-separated list ("0,0.1, 0.2"), each value in the range. */
  numbers(name: string, range: NumberRange, fallback: readonly number[]): number[];
  numbers(name: string, range: NumberRange): number[] | undefined;
  numbers(name: string, range: NumberRange, fallback?: readonly number[]): number[] | undefined {
    const text = this.string(name);
    if (text === undefined) return fallback === undefined ? undefined : [...fallback];
    return numberList(text, name, range);
  }

  /** One of a fixed list of words; anything else is refused with the list. */
  choice<T extends string>(name: string, options: readonly T[], fallback: T): T;
  choice<T extends string>(name: string, options: readonly T[]): T | undefined;
  choice<T extends string>(name: string, options: readonly T[], fallback?: T): T | undefined {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const chosen = options.find((option) => option === text);
    if (chosen === undefined)
      throw new Error(`--${name} must be one of ${options.join(', ')} (got "${text}")`);
    return chosen;
  }

  flag(name: string): boolean {
    this.used.add(name);
    return this.values.get(name) === true;
  }

  /** Call after reading every option: anything left over was a typo. */
  rejectUnknown(): void {
    const unknown = [...this.values.keys()].filter((name) => !this.used.has(name));
    if (unknown.length > 0)
      throw new Error(
        `unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `--${n}`).join(', ')}`,
      );
  }
}
