#include "conv2d.h"

#include <cblas.h>
#include <string.h>

#include "parallel.h"
#include "scratch.h"
#include "winograd.h"

/*
 * The batch is cut into chunks ("tiles") of whole images whose im2col matrix holds about
 * CHUNK_FLOATS floats, and threads take whole tiles. Tiles depend on the geometry only, never on
 * the thread count, so every output float comes from the same GEMM call shapes whatever the
 * threads: a result does not change when a job is split over more or fewer workers (OpenBLAS'
 * rounding does depend on a call's row count). 256 KB keeps a tile's columns in the core's L2
 * between im2col writing them and the GEMM reading them, and gives threads enough tiles to
 * share evenly.
 */
#define CHUNK_FLOATS ((size_t)64 * 1024)

static size_t patch_size(const conv_geometry *g) { return (size_t)g->k_h * g->k_w * g->in_c; }
static size_t pixels_out(const conv_geometry *g) { return (size_t)g->out_h * g->out_w; }
static size_t pixels_in(const conv_geometry *g) { return (size_t)g->in_h * g->in_w; }

static int images_per_chunk(const conv_geometry *g) {
  size_t per_image = pixels_out(g) * patch_size(g);
  size_t n = CHUNK_FLOATS / (per_image == 0 ? 1 : per_image);
  if (n < 1) n = 1;
  if (n > (size_t)g->batch) n = g->batch > 0 ? (size_t)g->batch : 1;
  return (int)n;
}

/* A 1×1, stride-1, unpadded convolution's im2col matrix is the input itself. */
static int is_pointwise(const conv_geometry *g) {
  return g->k_h == 1 && g->k_w == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_top == 0 &&
         g->pad_left == 0 && g->out_h == g->in_h && g->out_w == g->in_w;
}

/*
 * With dilation 1, the kw taps of one kernel row read kw·cin CONSECUTIVE floats of an NHWC
 * image row, so where the whole span lies inside the image one copy moves it (kw× fewer, longer
 * copies: what makes im2col cheap for the 1- and 3-channel first layers).
 */
static int span_inside(const conv_geometry *g, int ix0) {
  return g->dil_w == 1 && ix0 >= 0 && ix0 + g->k_w <= g->in_w;
}

/* Writes the im2col rows of images [n0, n0 + count) into cols [count·oh·ow, K]. */
static void im2col(const conv_geometry *g, const float *x, int n0, int count, float *cols) {
  const size_t cin = (size_t)g->in_c;
  const size_t span = (size_t)g->k_w * cin;
  float *row = cols;
  for (int n = n0; n < n0 + count; n++) {
    const float *image = x + (size_t)n * pixels_in(g) * cin;
    for (int oy = 0; oy < g->out_h; oy++) {
      for (int ox = 0; ox < g->out_w; ox++) {
        const int ix0 = ox * g->stride_w - g->pad_left;
        for (int ky = 0; ky < g->k_h; ky++) {
          const int iy = oy * g->stride_h - g->pad_top + ky * g->dil_h;
          if (iy < 0 || iy >= g->in_h) {
            memset(row, 0, span * sizeof(float));
          } else if (span_inside(g, ix0)) {
            memcpy(row, image + ((size_t)iy * g->in_w + ix0) * cin, span * sizeof(float));
          } else {
            for (int kx = 0; kx < g->k_w; kx++) {
              const int ix = ix0 + kx * g->dil_w;
              float *tap = row + (size_t)kx * cin;
              if (ix < 0 || ix >= g->in_w) {
                memset(tap, 0, cin * sizeof(float));
              } else {
                memcpy(tap, image + ((size_t)iy * g->in_w + ix) * cin, cin * sizeof(float));
              }
            }
          }
          row += span;
        }
      }
    }
  }
}

/* The adjoint of im2col: adds each row of cols back onto the input pixels it was read from. */
static void col2im_add(const conv_geometry *g, const float *cols, int n0, int count, float *dx) {
  const size_t cin = (size_t)g->in_c;
  const size_t span = (size_t)g->k_w * cin;
  const float *row = cols;
  for (int n = n0; n < n0 + count; n++) {
    float *image = dx + (size_t)n * pixels_in(g) * cin;
    for (int oy = 0; oy < g->out_h; oy++) {
      for (int ox = 0; ox < g->out_w; ox++) {
        const int ix0 = ox * g->stride_w - g->pad_left;
        for (int ky = 0; ky < g->k_h; ky++) {
          const int iy = oy * g->stride_h - g->pad_top + ky * g->dil_h;
          if (iy >= 0 && iy < g->in_h) {
            float *pixels = image + ((size_t)iy * g->in_w + ix0) * cin;
            if (span_inside(g, ix0)) {
              for (size_t i = 0; i < span; i++) pixels[i] += row[i];
            } else {
              for (int kx = 0; kx < g->k_w; kx++) {
                const int ix = ix0 + kx * g->dil_w;
                if (ix < 0 || ix >= g->in_w) continue;
                float *pixel = image + ((size_t)iy * g->in_w + ix) * cin;
                const float *tap = row + (size_t)kx * cin;
                for (size_t c = 0; c < cin; c++) pixel[c] += tap[c];
              }
            }
          }
          row += span;
        }
      }
    }
  }
}

