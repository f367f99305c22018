/**
 * Robustness evaluation as a run type (issue 4 §5), and the attack-job config with the defaults of
 * the settings that AttackConfig gained with the attack suite (§3). Pure zod, like the other
 * *-schemas.ts.
 *
 * An evaluation measures, on the first N test images, the robust accuracy of one model under a
 * list of attacks at a list of ε (curves), the per-example worst case over the attacks, and the
 * automatic sanity checks that say whether the numbers can be trusted.
 */
import { z } from 'zod';
import { AttackMethod, type AttackConfig as AttackConfigType } from './attack-schemas';
import { Id } from './reference-schemas';
import { completedRun } from './run-schemas';
import { numberError, wholeNumber } from './number-schemas';
import { attackDefaults } from './attack-defaults';
import {
  attackDescriptor,
  attackJobFields,
  attackOptionSchemas,
  methodDescriptors,
} from './attacks/attack-registry';
import { EvaluationExampleArtifacts } from './run-results-schemas';

// ── Attack-run defaults ──────────────────────────────────────────────────────────────────────

// The defaults live in attack-defaults.ts with the other attack settings; re-exported here for
// the callers that read them beside the schemas.
export { attackDefaults };

/** An attack config with every optional field filled, as it is recorded with a run. */
export type CompleteAttackConfig = Required<AttackConfigType>;

export function withAttackDefaults(config: AttackConfigType): CompleteAttackConfig {
  return {
    ...config,
    loss: config.loss ?? attackDefaults.loss,
    // Each method's own fields (descriptors' job.fields): absent means what runs before them used.
    ...Object.fromEntries(
      attackJobFields.map((field) => [field.name, config[field.name] ?? field.default]),
    ),
    // Not a default to change: absent has meant dataset positions since before the field existed.
    indexSpace: config.indexSpace ?? 'dataset',
  } as CompleteAttackConfig;
}

