/*
 * Column sums of a row-major [rows, cols] matrix: out[c] = Σ_r x[r, c]. This is tfjs' Sum over
 * all leading axes of an NHWC tensor, the gradient of every bias (a [N,H,W,C] gradient summed to
 * [C]), which the wasm backend does as a transpose and then a sum, both on one thread.
 */
#ifndef RFW_REDUCE_H
#define RFW_REDUCE_H

/* Returns 0, or -1 when scratch memory for the per-tile partial sums could not be had. */
int sum_leading_axes(int rows, int cols, const float *x, float *out);

#endif