/* What every part of one kernel call shares; each part owns images [begin, end). */
typedef struct {
  const conv_geometry *g;
  const float *first, *second;
  float *out;
  float *scratch;       /* parts × chunk_floats im2col floats, then the filter partials */
  size_t chunk_floats;  /* im2col floats per part */
  int chunk;            /* images per chunk */
  int parts;            /* fixed by the calling thread: the thread setting is per thread */
  const conv_epilogue *epilogue; /* forward only; NULL for none */
} conv_call;

static float *part_cols(const conv_call *call, int part) {
  return call->scratch + (size_t)part * call->chunk_floats;
}

/* The im2col matrix of images [n0, n0 + count) in the part's buffer, or the input itself for a
 * pointwise convolution. */
static const float *tile_columns(const conv_call *c, int part, int n0, int count) {
  const conv_geometry *g = c->g;
  if (is_pointwise(g)) return c->first + (size_t)n0 * pixels_in(g) * g->in_c;
  im2col(g, c->first, n0, count, part_cols(c, part));
  return part_cols(c, part);
}

/* Tiles [first, last) as images [begin, end). */
static void tile_images(const conv_call *c, int first, int last, int *begin, int *end) {
  *begin = first * c->chunk;
  *end = last * c->chunk < c->g->batch ? last * c->chunk : c->g->batch;
}

static int tile_count(const conv_call *c) { return (c->g->batch + c->chunk - 1) / c->chunk; }

static void forward_part(void *context, int part, int first, int last) {
  const conv_call *c = context;
  const conv_geometry *g = c->g;
  const int K = (int)patch_size(g);
  int begin, end;
  tile_images(c, first, last, &begin, &end);
  for (int n0 = begin; n0 < end; n0 += c->chunk) {
    int count = end - n0 < c->chunk ? end - n0 : c->chunk;
    const float *cols = tile_columns(c, part, n0, count);
    const int rows = count * (int)pixels_out(g);
    float *y = c->out + (size_t)n0 * pixels_out(g) * g->out_c;
    const float *bias = c->epilogue == NULL ? NULL : c->epilogue->bias;
    if (bias != NULL) {
      for (int r = 0; r < rows; r++) memcpy(y + (size_t)r * g->out_c, bias, g->out_c * sizeof(float));
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, g->out_c, K, 1.0f, cols, K,
                c->second, g->out_c, bias != NULL ? 1.0f : 0.0f, y, g->out_c);
    if (c->epilogue != NULL && c->epilogue->relu) {
      /* tfjs' ReLU: negatives to 0, NaN kept */
      for (size_t i = 0; i < (size_t)rows * g->out_c; i++) y[i] = y[i] > 0.0f || y[i] != y[i] ? y[i] : 0.0f;
    }
  }
}

static void input_gradient_part(void *context, int part, int first, int last) {
  const conv_call *c = context;
  const conv_geometry *g = c->g;
  const int K = (int)patch_size(g);
  int begin, end;
  tile_images(c, first, last, &begin, &end);
  for (int n0 = begin; n0 < end; n0 += c->chunk) {
    int count = end - n0 < c->chunk ? end - n0 : c->chunk;
    const float *dy = c->first + (size_t)n0 * pixels_out(g) * g->out_c;
    float *dx = c->out + (size_t)n0 * pixels_in(g) * g->in_c;
    if (is_pointwise(g)) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, count * (int)pixels_out(g), K,
                  g->out_c, 1.0f, dy, g->out_c, c->second, g->out_c, 0.0f, dx, K);
      continue;
    }
    float *dcols = part_cols(c, part);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, count * (int)pixels_out(g), K, g->out_c,
                1.0f, dy, g->out_c, c->second, g->out_c, 0.0f, dcols, K);
    memset(dx, 0, (size_t)count * pixels_in(g) * g->in_c * sizeof(float));
    col2im_add(g, dcols, n0, count, c->out);
  }
}

/* Part 0 writes dw itself; part p > 0 its own partial, summed into dw after the join. */
static float *filter_target(const conv_call *c, int part) {
  if (part == 0) return c->out;
  size_t parts_cols = (size_t)c->parts * c->chunk_floats;
  return c->scratch + parts_cols + (size_t)(part - 1) * patch_size(c->g) * c->g->out_c;
}

/*
 * Each part sums its own tiles, and the parts are added in part order: dw's rounding therefore
 * depends on the thread count (unlike the other two kernels'); a training run is reproducible
 * on the same machine, where the count is the same every time.
 */
