/**
 * The standard normal distribution: its CDF Φ (for closed-form accuracies) and a seeded sampler
 * (for the simulations that check them).
 */
import { mulberry32 } from '../random/seeded-random';

/**
 * erfc(x) by the Chebyshev-fitted formula of Numerical Recipes (2nd ed., §6.2, erfcc):
 * fractional error below 1.2·10⁻⁷ for every x, tails included.
 */
export function complementaryErrorFunction(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const polynomial =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(-z * z + polynomial);
  return x >= 0 ? tail : 2 - tail;
}

/** Φ(x) = P(N(0,1) ≤ x) = ½·erfc(−x/√2). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * complementaryErrorFunction(-x / Math.SQRT2);
}

/**
 * N(0,1) draws from a seeded mulberry32 stream by the Box–Muller transform: from u₁ ∈ (0,1],
 * u₂ ∈ [0,1), r = √(−2 ln u₁) gives the independent pair r·cos 2πu₂, r·sin 2πu₂ (returned one
 * after the other).
 */
export function standardNormalSampler(seed: number): () => number {
  const random = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
