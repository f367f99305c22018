/**
 * Automatic checks that a robustness evaluation is trustworthy (after Carlini et al. 2019, "On
 * evaluating adversarial robustness", and Athalye et al. 2018 on obfuscated gradients). Each is
 * a pure function of measured numbers returning {name, passed, detail}; the evaluation job
 * (jobs/run-evaluation-job.ts, jobs/evaluation-measurements.ts) measures them. Tolerances are
 * in examples, since accuracies move in steps of 1/N.
 */
import type { BallRecord, StallRecord } from './robust-accuracy';

export interface SanityCheck {
  name: string;
  passed: boolean;
  /** One sentence with the numbers behind the verdict. */
  detail: string;
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** acc_a(0) = clean accuracy for every attack: at ε = 0 an attack must return x. */
export function checkZeroEpsilon(
  cleanAccuracy: number,
  atZero: { attack: string; accuracy: number }[],
  examples: number,
): SanityCheck {
  const off = atZero.filter((c) => Math.abs(c.accuracy - cleanAccuracy) > 0.5 / examples);
  return {
    name: 'ε = 0 gives the clean accuracy',
    passed: off.length === 0,
    detail:
      off.length === 0
        ? `every attack at ε = 0 scores the clean ${percent(cleanAccuracy)}`
        : `clean ${percent(cleanAccuracy)}, but at ε = 0 ` +
          off.map((c) => `${c.attack} scores ${percent(c.accuracy)}`).join(', '),
  };
}

/** acc(ε) never rises with ε by more than `tolerance` examples (default 1). */
export function checkMonotone(
  attack: string,
  epsilons: number[],
  accuracy: number[],
  examples: number,
  tolerance = 1,
): SanityCheck {
  if (epsilons.length !== accuracy.length) {
    throw new Error(`${epsilons.length} ε values but ${accuracy.length} accuracies`);
  }
  const order = epsilons.map((_, i) => i).sort((a, b) => (epsilons[a] ?? 0) - (epsilons[b] ?? 0));
  let worst: { from: number; to: number; rise: number } | null = null;
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const from = order[i] ?? 0;
      const to = order[j] ?? 0;
      const rise = (accuracy[to] ?? 0) - (accuracy[from] ?? 0);
      if (worst === null || rise > worst.rise) worst = { from, to, rise };
    }
  }
  const limit = (tolerance + 0.5) / examples;
  const passed = worst === null || worst.rise <= limit;
  return {
    name: `${attack}: accuracy never rises with ε`,
    passed,
    detail:
      worst === null || worst.rise <= 0
        ? `${attack}'s accuracy falls or stays as ε grows`
        : `largest rise ${percent(worst.rise)} from ε = ${epsilons[worst.from]} to ` +
          `ε = ${epsilons[worst.to]} (allowed ${tolerance} example${tolerance === 1 ? '' : 's'})`,
  };
}

/** At a very large ε the attack must reach chance: acc ≤ 1/C + margin. */
export function checkLargeEpsilon(
  attack: string,
  epsilon: number,
  accuracy: number,
  classes: number,
  margin = 0.1,
): SanityCheck {
  const bound = 1 / classes + margin;
  return {
    name: 'a very large ε drives accuracy to chance',
    passed: accuracy <= bound,
    detail: `${attack} at ε = ${epsilon}: ${percent(accuracy)} (chance ${percent(1 / classes)}, allowed ≤ ${percent(bound)})`,
  };
}

/**
 * A stronger configuration of the same attack (more steps, restarts) must not lower accuracy
 * by more than `tolerance` of the examples (default: 2%, at least one example): if it does,
 * the reported attack had not converged.
 */
export function checkStrongerAttack(
  base: { attack: string; accuracy: number },
  stronger: { attack: string; accuracy: number },
  examples: number,
  tolerance = Math.max(1 / examples, 0.02),
): SanityCheck {
  const gain = base.accuracy - stronger.accuracy;
  return {
    name: 'more iterations and restarts do not help significantly',
    passed: gain <= tolerance + 1e-9,
    detail: `${base.attack} ${percent(base.accuracy)}, ${stronger.attack} ${percent(stronger.accuracy)} (allowed drop ${percent(tolerance)})`,
  };
}

