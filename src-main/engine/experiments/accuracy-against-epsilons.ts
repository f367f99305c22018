/**
 * Robust accuracy of one model at several ε: PGD (α = 2.5·ε/steps, random start, one restart,
 * cross-entropy) on the first `count` test images; ε = 0 is the clean accuracy of the same
 * images, so that every point of a curve is measured on one set.
 */
import type { ConstraintName } from '../../common/attacks/threat-models';
import type { AttackHooks } from '../attacks/pgd';
import type { ImageSource } from '../data/image-source';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';
import { accuracy, robustAccuracy } from '../training/evaluate';
import { madryStepSize } from './train-fresh-model';

export interface EpsilonSweep {
  constraint: ConstraintName;
  epsilons: readonly number[];
  steps: number;
  count: number;
  seed: number;
}

export function accuracyAgainstEpsilons(
  model: Model,
  test: ImageSource,
  sweep: EpsilonSweep,
  hooks: AttackHooks = {},
): number[] {
  return sweep.epsilons.map((epsilon, e) =>
    epsilon === 0
      ? accuracy(model, test, sweep.count)
      : robustAccuracy(
          model,
          test,
          {
            constraint: sweep.constraint,
            epsilon,
            steps: sweep.steps,
            stepSize: madryStepSize(epsilon, sweep.steps),
            randomStart: true,
            restarts: 1,
            targetClass: null,
            seed: deriveSeed(sweep.seed, 'evaluation', e),
          },
          sweep.count,
          hooks,
        ),
  );
}
