/**
 * Pure index arithmetic for rewriting the two convolution gradients as forward convolutions.
 * Written for one spatial axis; the kernels apply it to height and width separately.
 *
 * Forward conv along one axis (correlation, dilation 1):
 *   y[o] = Σ_k xPadded[o·s + k] · w[k],   xPadded[i + padBefore] = x[i],   o = 0..outSize-1.
 */

export interface AxisConv {
  /** Input length H. */
  inSize: number;
  /** Output length H' of the forward convolution. */
  outSize: number;
  /** Filter length K. */
  filterSize: number;
  stride: number;
  /** Zero padding before/after the input, as the forward conv applied it. */
  padBefore: number;
  padAfter: number;
}

/** Pad (positive) or crop (negative amounts turned into crops) one axis before a convolution. */
export interface AxisPadCrop {
  padBefore: number;
  padAfter: number;
  cropBefore: number;
  cropAfter: number;
}

function splitPadCrop(before: number, after: number): AxisPadCrop {
  return {
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, after),
    cropBefore: Math.max(0, -before),
    cropAfter: Math.max(0, -after),
  };
}

/**
 * Input gradient: dx[i] = Σ_{o,k : o·s + k = i + padBefore} dy[o] · w[k].
 * Insert s−1 zeros after every dy element (dyd[o·s] = dy[o], length H'·s including s−1 trailing
 * zeros) and rotate the filter (wr[j] = w[K−1−j]); then
 *   dx[i] = Σ_j dydPadded[i + j] · wr[j]  with dydPadded = (K−1−padBefore zeros) ++ dyd ++ tail,
 * a stride-1 forward convolution. The tail length makes the output exactly H long:
 *   H = front + H'·s + tail − K + 1  ⇒  tail = H − H'·s + padBefore.
 * Negative amounts (large explicit padding, or zero rows that are never needed) become crops.
 */
export function inputGradientAxis(axis: AxisConv): AxisPadCrop {
  const front = axis.filterSize - 1 - axis.padBefore;
  const dilatedLength = axis.outSize * axis.stride;
  const tail = axis.inSize - dilatedLength + axis.padBefore;
  return splitPadCrop(front, tail);
}

/**
 * Filter gradient: dw[k] = Σ_{n,o} xPadded[n, o·s + k] · dy[n, o].
 * With the batch as channels this is a forward conv of xPadded by dy used as a filter of length
 * H' dilated by s: its output length is H + padBefore + padAfter − (H'−1)·s ≥ K. The first K
 * outputs are the gradient; `excess` more (at most s−1) come from rows the forward conv never
 * reached and are sliced off.
 */
export function filterGradientExcess(axis: AxisConv): number {
  const outLength = axis.inSize + axis.padBefore + axis.padAfter - (axis.outSize - 1) * axis.stride;
  const excess = outLength - axis.filterSize;
  if (excess < 0) {
    throw new Error(
      `conv geometry error: filter-gradient length ${outLength} < filter ${axis.filterSize}`,
    );
  }
  return excess;
}