static void filter_gradient_part(void *context, int part, int first, int last) {
  const conv_call *c = context;
  const conv_geometry *g = c->g;
  const int K = (int)patch_size(g);
  int begin, end;
  tile_images(c, first, last, &begin, &end);
  float *dw = filter_target(c, part);
  for (int n0 = begin; n0 < end; n0 += c->chunk) {
    int count = end - n0 < c->chunk ? end - n0 : c->chunk;
    const float *cols = tile_columns(c, part, n0, count);
    /* β = 0 on the part's first chunk overwrites its target; later chunks accumulate. */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, g->out_c, count * (int)pixels_out(g),
                1.0f, cols, K, c->second + (size_t)n0 * pixels_out(g) * g->out_c, g->out_c,
                n0 == begin ? 0.0f : 1.0f, dw, g->out_c);
  }
}

/* Sets up the shared call (scratch for every part), or returns -1 when memory is exhausted. */
static int prepare(conv_call *call, const conv_geometry *g, const float *first,
                   const float *second, float *out, size_t extra_floats_per_part) {
  call->g = g;
  call->first = first;
  call->second = second;
  call->out = out;
  call->chunk = images_per_chunk(g);
  call->epilogue = NULL;
  const int parts = parallel_parts(tile_count(call));
  call->parts = parts;
  call->chunk_floats = is_pointwise(g) ? 0 : (size_t)call->chunk * pixels_out(g) * patch_size(g);
  size_t total = (size_t)parts * call->chunk_floats + (size_t)(parts - 1) * extra_floats_per_part;
  call->scratch = total == 0 ? NULL : scratch_floats(total);
  return total != 0 && call->scratch == NULL ? -1 : 0;
}

static _Thread_local int winograd_allowed = 1;

void conv2d_allow_winograd(int allow) { winograd_allowed = allow != 0; }

/* winograd.c is built for AVX2 + FMA on x86-64 (binding.gyp); elsewhere for the plain target. */
static int cpu_runs_winograd(void) {
#if defined(__x86_64__) && defined(__GNUC__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 1;
#endif
}

/* A 3×3 or 5×5, stride-1, undilated convolution padded by (k − 1)/2 on every side ('same'),
 * whose GEMMs [tiles, cin]·[cin, cout] have at least WINOGRAD_MIN_CHANNELS on both inner sides. */
#define WINOGRAD_MIN_CHANNELS 16
static int winograd_fits(const conv_geometry *g, int cin, int cout) {
  const int k = g->k_h;
  return winograd_allowed && (k == 3 || k == 5) && g->k_w == k && g->stride_h == 1 &&
         g->stride_w == 1 && g->dil_h == 1 && g->dil_w == 1 && g->pad_top == (k - 1) / 2 &&
         g->pad_left == (k - 1) / 2 && g->out_h == g->in_h && g->out_w == g->in_w &&
         cin >= WINOGRAD_MIN_CHANNELS && cout >= WINOGRAD_MIN_CHANNELS && cpu_runs_winograd();
}

conv_algorithm conv2d_forward_algorithm(const conv_geometry *g) {
  return winograd_fits(g, g->in_c, g->out_c) ? CONV_WINOGRAD : CONV_IM2COL;
}

/* The input gradient is a convolution of dy (out_c channels) into dx (in_c channels). */
conv_algorithm conv2d_input_gradient_algorithm(const conv_geometry *g) {
  return winograd_fits(g, g->out_c, g->in_c) ? CONV_WINOGRAD : CONV_IM2COL;
}

int conv2d_forward(const conv_geometry *g, const float *x, const float *w,
                   const conv_epilogue *epilogue, float *y) {
  if (conv2d_forward_algorithm(g) == CONV_WINOGRAD) return winograd_forward(g, x, w, epilogue, y);
  conv_call call;
  if (prepare(&call, g, x, w, y, 0) != 0) return -1;
  call.epilogue = epilogue;
  if (g->batch > 0) parallel_for(tile_count(&call), forward_part, &call);
  return 0;
}

int conv2d_backprop_input(const conv_geometry *g, const float *dy, const float *w, float *dx) {
  if (conv2d_input_gradient_algorithm(g) == CONV_WINOGRAD) return winograd_backprop_input(g, dy, w, dx);
  conv_call call;
  if (prepare(&call, g, dy, w, dx, 0) != 0) return -1;
  if (g->batch > 0) parallel_for(tile_count(&call), input_gradient_part, &call);
  return 0;
}

int conv2d_backprop_filter(const conv_geometry *g, const float *x, const float *dy, float *dw) {
  const size_t filter_floats = patch_size(g) * g->out_c;
  conv_call call;
  if (prepare(&call, g, x, dy, dw, filter_floats) != 0) return -1;
  if (g->batch == 0) {
    memset(dw, 0, filter_floats * sizeof(float));
    return 0;
  }
  int parts = parallel_for(tile_count(&call), filter_gradient_part, &call);
  for (int p = 1; p < parts; p++) {
    const float *partial = filter_target(&call, p);
    for (size_t i = 0; i < filter_floats; i++) dw[i] += partial[i];
  }
  return 0;
}
