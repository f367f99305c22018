/**
 * The attacks of an evaluation config as EvaluationAttacks (engine/evaluation/evaluation-attack.ts),
 * each with what the progress bar needs: its cost in model passes per ε, and where a hook's
 * (run, step) lies within it, both from the method's descriptor (common/attacks). Costs count one
 * forward+backward pass as 1 and a forward pass (a black-box query) as 1/3; a method that stops
 * early (Square, once every image is misclassified) costs at most that.
 */
import { attackDescriptor, defaultOptions } from '../../common/attacks/attack-registry';
import type { EvaluationAttackConfig, EvaluationConfig } from '../../common/evaluation-schemas';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';
import { evaluationAttack, type EvaluationAttack } from '../evaluation/evaluation-attack';
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

/** The PGD the checks use when the config has none: PGD's defaults (40 steps, one restart, α = 2.5ε/40). */
export const defaultCheckPgd: PgdChoice = defaultOptions('pgd');

/** A PGD of the checks: its settings, constraint and seed. */
export interface PgdSettings {
  choice: PgdChoice;
  constraint: EvaluationConfig['constraint'];
  seed: number;
}

export function pgdSettings(
  choice: PgdChoice,
  constraint: EvaluationConfig['constraint'],
  seed: number,
): PgdSettings {
  return { choice, constraint, seed };
}

/** A method's attack with its cost and progress shape, seeded with `seed` as it is. */
function planned(
  choice: EvaluationAttackConfig,
  constraint: EvaluationConfig['constraint'],
  numClasses: number,
  seed: number,
): PlannedAttack {
  const descriptor = attackDescriptor(choice.method);
  return {
    attack: evaluationAttack(choice, constraint, seed),
    method: choice.method,
    cost: descriptor.cost(choice, numClasses),
    ...descriptor.progress(choice, numClasses),
  };
}

/** A PGD as a planned attack (also the checks' own PGD and its stronger variant). */
export function plannedPgd(settings: PgdSettings): PlannedAttack {
  // PGD's cost and progress do not depend on the class count.
  return planned(settings.choice, settings.constraint, 0, settings.seed);
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
  return planned(choice, constraint, numClasses, deriveSeed(seed, choice.method));
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
