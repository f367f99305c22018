/*
 * The gradient of max pooling (NHWC): each output gradient goes to the input pixel that won its
 * window, the FIRST maximum in row-major window order, as tfjs' reference kernel decides ties
 * (common after a ReLU: an all-zero window sends its gradient to its top-left pixel). Windows
 * that overlap add up. A window of only NaN or -inf passes no gradient (tfjs' rule too).
 */
#ifndef RFW_POOL_H
#define RFW_POOL_H

typedef struct {
  int batch, in_h, in_w, channels;
  int out_h, out_w;
  int k_h, k_w;
  int stride_h, stride_w;
  int pad_top, pad_left;
} pool_geometry;

/* Returns 0, or -1 when the per-thread window buffers could not be allocated. */
int max_pool_backprop(const pool_geometry *g, const float *dy, const float *x, float *dx);

#endif
