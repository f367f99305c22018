/**
 * The attack methods, one descriptor each (a file beside this one), in the order the clients offer
 * them. Everything that lists or names methods reads it: AttackMethod (attack-schemas.ts) is the
 * names written here, AttackConfig takes the methods' own fields, the evaluation's attack list is
 * their options schemas, and the CLI and the forms show their settings. The engine's half of each
 * method is in engine/attacks/methods (its registry is typed against this one).
 *
 * Adding a method: its descriptor file here and its name in `descriptorList`, then its engine
 * file and a line in engine/attacks/methods/method-registry.ts (README, "Adding an attack").
 */
import type { z } from 'zod';
import type { AttackDescriptor, JobField, JobSettings, OptionKey } from './attack-descriptor';
import { apgdCe } from './apgd-ce';
import { apgdT } from './apgd-t';
import { fabT } from './fab-t';
import { fgsm } from './fgsm';
import { pgd } from './pgd';
import { square } from './square';
import {
  runDefaults,
  threatModelDefaults,
  type ConstraintName,
  type ThreatModelDefaults,
} from './threat-models';

const descriptorList = [fgsm, pgd, apgdCe, apgdT, fabT, square] as const;

// A name (or an AttackConfig field) given twice would shadow the first: refused, as tfjs-core's
// kernel registry refuses a second registration.
function refuseTwice(what: string, names: readonly string[]): void {
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new Error(`the ${what} ${twice} is registered twice`);
}
refuseTwice(
  'attack method',
  descriptorList.map((descriptor) => descriptor.name),
);
refuseTwice(
  'AttackConfig field',
  descriptorList.flatMap((descriptor) => descriptor.job.fields.map((field) => field.name)),
);

type DescriptorList = typeof descriptorList;
type AnyListed = DescriptorList[number];
/** A property of each descriptor of a list, as a tuple in the list's order. */
type EachOf<L extends readonly unknown[], Key extends 'name' | 'options'> = {
  -readonly [I in keyof L]: L[I] extends Record<Key, infer Value> ? Value : never;
};

/** The method names ('fgsm', 'pgd', …), as a type. */
export type AttackMethodName = AnyListed['name'];

/** Each method's descriptor under its name. */
export type AttackDescriptors = { [D in AnyListed as D['name']]: D };

export const attackDescriptors = Object.fromEntries(
  descriptorList.map((descriptor) => [descriptor.name, descriptor]),
) as AttackDescriptors;

/** The names in the clients' order, for z.enum (attack-schemas.ts AttackMethod). */
export const attackMethodNames = descriptorList.map((descriptor) => descriptor.name) as EachOf<
  DescriptorList,
  'name'
>;

/** The options schemas, for the evaluation's attack list (a union on `method`). */
export const attackOptionSchemas = descriptorList.map((descriptor) => descriptor.options) as EachOf<
  DescriptorList,
  'options'
>;

/** A method's options, as an evaluation lists it and the engine runs it. */
export type MethodOptions<M extends AttackMethodName = AttackMethodName> = z.output<
  AttackDescriptors[M]['options']
>;

/** The AttackConfig fields of every method (apgdTargets, squareQueries, …). */
export type JobFieldName = {
  [M in AttackMethodName]: AttackDescriptors[M]['job']['fields'][number]['name'];
}[AttackMethodName];

/** A job's config (AttackConfig, defaults filled) as its method's options. */
export function jobOptions(
  config: JobSettings & { method: AttackMethodName } & Record<JobFieldName, number>,
): MethodOptions {
  return {
    method: config.method,
    ...attackDescriptor(config.method).job.options(config),
  } as MethodOptions;
}

/** Any method's descriptor, for code that handles every method alike. */
export type MethodDescriptor = AttackDescriptor<
  AttackMethodName,
  AttackDescriptors[AttackMethodName]['options'],
  JobFieldName
>;

/** The descriptor of a method, typed for code that does not know which. */
export function attackDescriptor(method: AttackMethodName): MethodDescriptor {
  return attackDescriptors[method];
}

/** Every descriptor, in the clients' order. */
export const methodDescriptors: readonly MethodDescriptor[] = descriptorList;

/** The methods' own AttackConfig fields, in the clients' order. */
export const attackJobFields: readonly JobField<JobFieldName>[] = methodDescriptors.flatMap(
  (descriptor) => descriptor.job.fields,
);

/** Their schemas, optional (a config saved before a field existed reads as its default). */
export const attackJobFieldSchemas = Object.fromEntries(
  attackJobFields.map((field) => [field.name, field.schema.optional()]),
) as Record<JobFieldName, z.ZodOptional<z.ZodNumber>>;

/** Each method's own field values at their defaults. */
export const attackJobFieldDefaults = Object.fromEntries(
  attackJobFields.map((field) => [field.name, field.default]),
) as Record<JobFieldName, number>;

/** Every option that some method's settings name (steps, iterations, restarts, …). */
export type OptionName = OptionKey<AttackDescriptors[AttackMethodName]['options']>;

/** The method's options at their defaults (every option a form does not show included). */
export function defaultOptions<M extends AttackMethodName>(method: M): MethodOptions<M> {
  return attackDescriptors[method].options.parse({ method }) as MethodOptions<M>;
}

/** The schema of one of a method's options (the bounds that its form field and CLI option take). */
export function optionSchema(method: AttackMethodName, key: OptionName): z.ZodType {
  const schema = (attackDescriptor(method).options.shape as Record<string, z.ZodType | undefined>)[
    key
  ];
  if (schema === undefined) throw new Error(`${method} has no option ${key}`);
  return schema;
}

/**
 * The ε and step size a method starts from under each constraint: its own, and the shared ones
 * under a constraint it does not run under (which attackConfigProblems then refuses).
 */
export function methodThreatModels(
  method: AttackMethodName,
): Record<ConstraintName, ThreatModelDefaults> {
  return { ...threatModelDefaults, ...attackDescriptor(method).threatModels };
}

/** The steps a method starts from: its own count, or PGD's where it reads none. */
export function methodSteps(method: AttackMethodName): number {
  return attackDescriptor(method).job.steps?.default ?? runDefaults.steps;
}

/** Whether a string names a method. */
export function isAttackMethod(name: string): name is AttackMethodName {
  return Object.hasOwn(attackDescriptors, name);
}
