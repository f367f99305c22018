/** How a constraint is written in result headings. */
import type { ConstraintName } from '@common/attacks/threat-models';

export const normNames: Record<ConstraintName, string> = {
  linf: 'L∞',
  l2: 'L2',
  unconstrained: 'box only',
};
