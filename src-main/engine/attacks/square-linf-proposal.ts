/**
 * The L∞ Square attack's steps (Andriushchenko et al. 2020, Algorithm 2), per image:
 *
 *   start:    x̂ = clip(x + δ), δ vertical stripes: each column and channel ±ε at random
 *   propose:  s = squareSide(p) (square-schedule.ts), a random s×s window;
 *             x' = x̂ outside it, clip(x ± ε) inside, one sign per channel, redrawn until x'
 *             differs from x̂ somewhere in the window (an unchanged window would waste a query)
 * Every point is clip(x + δ) with δ ∈ {−ε, ε}^d, so ‖x' − x‖∞ ≤ ε and x' ∈ [0,1]^d.
 */
import { squareSide } from './square-schedule';
import { clip, randomSign, type SquareProposalFactory } from './square-proposal';

/** Redraws of a window before giving up on changing it (reachable only where clipping hides ±ε). */
const MAX_REDRAWS = 1000;

export const linfProposal: SquareProposalFactory = (geometry, epsilon, random) => {
  const { height: h, width: w, channels: c } = geometry;
  return {
    start(x, out) {
      for (let col = 0; col < w; col++) {
        for (let ch = 0; ch < c; ch++) {
          const value = randomSign(random) * epsilon;
          for (let row = 0; row < h; row++) {
            const i = (row * w + col) * c + ch;
            out[i] = clip((x[i] ?? 0) + value);
          }
        }
      }
    },
    propose(x, best, fraction, out) {
      const side = squareSide(fraction, h, w);
      const top = Math.floor(random() * (h - side));
      const left = Math.floor(random() * (w - side));
      out.set(best);
      for (let redraw = 0; redraw < MAX_REDRAWS; redraw++) {
        const values = Array.from({ length: c }, () => randomSign(random) * epsilon);
        let changes = false;
        for (let row = top; row < top + side; row++) {
          for (let col = left; col < left + side; col++) {
            for (let ch = 0; ch < c; ch++) {
              const i = (row * w + col) * c + ch;
              const moved = clip((x[i] ?? 0) + (values[ch] ?? 0));
              if (Math.abs(moved - (best[i] ?? 0)) >= 1e-7) changes = true;
              out[i] = moved;
            }
          }
        }
        if (changes) break;
      }
    },
  };
};
