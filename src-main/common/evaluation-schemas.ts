/**
 * Robustness evaluation as a run type (issue 4 §5), and the defaults of the attack settings that
 * AttackConfig gained with the attack suite (§3). Pure zod, like schemas.ts.
 *
 * An evaluation measures, on the first N test images, the robust accuracy of one model under a
 * list of attacks at a list of ε (curves), the per-example worst case over the attacks, and the
 * automatic sanity checks that say whether the numbers can be trusted.
 */
import { z } from 'zod';
import {
  Id,
  finitePositive,
  numberError,
  wholeNumber,
  type AttackConfig as AttackConfigType,
} from './schemas';
import { attackDefaults } from './attack-defaults';

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
    apgdTargets: config.apgdTargets ?? attackDefaults.apgdTargets,
    squareQueries: config.squareQueries ?? attackDefaults.squareQueries,
    squareInitialFraction: config.squareInitialFraction ?? attackDefaults.squareInitialFraction,
    // Not a default to change: absent has meant dataset positions since before the field existed.
    indexSpace: config.indexSpace ?? 'dataset',
  };
}

/**
 * The combinations of an attack config that make no sense, as one message each (empty: fine).
 * Checked by the core before a run row exists, and again by the engine for its other callers.
 */
export function attackConfigProblems(config: AttackConfigType): string[] {
  const problems: string[] = [];
  const method = config.method;
  const constraint = config.perturbation.constraint;
  const loss = config.loss ?? attackDefaults.loss;
  const gradientLoop = method === 'fgsm' || method === 'pgd';
  if (!gradientLoop && loss !== 'cross-entropy') {
    problems.push(
      `the loss choice is for FGSM and PGD; ${method} brings its own loss (leave the loss at cross-entropy)`,
    );
  }
  if (!gradientLoop && config.targetClass !== null) {
    problems.push(`${method} is untargeted: clear the target class or use FGSM or PGD`);
  }
  if ((method === 'apgd-ce' || method === 'apgd-t') && constraint === 'unconstrained') {
    problems.push(`${method} runs under linf or l2, not unconstrained`);
  }
  if (method === 'square' && constraint === 'unconstrained') {
    problems.push('the Square attack runs under linf or l2, not unconstrained');
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

export const EvaluationMethod = z.enum(['fgsm', 'pgd', 'apgd-ce', 'apgd-t', 'square']);
export type EvaluationMethod = z.infer<typeof EvaluationMethod>;

/** One attack of an evaluation with its own settings (paper defaults). Step sizes scale with ε. */
export const EvaluationAttackConfig = z.discriminatedUnion('method', [
  z.object({ method: z.literal('fgsm') }).strict(),
  z
    .object({
      method: z.literal('pgd'),
      steps: wholeNumber('PGD steps', 1, 10_000).default(attackDefaults.steps),
      /**
       * α = stepFraction · ε. null: 2.5 / steps (Madry et al.: the iterates can cross the ball
       * 2.5 times over, enough to reach any corner from a random start).
       */
      stepFraction: finitePositive('PGD step fraction').nullable().default(null),
      restarts: wholeNumber('PGD restarts', 1, 100).default(attackDefaults.restarts),
    })
    .strict(),
  z
    .object({
      method: z.literal('apgd-ce'),
      iterations: wholeNumber('APGD iterations', 1, 10_000).default(attackDefaults.apgdIterations),
      restarts: wholeNumber('APGD restarts', 1, 100).default(attackDefaults.restarts),
    })
    .strict(),
  z
    .object({
      method: z.literal('apgd-t'),
      iterations: wholeNumber('APGD-T iterations', 1, 10_000).default(
        attackDefaults.apgdIterations,
      ),
      restarts: wholeNumber('APGD-T restarts', 1, 100).default(attackDefaults.restarts),
      /** Target classes, the top-scoring wrong ones; clamped to C − 1 (paper: 9). */
      targets: wholeNumber('APGD-T target classes', 1, 999).default(attackDefaults.apgdTargets),
    })
    .strict(),
  z
    .object({
      method: z.literal('square'),
      queries: wholeNumber('Square queries', 1, 100_000).default(attackDefaults.squareQueries),
      initialFraction: z
        .number({ error: numberError('p_init') })
        .gt(0, { message: 'p_init must be greater than 0' })
        .max(1, { message: 'p_init must be at most 1' })
        .default(attackDefaults.squareInitialFraction),
    })
    .strict(),
]);
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
      .max(5)
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
});
export type EvaluationResult = z.infer<typeof EvaluationResult>;

export const EvaluationRun = z.object({
  runId: Id,
  config: EvaluationConfig,
  result: EvaluationResult,
});
export type EvaluationRun = z.infer<typeof EvaluationRun>;
