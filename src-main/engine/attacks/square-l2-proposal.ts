/**
 * The L2 Square attack's steps (Andriushchenko et al. 2020, Algorithm 3 and §3.2), per image,
 * with δ = x̂ − x the current perturbation (after clipping, so ‖δ‖₂ ≤ ε), per channel c of C:
 *
 *   start:    tiles of side t = ⌊min(H, W)/5⌋ (at least 1) on a grid centred in the image, each
 *             holding a meta-pattern (square-pattern.ts) with a random sign per channel;
 *             x̂ = clip(x + δ₀ · ε/‖δ₀‖₂)
 *   propose:  s = squareSideL2(p) (square-schedule.ts); two random s×s windows W₁ and W₂;
 *             ν_c  = ‖δ_c on W₁‖₂                       (mass of window 1)
 *             μ_c² = ‖δ_c on W₁ ∪ W₂‖₂²                 (mass of both windows, to be moved)
 *             r²   = max(ε² − ‖δ‖₂², 0)                 (budget lost to clipping, given back)
 *             u_c  = σ_c · η + δ_c|W₁ / (ν_c + 10⁻¹⁰)   (η: a fresh meta-pattern, σ_c = ±1)
 *             δ'   = δ with W₂ set to 0, then W₁ set to u_c / ‖u_c‖₂ · √(r²/C + μ_c²)
 *             x'   = clip(x + δ' · ε/‖δ'‖₂)
 * Moving the windows' mass instead of adding to it keeps ‖δ'‖₂² = ‖δ‖₂² − Σ_c μ_c² + Σ_c
 * (r²/C + μ_c²) = max(‖δ‖₂², ε²) = ε²: every candidate lies on the ε-sphere before clipping,
 * and clipping to [0,1] only shrinks |δ_i| (x ∈ [0,1]), so ‖x' − x‖₂ ≤ ε.
 *
 * Draws per call, in order: start — per tile, the pattern's transpose then C signs; propose —
 * W₁'s top and left, W₂'s top and left, the pattern's transpose, C signs. Where u_c cancels to 0
 * (a new pattern exactly undoing the old window), the fresh pattern alone is used; the reference
 * code would produce NaN there.
 */
import { metaPattern } from './square-pattern';
import { squareSideL2 } from './square-schedule';
import { clip, randomSign, type SquareProposalFactory } from './square-proposal';

/** Guards ν_c = 0 (an empty window), as in the paper's code. */
const WINDOW_FLOOR = 1e-10;

export const l2Proposal: SquareProposalFactory = (geometry, epsilon, random) => {
  const { height: h, width: w, channels: c } = geometry;
  const delta = new Float64Array(h * w * c);
  const index = (row: number, col: number, ch: number): number => (row * w + col) * c + ch;

  /** out = clip(x + δ · ε/‖δ‖₂); x itself when δ = 0. */
  const writePoint = (x: Float32Array, out: Float32Array): void => {
    let sumOfSquares = 0;
    for (const value of delta) sumOfSquares += value * value;
    const scale = sumOfSquares > 0 ? epsilon / Math.sqrt(sumOfSquares) : 0;
    for (let i = 0; i < delta.length; i++) out[i] = clip((x[i] ?? 0) + (delta[i] ?? 0) * scale);
  };

  return {
    start(x, out) {
      const tile = Math.max(1, Math.floor(Math.min(h, w) / 5));
      const rows = Math.floor(h / tile);
      const cols = Math.floor(w / tile);
      const top = Math.floor((h - rows * tile) / 2);
      const left = Math.floor((w - cols * tile) / 2);
      delta.fill(0);
      for (let tileRow = 0; tileRow < rows; tileRow++) {
        for (let tileCol = 0; tileCol < cols; tileCol++) {
          const pattern = metaPattern(tile, random() < 0.5);
          for (let ch = 0; ch < c; ch++) {
            const sign = randomSign(random);
            for (let i = 0; i < tile; i++) {
              for (let j = 0; j < tile; j++) {
                delta[index(top + tileRow * tile + i, left + tileCol * tile + j, ch)] =
                  sign * (pattern[i * tile + j] ?? 0);
              }
            }
          }
        }
      }
      writePoint(x, out);
    },

    propose(x, best, fraction, out) {
      const side = squareSideL2(fraction, h, w);
      const top1 = Math.floor(random() * (h - side));
      const left1 = Math.floor(random() * (w - side));
      const top2 = Math.floor(random() * (h - side));
      const left2 = Math.floor(random() * (w - side));
      const inWindow1 = (row: number, col: number): boolean =>
        row >= top1 && row < top1 + side && col >= left1 && col < left1 + side;

      let total = 0;
      for (let i = 0; i < delta.length; i++) {
        const value = (best[i] ?? 0) - (x[i] ?? 0);
        delta[i] = value;
        total += value * value;
      }
      // ν_c² over W₁, μ_c² over W₁ ∪ W₂ (W₂'s pixels outside W₁ added once).
      const window1 = new Float64Array(c);
      const union = new Float64Array(c);
      for (let row = top1; row < top1 + side; row++) {
        for (let col = left1; col < left1 + side; col++) {
          for (let ch = 0; ch < c; ch++) {
            const square = (delta[index(row, col, ch)] ?? 0) ** 2;
            window1[ch] = (window1[ch] ?? 0) + square;
            union[ch] = (union[ch] ?? 0) + square;
          }
        }
      }
      for (let row = top2; row < top2 + side; row++) {
        for (let col = left2; col < left2 + side; col++) {
          if (inWindow1(row, col)) continue;
          for (let ch = 0; ch < c; ch++) {
            union[ch] = (union[ch] ?? 0) + (delta[index(row, col, ch)] ?? 0) ** 2;
          }
        }
      }

      const pattern = metaPattern(side, random() < 0.5);
      const signs = Array.from({ length: c }, () => randomSign(random));
      const leftover = Math.max(epsilon * epsilon - total, 0);
      // u[(i·s + j)·C + ch], the new content of W₁.
      const update = new Float64Array(side * side * c);
      for (let ch = 0; ch < c; ch++) {
        const oldNorm = Math.sqrt(window1[ch] ?? 0) + WINDOW_FLOOR;
        const sign = signs[ch] ?? 1;
        let updateSquares = 0;
        for (let i = 0; i < side; i++) {
          for (let j = 0; j < side; j++) {
            const value =
              sign * (pattern[i * side + j] ?? 0) +
              (delta[index(top1 + i, left1 + j, ch)] ?? 0) / oldNorm;
            update[(i * side + j) * c + ch] = value;
            updateSquares += value * value;
          }
        }
        const target = Math.sqrt(leftover / c + (union[ch] ?? 0));
        const cancelled = updateSquares < 1e-20;
        // ‖η‖₂ = 1, so the fresh pattern alone needs no normalization.
        const scale = cancelled ? target : target / Math.sqrt(updateSquares);
        for (let k = 0; k < side * side; k++) {
          const at = k * c + ch;
          const value = cancelled ? sign * (pattern[k] ?? 0) : (update[at] ?? 0);
          update[at] = value * scale;
        }
      }
      for (let row = top2; row < top2 + side; row++) {
        for (let col = left2; col < left2 + side; col++) {
          for (let ch = 0; ch < c; ch++) delta[index(row, col, ch)] = 0;
        }
      }
      for (let i = 0; i < side; i++) {
        for (let j = 0; j < side; j++) {
          for (let ch = 0; ch < c; ch++) {
            delta[index(top1 + i, left1 + j, ch)] = update[(i * side + j) * c + ch] ?? 0;
          }
        }
      }
      writePoint(x, out);
    },
  };
};
