/**
 * The best-so-far weights of a run with validation. The score is the robust validation accuracy
 * for adversarial training and the clean one for standard training; a strictly higher score
 * replaces the best, so on a tie the earlier epoch stays (fewer epochs, same validation score).
 */
import type { BestCheckpoint, WeightTensor } from '../engine-types';
import { copyWeights } from './training-checkpoint';

export function isBetter(score: number, best: BestCheckpoint | null): boolean {
  if (!Number.isFinite(score)) return false;
  return best === null || score > best.score;
}

export class BestCheckpointTracker {
  private current: BestCheckpoint | null;

  constructor(initial: BestCheckpoint | null = null) {
    this.current = initial;
  }

  get best(): BestCheckpoint | null {
    return this.current;
  }

  /**
   * Offers the weights after `epoch` (1-based) with their validation score; `weights` is only
   * called (and copied) when they become the best. Returns whether they did.
   */
  offer(
    epoch: number,
    score: number,
    testAccuracy: number,
    weights: () => WeightTensor[],
  ): boolean {
    if (!isBetter(score, this.current)) return false;
    this.current = { epoch, score, testAccuracy, weights: weights() };
    return true;
  }

  /** A copy safe to transfer (the tracker keeps its own). */
  snapshot(): BestCheckpoint | null {
    const best = this.current;
    return best === null ? null : { ...best, weights: copyWeights(best.weights) };
  }
}