/** "A", "A and B", "A, B and C". */
function listInWords(words: readonly string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1) ?? ''}`;
}

/** The labels of the methods for which `has` holds, in words ("FGSM and PGD"). */
const methodsThat = (
  has: (method: (typeof methodDescriptors)[number]) => boolean,
  conjunction: 'and' | 'or',
) =>
  listInWords(
    methodDescriptors.filter(has).map((method) => method.label),
    conjunction,
  );

/**
 * The combinations of an attack config that make no sense, as one message each (empty: fine).
 * Checked by the core before a run row exists, and again by the engine for its other callers.
 * What each method supports is its descriptor's (common/attacks).
 */
export function attackConfigProblems(config: AttackConfigType): string[] {
  const problems: string[] = [];
  const method = config.method;
  const descriptor = attackDescriptor(method);
  const constraint = config.perturbation.constraint;
  const loss = config.loss ?? attackDefaults.loss;
  if (!descriptor.losses.includes(loss)) {
    problems.push(
      `the loss choice is for ${methodsThat((m) => m.losses.length > 1, 'and')}; ${method} brings its own loss (leave the loss at ${descriptor.losses.join(' or ')})`,
    );
  }
  if (!descriptor.targeted && config.targetClass !== null) {
    problems.push(
      `${method} is untargeted: clear the target class or use ${methodsThat((m) => m.targeted, 'or')}`,
    );
  }
  if (descriptor.threatModels[constraint] === undefined) {
    problems.push(
      `${descriptor.refusalName ?? method} runs under ${listInWords(Object.keys(descriptor.threatModels), 'or')}, not ${constraint}`,
    );
  }
  if (loss === 'dlr-targeted' && config.targetClass === null) {
    problems.push('the dlr-targeted loss needs a target class');
  }
  if (loss === 'dlr' && config.targetClass !== null) {
    problems.push('for a targeted attack use the dlr-targeted loss instead of dlr');
  }
  return problems;
}

// ── Evaluation config ────────────────────────────────────────────────────────────────────────

/** Every attack method can be part of an evaluation. */
export const EvaluationMethod = AttackMethod;
export type EvaluationMethod = z.infer<typeof EvaluationMethod>;

/**
 * One attack of an evaluation with its own settings (paper defaults): each method's options
 * schema (its descriptor in common/attacks). Step sizes scale with ε.
 */
export const EvaluationAttackConfig = z.discriminatedUnion('method', attackOptionSchemas);
export type EvaluationAttackConfig = z.infer<typeof EvaluationAttackConfig>;

export const EvaluationConstraint = z.enum(['linf', 'l2']);
export type EvaluationConstraint = z.infer<typeof EvaluationConstraint>;

export const EvaluationConfig = z
  .object({
    modelId: Id,
    datasetId: Id,
    /** The first N images of the dataset's test split. */
    count: wholeNumber('number of test images', 1, 10_000),
    constraint: EvaluationConstraint,
    /** Radii in [0,1] pixel units; 0 is added to the curves when missing (the ε = 0 check). */
    epsilons: z
      .array(
        z
          .number({ error: numberError('ε') })
          .min(0, { message: 'every ε must be ≥ 0' })
          .max(1000, { message: 'every ε must be at most 1000' }),
      )
      .min(1, { message: 'give at least one ε' })
      .max(50, { message: 'at most 50 ε values' }),
    attacks: z
      .array(EvaluationAttackConfig)
      .min(1, { message: 'choose at least one attack' })
      // Each method at most once (below), so at most every method.
      .max(EvaluationMethod.options.length, {
        message: `at most ${EvaluationMethod.options.length} attacks, one per method`,
      })
      .refine((list) => new Set(list.map((a) => a.method)).size === list.length, {
        message: 'an attack is listed twice',
      }),
    /** Craft PGD examples on this model and show them to the evaluated one (null: none). */
    transferModelId: Id.nullable().default(null),
    seed: z.number().int().default(0),
  })
  .strict()
  .superRefine((config, context) => {
    if (!config.epsilons.some((epsilon) => epsilon > 0)) {
      context.addIssue({
        code: 'custom',
        path: ['epsilons'],
        message: 'give at least one ε greater than 0',
      });
    }
    if (config.transferModelId !== null && config.transferModelId === config.modelId) {
      context.addIssue({
        code: 'custom',
        path: ['transferModelId'],
        message: 'the transfer source must be another model than the one evaluated',
      });
    }
  });
export type EvaluationConfig = z.infer<typeof EvaluationConfig>;
/** What callers send (defaults may be left out). */
export type EvaluationConfigInput = z.input<typeof EvaluationConfig>;

// ── Evaluation result ────────────────────────────────────────────────────────────────────────

export const EvaluationAccess = z.enum(['white-box', 'black-box']);

export const EvaluationCurve = z.object({
  /** Display name with the settings, e.g. "PGD-40×1", "transfer PGD-40×1 from model 2". */
  attack: z.string(),
  method: z.union([EvaluationMethod, z.literal('transfer')]),
  access: EvaluationAccess,
  /** acc(ε) for each ε of EvaluationResult.epsilons. */
  accuracy: z.array(z.number()),
  /**
   * Per ε: the images this attack broke first, in the curves' order (clean-correct, not broken
   * by an attack listed before it): AutoAttack's count of what each attack adds. Absent in
   * results stored before it was recorded.
   */
  brokenFirst: z.array(z.number().int().nonnegative()).optional(),
});
export type EvaluationCurve = z.infer<typeof EvaluationCurve>;

export const SanityCheckRecord = z.object({
  name: z.string(),
  passed: z.boolean(),
  /** One sentence with the numbers behind the verdict. */
  detail: z.string(),
});
export type SanityCheckRecord = z.infer<typeof SanityCheckRecord>;

/**
 * The model queries a query-counting attack (Square) spent at one ε > 0, over the images it
 * attacked: the clean-correct ones (an image it fooled stops querying; one that resists spends
 * the whole budget). The paper reports the mean and median over the fooled images.
 */
export const QueryCounts = z.object({
  attack: z.string(),
  epsilon: z.number(),
  /** Clean-correct images, each attacked. */
  attacked: z.number().int(),
  /** Of those, the ones the attack misclassified. */
  fooled: z.number().int(),
  /** Mean and median queries per attacked image (null: none attacked). */
  mean: z.number().nullable(),
  median: z.number().nullable(),
  /** Mean and median queries per fooled image (null: none fooled). */
  meanFooled: z.number().nullable(),
  medianFooled: z.number().nullable(),
});
export type QueryCounts = z.infer<typeof QueryCounts>;

export const ClassCounts = z.object({
  images: z.number().int().nonnegative(),
  clean: z.number().int().nonnegative(),
  worstCase: z.array(z.number().int().nonnegative()),
});
export type ClassCounts = z.infer<typeof ClassCounts>;

export const EvaluationResult = z.object({
  /** Images evaluated (≤ config.count when the test split is smaller). */
  examples: z.number().int(),
  numClasses: z.number().int(),
  cleanAccuracy: z.number(),
  /** The curves' ε, ascending, starting at 0. */
  epsilons: z.array(z.number()),
  curves: z.array(EvaluationCurve),
  /** Per ε, the fraction of images clean-correct and correct under every attack. */
  worstCase: z.array(z.number()),
  checks: z.array(SanityCheckRecord),
  /** Checks that could not run with this configuration, and why. */
  skippedChecks: z.array(z.string()),
  /** The names of the failed checks, repeated for a quick look (empty: all passed). */
  warnings: z.array(z.string()),
  /** Per query-counting attack and ε > 0 (absent in results stored before it was recorded). */
  queryCounts: z.array(QueryCounts).optional(),
  /**
   * Per true class (index = class): its images, the clean-correct ones and, per ε, the worst-case
   * robust ones, as counts that add up to the whole (absent in results stored before it was
   * recorded).
   */
  perClass: z.array(ClassCounts).optional(),
  /** The per-example records and worst-case images (absent in results stored before them). */
  exampleArtifacts: EvaluationExampleArtifacts.optional(),
});
export type EvaluationResult = z.infer<typeof EvaluationResult>;

export const EvaluationRun = completedRun(EvaluationConfig, EvaluationResult);
export type EvaluationRun = z.infer<typeof EvaluationRun>;
