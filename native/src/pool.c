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

/* Per-thread buffers, one entry per channel. */
typedef struct {
  float *best;   /* the largest value seen so far in the window */
  int *winner;   /* its tap index ky·kw + kx, or -1 */
} window_state;

/*
 * Finds each channel's winning tap in window (oy, ox): taps in row-major order, channels
 * innermost so the comparisons run over contiguous floats. Strictly greater: the first maximum
 * wins, and NaN or -inf never does.
 */
static void find_winners(const pool_geometry *g, const float *x, int oy, int ox,
                         window_state *s) {
  const int channels = g->channels;
  for (int c = 0; c < channels; c++) {
    s->best[c] = -INFINITY;
    s->winner[c] = -1;
  }
  for (int ky = 0; ky < g->k_h; ky++) {
    const int iy = oy * g->stride_h - g->pad_top + ky;
    if (iy < 0 || iy >= g->in_h) continue;
    for (int kx = 0; kx < g->k_w; kx++) {
      const int ix = ox * g->stride_w - g->pad_left + kx;
      if (ix < 0 || ix >= g->in_w) continue;
      const float *pixel = x + ((size_t)iy * g->in_w + ix) * channels;
      const int tap = ky * g->k_w + kx;
      for (int c = 0; c < channels; c++) {
        const int better = pixel[c] > s->best[c];
        s->best[c] = better ? pixel[c] : s->best[c];
        s->winner[c] = better ? tap : s->winner[c];
      }
    }
  }
}

static void backprop_image(const pool_geometry *g, const float *x, const float *dy, float *dx,
                           window_state *s) {
  const int channels = g->channels;
  const int tiling = tiles_exactly(g);
  if (!tiling) memset(dx, 0, (size_t)g->in_h * g->in_w * channels * sizeof(float));
  for (int oy = 0; oy < g->out_h; oy++) {
    for (int ox = 0; ox < g->out_w; ox++) {
      find_winners(g, x, oy, ox, s);
      const float *gradient = dy + ((size_t)oy * g->out_w + ox) * channels;
      for (int ky = 0; ky < g->k_h; ky++) {
        const int iy = oy * g->stride_h - g->pad_top + ky;
        if (iy < 0 || iy >= g->in_h) continue;
        for (int kx = 0; kx < g->k_w; kx++) {
          const int ix = ox * g->stride_w - g->pad_left + kx;
          if (ix < 0 || ix >= g->in_w) continue;
          float *pixel = dx + ((size_t)iy * g->in_w + ix) * channels;
          const int tap = ky * g->k_w + kx;
          if (tiling) {
            for (int c = 0; c < channels; c++) pixel[c] = s->winner[c] == tap ? gradient[c] : 0.0f;
          } else {
            /* overlapping windows: a pixel may win several, so add */
            for (int c = 0; c < channels; c++) pixel[c] += s->winner[c] == tap ? gradient[c] : 0.0f;
          }
        }
      }
    }
  }
}

static void backprop_part(void *context, int part, int begin, int end) {
  (void)part;
  pool_call *call = context;
  const pool_geometry *g = call->g;
  const size_t image_in = (size_t)g->in_h * g->in_w * g->channels;
  const size_t image_out = (size_t)g->out_h * g->out_w * g->channels;
  window_state s = {malloc(g->channels * sizeof(float)), malloc(g->channels * sizeof(int))};
  if (s.best == NULL || s.winner == NULL) {
    call->failed = 1;
  } else {
    for (int n = begin; n < end; n++) {
      backprop_image(g, call->x + n * image_in, call->dy + n * image_out, call->dx + n * image_in,
                     &s);
    }
  }
  free(s.best);
  free(s.winner);
}

int max_pool_backprop(const pool_geometry *g, const float *dy, const float *x, float *dx) {
  pool_call call = {g, dy, x, dx, 0};
  if (g->batch > 0) parallel_for(g->batch, backprop_part, &call);
  return call.failed ? -1 : 0;
}
