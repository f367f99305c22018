/**
 * The pure half of an attack method: what it is called, what it takes and its defaults, what it
 * supports, what it costs and how its progress counts. No tensor code: the CLI, the core and the
 * renderer read these; the engine's half (engine/attacks/methods) holds the run function.
 *
 * A method's settings live in two configs, both part of the contract and of recorded runs:
 *   - its options (`options`): its entry in an evaluation's attack list, with the paper's
 *     defaults; the evaluation passes them as they are;
 *   - an attack job (AttackConfig): the threat model's steps and the restarts, plus the method's
 *     own fields (`job.fields`, e.g. APGD-T's apgdTargets); `job.options` reads that config as
 *     the method's options, so the engine runs both through one function.
 */
import type { z } from 'zod';
import type { AttackLoss, ConstraintName, ThreatModelDefaults } from './threat-models';

/** A number field's input attributes in the forms; `step: 'any'` for a fraction. */
export interface NumberInput {
  min: number;
  max?: number;
  step: '1' | 'any';
}

/** One of the method's options as the Evaluate form and `rfw eval` set it. */
export interface OptionSetting<Key extends string> {
  key: Key;
  /** The field's visible label ("Iterations"). */
  label: string;
  /** What it counts; the field's accessible name is the method's label and this ("APGD-T target classes"). */
  noun: string;
  /** `rfw eval`'s option; methods with the same setting share it (--restarts). */
  flag: string;
  input: NumberInput;
}

/**
 * A count a method takes (steps, iterations, restarts, queries, target classes): a whole number
 * from 1, with its flag named after its key unless said otherwise.
 */
export function countSetting<Key extends string>(
  key: Key,
  label: string,
  noun: string = key,
  flag: string = key,
): OptionSetting<Key> {
  return { key, label, noun, flag, input: { min: 1, step: '1' } };
}

/** An AttackConfig field that only this method reads (APGD-T's apgdTargets). */
export interface JobField<Name extends string = string> {
  name: Name;
  /** AttackConfig takes it as optional: a config without it means `default`. */
  schema: z.ZodNumber;
  /** What an absent value means. Recorded runs depend on it: it never changes. */
  default: number;
  /** The Attack form's label ("Target classes"). */
  label: string;
  /** How a result's settings line says the value ("9 target classes"). */
  summary(value: number): string;
  /** `rfw attack`'s option. */
  flag: string;
  input: NumberInput;
}

/** How a method's hooks count: beforeStep(run, step) with run < runs and step < stepsPerRun. */
export interface ProgressShape {
  runs: number;
  stepsPerRun: number;
}

/** The fields every attack-job config has (AttackConfig with its defaults filled) that a method reads. */
export interface JobSettings {
  perturbation: {
    constraint: ConstraintName;
    epsilon: number;
    steps: number;
    stepSize: number;
    randomStart: boolean;
  };
  restarts: number;
  targetClass: number | null;
  loss: AttackLoss;
}

/** A method's options schema: a strict object whose `method` is the method's name. */
export type OptionsSchema<Name extends string = string> = z.ZodObject<
  { method: z.ZodLiteral<Name> } & z.ZodRawShape,
  z.core.$strict
>;

/** The option names of a schema (of each schema of a union), `method` aside. */
export type OptionKey<Schema> =
  Schema extends z.ZodObject<infer Shape> ? Exclude<keyof Shape & string, 'method'> : never;

export interface AttackDescriptor<
  Name extends string = string,
  Schema extends OptionsSchema<Name> = OptionsSchema<Name>,
  Field extends string = string,
> {
  name: Name;
  /** Short name: run names, result lines, curve legends ("APGD-T"). */
  label: string;
  /** The Attack form's choice ("APGD-T (Auto-PGD, targeted DLR)"). */
  title: string;
  /** How a refusal names it, where not by its name ("the Square attack"). */
  refusalName?: string;
  /** white-box: uses the model's gradients; black-box: only its outputs. */
  access: 'white-box' | 'black-box';
  /** Its curves' colour: a slot of the renderer's categorical palette (lib/series-style.ts). */
  colorSlot: number;
  /**
   * The constraints it runs under, each with the ε and step size the clients start from (in
   * ConstraintName order; the first is where the forms go when the chosen one is not offered).
   */
  threatModels: Partial<Record<ConstraintName, ThreatModelDefaults>>;
  /** The losses it can follow: the gradient loop's choice, or just its own (recorded as cross-entropy). */
  losses: readonly AttackLoss[];
  /** Whether it takes a target class. */
  targeted: boolean;
  /** The fewest classes it works with, and what needs them; null: any. */
  classes: { min: number; why: string } | null;
  /** Its side of an attack job (AttackConfig; the Attack form and `rfw attack`). */
  job: {
    /**
     * perturbation.steps: the form's label for it and the count the clients start from; null:
     * not read, and the form hides it (with the random start).
     */
    steps: { label: string; default: number } | null;
    /** Whether the form shows perturbation.stepSize. */
    stepSize: boolean;
    /** Whether the form shows `restarts`. */
    restarts: boolean;
    /** Its own AttackConfig fields. */
    fields: readonly JobField<Field>[];
    /** The job's config as this method's options (`method` aside). */
    options(config: JobSettings & Record<Field, number>): NoInfer<Omit<z.output<Schema>, 'method'>>;
  };
  /** Its entry in an evaluation's attack list, with the defaults (evaluation-schemas.ts). */
  options: Schema;
  /** The options that the Evaluate form and `rfw eval` set, in the form's order. */
  settings: readonly OptionSetting<OptionKey<Schema>>[];
  /** Part of the evaluation the clients start from. */
  evaluatedByDefault: boolean;
  /** An evaluation curve's name, with the settings ("APGD-T-100"). */
  curveName(options: z.output<Schema>): string;
  progress(options: z.output<Schema>, numClasses: number): ProgressShape;
  /**
   * Model passes per ε, for the progress bar: a forward+backward pass counts 1, a forward pass
   * (a black-box query) 1/3; an upper bound where the method stops early.
   */
  cost(options: z.output<Schema>, numClasses: number): number;
}

/** Checks a descriptor's type where it is written; the registry lists it. */
export function defineAttack<
  const Name extends string,
  Schema extends OptionsSchema<Name>,
  const Field extends string = never,
>(descriptor: AttackDescriptor<Name, Schema, Field>): AttackDescriptor<Name, Schema, Field> {
  return descriptor;
}
