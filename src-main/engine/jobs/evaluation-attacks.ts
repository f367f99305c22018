/**
 * The attacks of an evaluation config as EvaluationAttacks (engine/evaluation/evaluation-attack.ts),
 * each with what the progress bar needs: its cost in model passes per ε, and where a hook's
 * (run, step) lies within it. Costs count one forward+backward pass as 1 and a forward pass
 * (Square's queries) as 1/3; Square stops early once every image is misclassified, so its cost
 * is an upper bound.
 */
import type { EvaluationAttackConfig, EvaluationConfig } from '../../common/evaluation-schemas';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';
import {
  apgdCeAttack,
  apgdTargetedAttack,
  fgsmAttack,
  pgdAttack,
  squareAttack,
  type EvaluationAttack,
  type PgdSettings,
} from '../evaluation/evaluation-attack';
import type { CurveCounts } from './evaluation-measurements';

export interface PlannedAttack {
  attack: EvaluationAttack;
  method: CurveCounts['method'];
  /** Model passes per ε (see the header). */
  cost: number;
  /** Runs × steps per run, as the attack's hooks count them: fraction done = (run·steps + step)/(runs·steps). */
  runs: number;
  stepsPerRun: number;
}

export type PgdChoice = Extract<EvaluationAttackConfig, { method: 'pgd' }>;

/** The PGD the checks use when the config has none: 40 steps, one restart, α = 2.5ε/40. */
export const defaultCheckPgd: PgdChoice = {
  method: 'pgd',
  steps: 40,
  stepFraction: null,
  restarts: 1,
};

/** The config's PGD settings with α resolved: null means 2.5 / steps (Madry et al.). */
export function pgdSettings(
  choice: PgdChoice,
  constraint: EvaluationConfig['constraint'],
  seed: number,
): PgdSettings {
  return {
    constraint,
    steps: choice.steps,
    stepFraction: choice.stepFraction ?? 2.5 / choice.steps,
    restarts: choice.restarts,
    seed,
  };
}

/** A PGD as a planned attack (also the checks' own PGD and its stronger variant). */
export function plannedPgd(settings: PgdSettings): PlannedAttack {
  return {
    attack: pgdAttack(settings),
    method: 'pgd',
    cost: settings.restarts * (settings.steps + 1),
    runs: settings.restarts,
    stepsPerRun: settings.steps + 1,
  };
}

/**
 * One attack of the config. `seed` is the batch's seed; each method derives its own from it so
 * that adding an attack to the list does not change the others' random starts.
 */
export function planAttack(
  choice: EvaluationAttackConfig,
  constraint: EvaluationConfig['constraint'],
  numClasses: number,
  seed: number,
): PlannedAttack {
  const own = deriveSeed(seed, choice.method);
  switch (choice.method) {
    case 'fgsm':
      // One gradient step, then the loss at the step's end: the loop's beforeStep sees steps 0, 1.
      return {
        attack: fgsmAttack(constraint, own),
        method: 'fgsm',
        cost: 2,
        runs: 1,
        stepsPerRun: 2,
      };
    case 'pgd':
      return plannedPgd(pgdSettings(choice, constraint, own));
    case 'apgd-ce':
      return {
        attack: apgdCeAttack({
          constraint,
          iterations: choice.iterations,
          restarts: choice.restarts,
          seed: own,
        }),
        method: 'apgd-ce',
        cost: choice.restarts * (choice.iterations + 1),
        runs: choice.restarts,
        stepsPerRun: choice.iterations,
      };
    case 'apgd-t': {
      const targets = Math.min(choice.targets, numClasses - 1);
      return {
        attack: apgdTargetedAttack({
          constraint,
          iterations: choice.iterations,
          restarts: choice.restarts,
          targets: choice.targets,
          seed: own,
        }),
        method: 'apgd-t',
        cost: targets * choice.restarts * (choice.iterations + 1),
        runs: targets * choice.restarts,
        stepsPerRun: choice.iterations,
      };
    }
    case 'square':
      return {
        attack: squareAttack({
          constraint,
          queries: choice.queries,
          initialFraction: choice.initialFraction,
          seed: own,
        }),
        method: 'square',
        cost: choice.queries / 3,
        runs: 1,
        stepsPerRun: choice.queries,
      };
  }
}

/**
 * A transfer attack as an evaluation attack: the PGD crafts x' on `source` (white-box there) and
 * the evaluated model only sees x' — black-box from its point of view. x' lies in x's ε-ball,
 * so the returned points are checked like any other attack's.
 */
export function plannedTransfer(
  source: { id: number; model: Model },
  pgd: PlannedAttack,
): PlannedAttack {
  return {
    ...pgd,
    method: 'transfer',
    attack: {
      name: `transfer ${pgd.attack.name} from model ${source.id}`,
      access: 'black-box',
      constraint: pgd.attack.constraint,
      run: (_model, images, labels, epsilon, hooks) =>
        pgd.attack.run(source.model, images, labels, epsilon, hooks),
    },
  };
}
