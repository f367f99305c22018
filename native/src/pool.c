#include "pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"

typedef struct {
  const pool_geometry *g;
  const float *dy, *x;
  float *dx;
  int failed;
} pool_call;

/*
 * Zero dx, then add each window's gradient at its winner. Measured against a one-pass variant
 * that writes every pixel (winner ← dy, others ← 0) for tiling windows: this one is ~35% faster
 * (W1's 128×28×28×32 layer, 2 threads: 8.1–8.5 ms vs 13.0 ms), the sparse scatter being
 * cheaper than a conditional write of every float.
 */
static void backprop_part(void *context, int part, int begin, int end) {
  (void)part;
  pool_call *call = context;
  const pool_geometry *g = call->g;
  const size_t channels = (size_t)g->channels;
  const size_t image_in = (size_t)g->in_h * g->in_w * channels;
  const size_t image_out = (size_t)g->out_h * g->out_w * channels;
  /* Per channel: the best value so far and the offset (in the image) of its pixel. */
  float *best = malloc(channels * sizeof(float));
  long *winner = malloc(channels * sizeof(long));
  if (best == NULL || winner == NULL) {
    call->failed = 1;
    free(best);
    free(winner);
    return;
  }
  for (int n = begin; n < end; n++) {
    const float *x = call->x + (size_t)n * image_in;
    const float *dy = call->dy + (size_t)n * image_out;
    float *dx = call->dx + (size_t)n * image_in;
    memset(dx, 0, image_in * sizeof(float));
    for (int oy = 0; oy < g->out_h; oy++) {
      for (int ox = 0; ox < g->out_w; ox++) {
        for (size_t c = 0; c < channels; c++) {
          best[c] = -INFINITY;
          winner[c] = -1;
        }
        for (int ky = 0; ky < g->k_h; ky++) {
          int iy = oy * g->stride_h - g->pad_top + ky;
          if (iy < 0 || iy >= g->in_h) continue;
          for (int kx = 0; kx < g->k_w; kx++) {
            int ix = ox * g->stride_w - g->pad_left + kx;
            if (ix < 0 || ix >= g->in_w) continue;
            long offset = ((long)iy * g->in_w + ix) * (long)channels;
            const float *pixel = x + offset;
            for (size_t c = 0; c < channels; c++) {
              /* Strictly greater: the first maximum wins, and NaN or -inf never does. */
              if (pixel[c] > best[c]) {
                best[c] = pixel[c];
                winner[c] = offset + (long)c;
              }
            }
          }
        }
        const float *gradient = dy + ((size_t)oy * g->out_w + ox) * channels;
        for (size_t c = 0; c < channels; c++) {
          if (winner[c] >= 0) dx[winner[c]] += gradient[c];
        }
      }
    }
  }
  free(best);
  free(winner);
}

int max_pool_backprop(const pool_geometry *g, const float *dy, const float *x, float *dx) {
  pool_call call = {g, dy, x, dx, 0};
  if (g->batch > 0) parallel_for(g->batch, backprop_part, &call);
  return call.failed ? -1 : 0;
}
