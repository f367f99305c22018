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
 * Windows that tile the input exactly (stride = window, no padding, no remainder: 2×2/2 on even
 * sizes, as in every model here) cover each input pixel once, so dx can be written in one pass,
 * winner ← dy and the rest ← 0, instead of zeroing all of dx and scattering into it.
 */
static int tiles_exactly(const pool_geometry *g) {
  return g->stride_h == g->k_h && g->stride_w == g->k_w && g->pad_top == 0 && g->pad_left == 0 &&
         g->in_h == g->out_h * g->k_h && g->in_w == g->out_w * g->k_w;
}

/* Writes a tiling window's pixels of dx: the winner's channels get dy, all others 0. */
static void write_window(const pool_geometry *g, int oy, int ox, const long *winner,
                         const float *gradient, float *dx) {
  const size_t channels = (size_t)g->channels;
  for (int ky = 0; ky < g->k_h; ky++) {
    for (int kx = 0; kx < g->k_w; kx++) {
      long offset = ((long)(oy * g->k_h + ky) * g->in_w + (ox * g->k_w + kx)) * (long)channels;
      float *pixel = dx + offset;
      for (size_t c = 0; c < channels; c++) {
        pixel[c] = winner[c] == offset + (long)c ? gradient[c] : 0.0f;
      }
    }
  }
}

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
    const int tiling = tiles_exactly(g);
    if (!tiling) memset(dx, 0, image_in * sizeof(float));
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
        if (tiling) {
          write_window(g, oy, ox, winner, gradient, dx);
          continue;
        }
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