/** PGD is at least as strong as FGSM: acc_PGD(ε) ≤ acc_FGSM(ε) at every ε. */
export function checkPgdBeatsFgsm(
  epsilons: number[],
  pgd: number[],
  fgsm: number[],
  examples: number,
  tolerance = 0,
): SanityCheck {
  const worse = epsilons
    .map((epsilon, i) => ({ epsilon, pgd: pgd[i] ?? NaN, fgsm: fgsm[i] ?? NaN }))
    .filter((p) => !(p.pgd <= p.fgsm + (tolerance + 0.5) / examples));
  return {
    name: 'PGD is at least as strong as FGSM',
    passed: worse.length === 0,
    detail:
      worse.length === 0
        ? 'PGD accuracy ≤ FGSM accuracy at every ε'
        : worse
            .map((p) => `ε = ${p.epsilon}: PGD ${percent(p.pgd)} > FGSM ${percent(p.fgsm)}`)
            .join('; '),
  };
}

/** Every returned example lies in the ε-ball (to `tolerance`) and in [0,1]. */
export function checkInsideBall(records: BallRecord[], tolerance = 1e-5): SanityCheck {
  const faults: string[] = [];
  for (const r of records) {
    const outside = r.geometry.distances.filter((d) => !(d <= r.epsilon + tolerance)).length;
    if (outside > 0) {
      const largest = Math.max(...r.geometry.distances);
      faults.push(
        `${r.attack} at ε = ${r.epsilon}: ${outside} outside the ${r.constraint} ball (largest ${largest})`,
      );
    }
    if (!(r.geometry.minPixel >= -tolerance && r.geometry.maxPixel <= 1 + tolerance)) {
      faults.push(
        `${r.attack} at ε = ${r.epsilon}: pixels in [${r.geometry.minPixel}, ${r.geometry.maxPixel}]`,
      );
    }
  }
  const count = records.reduce((sum, r) => sum + r.geometry.distances.length, 0);
  return {
    name: 'every returned example is inside the ε-ball and [0,1]',
    passed: faults.length === 0,
    detail: faults.length === 0 ? `${count} returned examples checked` : faults.join('; '),
  };
}

/**
 * A black-box or transfer attack must not beat the white-box one by more than `tolerance`
 * examples: if it does, the white-box gradients are uninformative (gradient masking).
 */
export function checkNoGradientMasking(
  whiteBox: { attack: string; accuracy: number },
  other: { attack: string; accuracy: number },
  examples: number,
  tolerance = 1,
): SanityCheck {
  const passed = other.accuracy >= whiteBox.accuracy - (tolerance + 0.5) / examples;
  return {
    name: `${other.attack} does not beat the white-box ${whiteBox.attack}`,
    passed,
    detail: passed
      ? `white-box ${percent(whiteBox.accuracy)}, ${other.attack} ${percent(other.accuracy)}`
      : `gradient masking suspected: ${other.attack} reaches ${percent(other.accuracy)} but ` +
        `${whiteBox.attack} only ${percent(whiteBox.accuracy)}`,
  };
}

/** Input gradients ∇ₓL are finite everywhere and non-zero for every example. */
export function checkGradientValues(gradientNorms: number[], nonFinite: number): SanityCheck {
  const zero = gradientNorms.filter((norm) => norm === 0).length;
  const passed = nonFinite === 0 && zero === 0 && gradientNorms.length > 0;
  return {
    name: 'input gradients are finite and non-zero',
    passed,
    detail: passed
      ? `${gradientNorms.length} examples, smallest ‖∇ₓL‖₂ ${Math.min(...gradientNorms).toExponential(2)}`
      : `${nonFinite} non-finite gradient entries, ${zero} of ${gradientNorms.length} examples with ∇ₓL = 0`,
  };
}

/**
 * Every gradient attack moved every image it did not break: none left a clean-correct image
 * at its starting point (see StallRecord). Fails with the attacks, radii and image counts.
 */
export function checkAttacksMoved(stalls: StallRecord[]): SanityCheck {
  const stalled = stalls.filter((record) => record.images > 0);
  return {
    name: 'gradient attacks moved every image they did not break',
    passed: stalled.length === 0,
    detail:
      stalled.length === 0
        ? `${stalls.length} (attack, ε) runs checked`
        : 'zero or lost gradients: ' +
          stalled
            .map(
              (r) =>
                `${r.attack} at ε = ${r.epsilon} left ${r.images} correctly classified image${r.images === 1 ? '' : 's'} where it started`,
            )
            .join('; '),
  };
}
