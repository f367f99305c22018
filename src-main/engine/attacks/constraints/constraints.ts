/** The constraints by name (ConstraintName in common/attacks/threat-models). */
import type { ConstraintName } from '../../../common/attacks/threat-models';
import type { Constraint } from './constraint';
import { l2Constraint } from './l2-constraint';
import { linfConstraint } from './linf-constraint';
import { unconstrainedConstraint } from './unconstrained-constraint';

const byName: Record<ConstraintName, Constraint> = {
  linf: linfConstraint,
  l2: l2Constraint,
  unconstrained: unconstrainedConstraint,
};

export const constraintNames = Object.keys(byName) as ConstraintName[];

export function constraintFor(name: ConstraintName): Constraint {
  const constraint = byName[name] as Constraint | undefined;
  if (constraint === undefined)
    throw new Error(`unknown constraint ${String(name)}; use ${constraintNames.join(', ')}`);
  return constraint;
}
