/**
 * A features view's settings as a person gives them, to the CLI as flags or to the lab's form as
 * fields: one small record per setting with its kind, its default, its limits and the CLI flag
 * that sets it. Both clients read a view's settings through these records (its descriptor,
 * view-descriptor.ts), so each default and limit is written once.
 *
 * The value of each kind is what a form field holds: a number input gives a number or null
 * (empty), a select a word, a checkbox a boolean, a list of checkboxes an array. The CLI turns
 * its text into the same values (checking numbers against `range` and words against `choices`,
 * so that a mistake is refused in one line naming the flag) before the view builds its config.
 */
import type { NumberRange } from '../number-range';

/** What a view's defaults and limits depend on: the dataset's image shape and class count. */
export interface ViewDataset {
  imageShape: readonly number[];
  classCount: number;
}

/**
 * A default or a limit: a constant, or read from the dataset (the papers' values scaled to its
 * image size, its classes). Choosing another dataset in the form reloads the second kind and
 * keeps the first as typed.
 */
export type PerDataset<T> = T | ((dataset: ViewDataset) => T);

/** The CLI's option for a setting. */
export interface CliFlag {
  /** The flag without its dashes: `eps` for --eps. */
  flag: string;
  /** What the help calls the value ('N', 'X', 'CLASS'); choices are listed from the option. */
  value?: string;
  /** The CLI refuses to run without it, where the form starts from the default. */
  required?: boolean;
}

interface OptionBase<T> {
  default: PerDataset<T>;
  /** null: no CLI flag; the CLI runs with the default (the in-painting mask, painted in the UI). */
  cli: CliFlag | null;
}

/** A number field; an empty one (null) reaches the schema as NaN and is refused there. */
export interface NumberOption extends OptionBase<number | null> {
  kind: 'number';
  range: PerDataset<NumberRange>;
}

/** A list of numbers (the CLI's "0,1,2"; the form's checkboxes). */
export interface NumberListOption extends OptionBase<number[]> {
  kind: 'numbers';
  /** Each number's range. */
  range: PerDataset<NumberRange>;
}

/** One word of a fixed list (the CLI's `--explain label`; the form's select). */
export interface ChoiceOption<T extends string> extends OptionBase<T> {
  kind: 'choice';
  choices: readonly T[];
}

/** Several words of a fixed list (the CLI's comma-separated list; the form's checkboxes). */
export interface ChoiceListOption<T extends string> extends OptionBase<T[]> {
  kind: 'choices';
  choices: readonly T[];
}

/** On or off; the CLI's flag (e.g. --no-randomization-check) turns the default the other way. */
export interface SwitchOption extends OptionBase<boolean> {
  kind: 'switch';
}

/** Row-major H·W flags painted in the form (1 = selected). */
export interface MaskOption extends OptionBase<(0 | 1)[]> {
  kind: 'mask';
}

export type FeaturesOption =
  | NumberOption
  | NumberListOption
  | ChoiceOption<string>
  | ChoiceListOption<string>
  | SwitchOption
  | MaskOption;

export type OptionSet = Record<string, FeaturesOption>;

/** The value a setting holds, in the form's state and in what the CLI read. */
export type OptionValue<O extends FeaturesOption> = O extends NumberOption
  ? number | null
  : O extends NumberListOption
    ? number[]
    : O extends ChoiceOption<infer T>
      ? T
      : O extends ChoiceListOption<infer T>
        ? T[]
        : O extends SwitchOption
          ? boolean
          : O extends MaskOption
            ? (0 | 1)[]
            : never;

export type OptionValues<S extends OptionSet> = { [K in keyof S]: OptionValue<S[K]> };

export function numberOption(option: Omit<NumberOption, 'kind'>): NumberOption {
  return { kind: 'number', ...option };
}

export function numberListOption(option: Omit<NumberListOption, 'kind'>): NumberListOption {
  return { kind: 'numbers', ...option };
}

export function choiceOption<const T extends string>(
  option: Omit<ChoiceOption<T>, 'kind'>,
): ChoiceOption<T> {
  return { kind: 'choice', ...option };
}

export function choiceListOption<const T extends string>(
  option: Omit<ChoiceListOption<T>, 'kind'>,
): ChoiceListOption<T> {
  return { kind: 'choices', ...option };
}

export function switchOption(option: Omit<SwitchOption, 'kind'>): SwitchOption {
  return { kind: 'switch', ...option };
}

export function maskOption(option: Omit<MaskOption, 'kind'>): MaskOption {
  return { kind: 'mask', ...option };
}

/** A default or limit for this dataset. */
export function forDataset<T>(value: PerDataset<T>, dataset: ViewDataset): T {
  return typeof value === 'function' ? (value as (dataset: ViewDataset) => T)(dataset) : value;
}

/** Whether the setting's default is read from the dataset (and reloads with another one). */
export function dependsOnDataset(option: FeaturesOption): boolean {
  return typeof option.default === 'function';
}

/**
 * The settings' defaults for a dataset; `which: 'dataset'` gives only those read from the
 * dataset (what choosing another dataset reloads).
 */
export function optionDefaults<S extends OptionSet>(
  options: S,
  dataset: ViewDataset,
): OptionValues<S>;
export function optionDefaults<S extends OptionSet>(
  options: S,
  dataset: ViewDataset,
  which: 'dataset',
): Partial<OptionValues<S>>;
export function optionDefaults<S extends OptionSet>(
  options: S,
  dataset: ViewDataset,
  which: 'all' | 'dataset' = 'all',
): Partial<OptionValues<S>> {
  const values: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(options)) {
    if (which === 'all' || dependsOnDataset(option)) {
      const value = forDataset<unknown>(option.default, dataset);
      // A copy: a form edits its lists in place, and the descriptor's stay as written.
      values[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
  }
  return values as Partial<OptionValues<S>>;
}

/** An empty number field as the schema should see it: NaN, which it refuses in its own words. */
export function entered(value: number | null): number {
  return value ?? NaN;
}
