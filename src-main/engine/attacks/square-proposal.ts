/**
 * What the Square attack's random search (square-attack.ts) asks of a norm: a starting point and
 * a candidate step, per example, on plain arrays. One image is H·W·C floats in NHWC order,
 * index (row·W + col)·C + channel; x and every point written are in [0,1] and in the ε-ball.
 */
import type { RandomSource } from '../random/seeded-random';

export interface ImageGeometry {
  height: number;
  width: number;
  channels: number;
}

export interface SquareProposal {
  /** Writes the starting point x̂₀ of one image (x: its clean pixels) into `out`. */
  start(x: Float32Array, out: Float32Array): void;
  /**
   * Writes a candidate x' for one image into `out`, from its clean pixels x and its current
   * best point x̂, with squares covering the fraction p of the image (square-schedule.ts).
   */
  propose(x: Float32Array, best: Float32Array, fraction: number, out: Float32Array): void;
}

/** A norm's proposal for images of one geometry, ε > 0, drawing from `random`. */
export type SquareProposalFactory = (
  geometry: ImageGeometry,
  epsilon: number,
  random: RandomSource,
) => SquareProposal;

export const clip = (value: number): number => Math.min(1, Math.max(0, value));

/** ±1 with probability ½ each. */
export const randomSign = (random: RandomSource): number => (random() < 0.5 ? -1 : 1);
