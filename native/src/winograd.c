#include "winograd.h"

#include <cblas.h>
#include <string.h>

#include "filter-cache.h"
#include "parallel.h"
#include "scratch.h"

/*
 * F(4×4, 3×3) (Lavin & Gray 2016): α = 6-pixel input tiles give 4×4 output tiles. The
 * interpolation points are 0, 1, −1, 1/2, −2 and ∞ rather than the usual 0, ±1, ±2, ∞: the same
 * count of operations with about 3× less rounding error (Barabasz et al. 2020, "Error analysis
 * and improving the accuracy of Winograd convolution for deep neural networks"; in a float32
 * simulation, max error 1.2e-5 against 4.0e-5 for outputs of σ 0.86 from 64 channels). Row-major
 *   Bᵀ = [1 −3/2  −2  3/2  1  0]   G = [  1       0      0   ]   Aᵀ = [1 1  1  1    1  0]
 *        [0  −1   1/2 5/2  1  0]       [ 1/3    1/3    1/3  ]        [0 1 −1  1/2 −2  0]
 *        [0   1  −5/2 1/2  1  0]       [−1/3    1/3   −1/3  ]        [0 1  1  1/4  4  0]
 *        [0  −2   −1   2   1  0]       [−16/15 −8/15  −4/15 ]        [0 1 −1  1/8 −8  1]
 *        [0  1/2  −1 −1/2  1  0]       [ 1/15  −2/15   4/15 ]
 *        [0   1  −3/2 −2  3/2 1]       [  0       0      1   ]
 * (Bᵀ and Aᵀ hold only multiples of 1/8, exact in float). The input and output transforms are
 * written out below (bt6, at6) over 8 channels at a time; the filter transform, once per call,
 * runs in double (transform_filter).
 */
#define ALPHA 6
#define POSITIONS (ALPHA * ALPHA)
/* The largest output tile (F(4×4, 3×3)) and filter (F(2×2, 5×5)). */
#define MAX_M 4
#define MAX_R 5

/*
 * F(2×2, 5×5) on the same points has the same α = 6 and the same Bᵀ: only G (6×5: row j is
 * (1, p_j, p_j², p_j³, p_j⁴)/N_j, N_j = Π_{l≠j}(p_j − p_l), and (0,0,0,0,1) for ∞) and Aᵀ (its first
 * two rows, with the ∞ column in the last: [1 1 1 1 1 0; 0 1 −1 1/2 −2 1]) change. In a float32
 * simulation (outputs of σ ≈ 1 from 32 channels) its max error was 3.6e-6, against 5.2e-6 for
 * the 3×3 variant here and 8.1e-6 for F(2×2, 5×5) on 0, ±1, ±2.
 */
static const double G3[ALPHA][MAX_R] = {{1, 0, 0},
                                        {1.0 / 3, 1.0 / 3, 1.0 / 3},
                                        {-1.0 / 3, 1.0 / 3, -1.0 / 3},
                                        {-16.0 / 15, -8.0 / 15, -4.0 / 15},
                                        {1.0 / 15, -2.0 / 15, 4.0 / 15},
                                        {0, 0, 1}};
static const double G5[ALPHA][MAX_R] = {
    {1, 0, 0, 0, 0},
    {1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3},
    {-1.0 / 3, 1.0 / 3, -1.0 / 3, 1.0 / 3, -1.0 / 3},
    {-16.0 / 15, -8.0 / 15, -4.0 / 15, -2.0 / 15, -1.0 / 15},
    {1.0 / 15, -2.0 / 15, 4.0 / 15, -8.0 / 15, 16.0 / 15},
    {0, 0, 0, 0, 1}};

/* One variant: output tiles of m×m, an r×r filter (α = m + r − 1 = 6), its G. */
typedef struct {
  int m, r;
  const double (*g)[MAX_R];
} winograd_variant;

static const winograd_variant F4x4_3x3 = {4, 3, G3};
static const winograd_variant F2x2_5x5 = {2, 5, G5};

/* Eight channels of one pixel: the transforms run on every channel at once (AVX2 where built
 * with it, see binding.gyp). Loads and stores go through memcpy: the data need not be aligned. */
typedef float v8 __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32))); /* lane masks: −1 true, 0 false */
#define LANES 8

static inline v8 load(const float *p, int lanes) {
  v8 v = {0};
  if (lanes == LANES) {
    memcpy(&v, p, sizeof v); /* one unaligned vector load */
  } else {
    memcpy(&v, p, (size_t)lanes * sizeof(float));
  }
  return v;
}

static inline void store(float *p, v8 v, int lanes) {
  if (lanes == LANES) {
    memcpy(p, &v, sizeof v);
  } else {
    memcpy(p, &v, (size_t)lanes * sizeof(float));
  }
}

/* The 1-D input transform r = Bᵀ d of six vectors p[0], p[s], …, p[5s], in place. */
static inline void bt6(v8 *p, int s) {
  const v8 d0 = p[0], d1 = p[s], d2 = p[2 * s], d3 = p[3 * s], d4 = p[4 * s], d5 = p[5 * s];
  const v8 d42 = d4 - d2, d31 = d3 - d1;
  p[0] = (d0 + d4) - 2.0f * d2 + 1.5f * d31;
  p[s] = (d4 - d1) + 0.5f * d2 + 2.5f * d3;
  p[2 * s] = (d4 + d1) - 2.5f * d2 + 0.5f * d3;
  p[3 * s] = d42 + 2.0f * d31;
  p[4 * s] = d42 - 0.5f * d31;
  p[5 * s] = (d1 + d5) - 2.0f * d3 + 1.5f * d42;
}

/* The 1-D output transform o = Aᵀ m of six vectors p[0], p[s], …, p[5s] into o[0], o[t], …, o[3t]. */
static inline void at6(const v8 *p, int s, v8 *o, int t) {
  const v8 a = p[s] + p[2 * s], b = p[s] - p[2 * s];
  o[0] = p[0] + a + p[3 * s] + p[4 * s];
  o[t] = b + 0.5f * p[3 * s] - 2.0f * p[4 * s];
  o[2 * t] = a + 0.25f * p[3 * s] + 4.0f * p[4 * s];
  o[3 * t] = b + 0.125f * p[3 * s] - 8.0f * p[4 * s] + p[5 * s];
}

/* F(2×2, 5×5)'s output transform o = Aᵀ m into o[0], o[t]: Aᵀ's first two rows, ∞ in the last. */
static inline void at2(const v8 *p, int s, v8 *o, int t) {
  o[0] = p[0] + (p[s] + p[2 * s]) + p[3 * s] + p[4 * s];
  o[t] = (p[s] - p[2 * s]) + 0.5f * p[3 * s] - 2.0f * p[4 * s] + p[5 * s];
}

/*
 * Floats of V and M together per block of tiles (768 KB: about a core's L2 here, so the GEMMs
 * read V and the output transform reads M while they are still cached). Measured on the CIFAR
 * layers at 48K, 96K, 192K, 384K and 768K floats: 192K–384K were fastest, 48K ~25% slower.
 */
#define BLOCK_FLOATS ((size_t)192 * 1024)

/*
 * One 'same' r×r convolution as the Winograd kernels see it: input [N, H, W, cin], filter
 * [r, r, cin, cout] (already rotated for the input gradient), output [N, H, W, cout].
 * Tiles are numbered image by image, row by row; block b is tiles [b·T, (b+1)·T). T and so every
 * GEMM's shape depend on the geometry alone: a result does not change with the thread count.
 */
typedef struct {
  const winograd_variant *v;
  int batch, h, w, cin, cout;
  int tiles_y, tiles_x;  /* tiles per image along each axis: ⌈H/m⌉, ⌈W/m⌉ */
  int tile_block;        /* T: tiles per GEMM block */
  int position_rows;     /* rows of each V_p and M_p: T when blocked, every tile when staged */
  const float *input;
  const float *u;        /* transformed filter [36, cin, cout] */
  const conv_epilogue *epilogue;
  float *output;
  float *scratch;        /* per part: V [36, T, cin], M [36, T, cout] */
  size_t part_floats;
} winograd_call;

static int total_tiles(const winograd_call *c) { return c->batch * c->tiles_y * c->tiles_x; }
static int block_count(const winograd_call *c) {
  return (total_tiles(c) + c->tile_block - 1) / c->tile_block;
}

/*
 * U_p [cin, cout] = (G g Gᵀ)_p for every (ci, co) pair: the filter [3, 3, cin, cout] holds pair q's
 * 3×3 kernel at g[k·pairs + q]. In double, rounded once: the filter is small, and its error
 * would reach every output. The pairs are the inner loop (contiguous in g and in U), in blocks
 * that keep the intermediate G·g in L1, so the products vectorize. With the pair as the outer
 * loop (reads and writes 4·pairs bytes apart) it was 5.8% of a W4 run's CPU time in perf, all of
 * it serial; now it no longer shows. The sums run in the same order either way.
 */
#define PAIR_BLOCK 128

typedef struct {
  const winograd_variant *v;
  const float *filter;
  size_t pairs;
  float *u;
} filter_transform_call;

/* Pair blocks [first, last) of the transform; blocks write disjoint columns of U. */
static void transform_filter_part(void *context, int part, int first, int last) {
  (void)part;
  const filter_transform_call *c = context;
  const winograd_variant *v = c->v;
  const size_t pairs = c->pairs;
  const int r = v->r;
  double half[ALPHA][MAX_R][PAIR_BLOCK];
  for (size_t q0 = (size_t)first * PAIR_BLOCK; q0 < pairs && q0 < (size_t)last * PAIR_BLOCK;
       q0 += PAIR_BLOCK) {
    const size_t count = pairs - q0 < PAIR_BLOCK ? pairs - q0 : PAIR_BLOCK;
    /* half[i][b] = Σ_a G[i][a] · g[a][b], summed from a = 0 up (one pass over the block per a). */
    for (int i = 0; i < ALPHA; i++) {
      for (int b = 0; b < r; b++) {
        double *out = half[i][b];
        const float *g0 = c->filter + (size_t)b * pairs + q0;
        for (size_t q = 0; q < count; q++) out[q] = v->g[i][0] * g0[q];
        for (int a = 1; a < r; a++) {
          const float *ga = c->filter + (size_t)(a * r + b) * pairs + q0;
          const double weight = v->g[i][a];
          for (size_t q = 0; q < count; q++) out[q] += weight * ga[q];
        }
      }
    }
    /* U[i][j] = Σ_b half[i][b] · G[j][b], rounded once. */
    for (int i = 0; i < ALPHA; i++) {
      for (int j = 0; j < ALPHA; j++) {
        float *out = c->u + (size_t)(i * ALPHA + j) * pairs + q0;
        for (size_t q = 0; q < count; q++) {
          double sum = half[i][0][q] * v->g[j][0];
          for (int b = 1; b < r; b++) sum += half[i][b][q] * v->g[j][b];
          out[q] = (float)sum;
        }
      }
    }
  }
}

/* Each pair's sums run in the same order whichever thread takes its block. */
static void transform_filter(const winograd_variant *v, const float *filter, size_t pairs,
                             float *u) {
  filter_transform_call c = {v, filter, pairs, u};
  parallel_for((int)((pairs + PAIR_BLOCK - 1) / PAIR_BLOCK), transform_filter_part, &c);
}

/*
 * The input gradient's filter: turned[kh][kw][ci][co] = filter[r−1−kh][r−1−kw][co][ci] (rotated
 * by 180° and its channel axes swapped), one (kh, kw, ci) row of cout floats per item.
 */
typedef struct {
  int r, cin, cout;
  const float *filter;
  float *turned;
} rotate_call;

static void rotate_part(void *context, int part, int first, int last) {
  (void)part;
  const rotate_call *c = context;
  const size_t pairs = (size_t)c->cin * c->cout;
  for (int row = first; row < last; row++) {
    const int k = row / c->cin, ci = row % c->cin;
    const int kh = k / c->r, kw = k % c->r;
    const float *src = c->filter + ((size_t)(c->r - 1 - kh) * c->r + (c->r - 1 - kw)) * pairs;
    float *dst = c->turned + (size_t)k * pairs + (size_t)ci * c->cout;
    for (int co = 0; co < c->cout; co++) dst[co] = src[(size_t)co * c->cin + ci];
  }
}

/* Where tile `tile` lies: image n, first output row y0 and column x0. */
static void tile_origin(const winograd_call *c, int tile, int *n, int *y0, int *x0) {
  const int per_image = c->tiles_y * c->tiles_x;
  *n = tile / per_image;
  *y0 = (tile % per_image) / c->tiles_x * c->v->m;
  *x0 = tile % c->tiles_x * c->v->m;
}

/*
 * Writes V [36, T, cin] for tiles [t0, t0 + count): V[p][t] = (Bᵀ d B)_p with d the tile's 6×6
 * input pixels from (y0 − 1, x0 − 1), zeros outside the image; 8 channels at a time, the last
 * group padded with zero lanes.
 */
static void transform_inputs(const winograd_call *c, int t0, int count, float *v) {
  const int cin = c->cin;
  const size_t position_stride = (size_t)c->position_rows * cin;
  v8 d[POSITIONS];
  for (int t = 0; t < count; t++) {
    int n, y0, x0;
    tile_origin(c, t0 + t, &n, &y0, &x0);
    /* 'same' pads (r − 1)/2 on every side: the tile starts that far up and left. */
    y0 -= (c->v->r - 1) / 2;
    x0 -= (c->v->r - 1) / 2;
    const float *image = c->input + (size_t)n * c->h * c->w * cin;
    const int inside = y0 >= 0 && x0 >= 0 && y0 + ALPHA <= c->h && x0 + ALPHA <= c->w;
    float *out = v + (size_t)t * cin;
    for (int c0 = 0; c0 < cin; c0 += LANES) {
      const int lanes = cin - c0 < LANES ? cin - c0 : LANES;
      for (int i = 0; i < ALPHA; i++) {
        for (int j = 0; j < ALPHA; j++) {
          const int y = y0 + i, x = x0 + j;
          const int here = inside || (y >= 0 && y < c->h && x >= 0 && x < c->w);
          d[i * ALPHA + j] =
              here ? load(image + ((size_t)y * c->w + x) * cin + c0, lanes) : (v8){0};
        }
      }
      for (int i = 0; i < ALPHA; i++) bt6(d + i * ALPHA, 1);  /* each row: d · B */
      for (int j = 0; j < ALPHA; j++) bt6(d + j, ALPHA);      /* each column: Bᵀ · (d B) */
      for (int p = 0; p < POSITIONS; p++) store(out + p * position_stride + c0, d[p], lanes);
    }
  }
}

/*
 * From M [36, T, cout] to the output pixels of tiles [t0, t0 + count): Y = Aᵀ M A per tile, then
 * the epilogue (bias, then tfjs' ReLU: negatives to 0, NaN kept), stored where the tile lies
 * inside the image.
 */
static void transform_outputs(const winograd_call *c, int t0, int count, const float *mm) {
  const int cout = c->cout;
  const size_t position_stride = (size_t)c->position_rows * cout;
  const float *bias = c->epilogue == NULL ? NULL : c->epilogue->bias;
  const int relu = c->epilogue != NULL && c->epilogue->relu;
  const int tile = c->v->m;
  v8 m[POSITIONS], half[MAX_M * ALPHA], y[MAX_M * MAX_M];
  for (int t = 0; t < count; t++) {
    int n, y0, x0;
    tile_origin(c, t0 + t, &n, &y0, &x0);
    float *image = c->output + (size_t)n * c->h * c->w * cout;
    const float *in = mm + (size_t)t * cout;
    const int rows = c->h - y0 < tile ? c->h - y0 : tile;
    const int cols = c->w - x0 < tile ? c->w - x0 : tile;
    for (int c0 = 0; c0 < cout; c0 += LANES) {
      const int lanes = cout - c0 < LANES ? cout - c0 : LANES;
      for (int p = 0; p < POSITIONS; p++) m[p] = load(in + p * position_stride + c0, lanes);
      if (tile == 4) {
        for (int j = 0; j < ALPHA; j++) at6(m + j, ALPHA, half + j, ALPHA);   /* Aᵀ · M */
        for (int r = 0; r < 4; r++) at6(half + r * ALPHA, 1, y + r * 4, 1); /* · A */
      } else {
        for (int j = 0; j < ALPHA; j++) at2(m + j, ALPHA, half + j, ALPHA);
        for (int r = 0; r < 2; r++) at2(half + r * ALPHA, 1, y + r * 2, 1);
      }
      const v8 b = bias == NULL ? (v8){0} : load(bias + c0, lanes);
      for (int r = 0; r < rows; r++) {
        for (int s = 0; s < cols; s++) {
          v8 value = y[r * tile + s];
          if (bias != NULL) value += b;
          if (relu) value = (v8)((v8i)value & ((value > 0.0f) | (value != value)));
          store(image + ((size_t)(y0 + r) * c->w + x0 + s) * cout + c0, value, lanes);
        }
      }
    }
  }
}

/* Blocked: each part transforms, multiplies and transforms back its own blocks of tiles. */
static void winograd_part(void *context, int part, int first, int last) {
  const winograd_call *c = context;
  const size_t block = (size_t)c->tile_block;
  float *v = c->scratch + (size_t)part * c->part_floats;
  float *mm = v + POSITIONS * block * c->cin;
  const int tiles = total_tiles(c);
  for (int b = first; b < last; b++) {
    const int t0 = b * c->tile_block;
    const int count = tiles - t0 < c->tile_block ? tiles - t0 : c->tile_block;
    transform_inputs(c, t0, count, v);
    for (size_t p = 0; p < POSITIONS; p++) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, count, c->cout, c->cin, 1.0f,
                  v + p * block * c->cin, c->cin, c->u + p * (size_t)c->cin * c->cout, c->cout,
                  0.0f, mm + p * block * c->cout, c->cout);
    }
    transform_outputs(c, t0, count, mm);
  }
}

/*
 * Staged, for the deep layers whose U is too large for a blocked call to reuse: when cin + cout
 * is large, a block that keeps V and M in L2 holds only a few tiles (5 for 512 → 512), so each
 * GEMM [5, cin]·[cin, cout] streams all of U_p from memory for a handful of rows, and the whole
 * U once per block. Here every tile's V is written first (one V_p [tiles, cin] per position),
 * then the GEMMs run per (position, block of T tiles), U_p read once per block of T rows, and
 * then every output tile is transformed back. Blocks depend on the geometry alone.
 */
static void staged_inputs_part(void *context, int part, int first, int last) {
  (void)part;
  const winograd_call *c = context;
  const int tiles = total_tiles(c);
  for (int b = first; b < last; b++) {
    const int t0 = b * c->tile_block;
    const int count = tiles - t0 < c->tile_block ? tiles - t0 : c->tile_block;
    transform_inputs(c, t0, count, c->scratch + (size_t)t0 * c->cin);
  }
}

static void staged_products_part(void *context, int part, int first, int last) {
  (void)part;
  const winograd_call *c = context;
  const int tiles = total_tiles(c), blocks = block_count(c);
  const size_t rows = (size_t)tiles;
  const float *v = c->scratch;
  float *mm = c->scratch + POSITIONS * rows * c->cin;
  for (int item = first; item < last; item++) {
    const size_t p = (size_t)(item / blocks);
    const int t0 = item % blocks * c->tile_block;
    const int count = tiles - t0 < c->tile_block ? tiles - t0 : c->tile_block;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, count, c->cout, c->cin, 1.0f,
                v + (p * rows + t0) * c->cin, c->cin, c->u + p * (size_t)c->cin * c->cout,
                c->cout, 0.0f, mm + (p * rows + t0) * c->cout, c->cout);
  }
}

static void staged_outputs_part(void *context, int part, int first, int last) {
  (void)part;
  const winograd_call *c = context;
  const int tiles = total_tiles(c);
  const float *mm = c->scratch + POSITIONS * (size_t)tiles * c->cin;
  for (int b = first; b < last; b++) {
    const int t0 = b * c->tile_block;
    const int count = tiles - t0 < c->tile_block ? tiles - t0 : c->tile_block;
    transform_outputs(c, t0, count, mm + (size_t)t0 * c->cout);
  }
}

/* A staged call's block: T rows per GEMM (at 64 rows, U_p is read once per 128 flops/float). */
#define STAGED_TILES 64
/* Staged only where a blocked call would get fewer tiles than this per block, */
#define STAGED_BELOW_TILES 16
/* and while every tile's V and M fit in this many floats (128 MB). */
#define STAGED_MAX_FLOATS ((size_t)32 << 20)

/* U for this filter: from the cache, or transformed now (into the cache where it fits). */
static const float *transformed_filter(const winograd_variant *v, int cin, int cout,
                                       const float *filter, int rotated, float *scratch_u,
                                       float *scratch_turned) {
  const size_t pairs = (size_t)cin * cout;
  const int r = v->r;
  const filter_key key = {filter, (size_t)(r * r) * pairs, r * 2 + rotated, cin, cout};
  const float *cached = filter_cache_find(&key);
  if (cached != NULL) return cached;
  float *u = filter_cache_insert(&key, POSITIONS * pairs);
  if (u == NULL) u = scratch_u;
  if (rotated) {
    rotate_call turn = {r, cin, cout, filter, scratch_turned};
    parallel_for(r * r * cin, rotate_part, &turn);
    filter = scratch_turned;
  }
  transform_filter(v, filter, pairs, u);
  return u;
}

/*
 * Runs one 'same' r×r convolution of input [N, H, W, cin] with filter [r, r, cin, cout], or,
 * `rotated`, with the filter read as w[r−1−a, r−1−b, co, ci] from a [r, r, cout, cin] array.
 */
static int run(const winograd_variant *v, int batch, int h, int w, int cin, int cout,
               const float *input, const float *filter, int rotated,
               const conv_epilogue *epilogue, float *output) {
  if (batch == 0) return 0;
  winograd_call c = {v, batch, h, w, cin, cout, 0, 0, 0, 0, input, NULL, epilogue, output, NULL, 0};
  c.tiles_y = (h + v->m - 1) / v->m;
  c.tiles_x = (w + v->m - 1) / v->m;
  const size_t tiles = (size_t)total_tiles(&c);
  /* T: a block's V and M together about BLOCK_FLOATS, and never more tiles than exist. */
  size_t block = BLOCK_FLOATS / (POSITIONS * (size_t)(cin + cout));
  if (block < 4) block = 4;
  const size_t staged_floats = POSITIONS * tiles * (size_t)(cin + cout);
  const int staged = block < STAGED_BELOW_TILES && staged_floats <= STAGED_MAX_FLOATS;
  if (staged) block = STAGED_TILES;
  if (block > tiles) block = tiles;
  c.tile_block = (int)block;
  c.position_rows = staged ? (int)tiles : (int)block;
  const size_t pairs = (size_t)cin * cout;
  const int parts = parallel_parts(block_count(&c));
  c.part_floats = POSITIONS * block * (size_t)(cin + cout);
  const int r = v->r;
  /* scratch: U [36, pairs] (when the cache has no room) | rotated filter [r²·pairs] | work */
  const size_t rotated_floats = rotated ? (size_t)(r * r) * pairs : 0;
  const size_t work_floats = staged ? staged_floats : parts * c.part_floats;
  float *scratch = scratch_floats(POSITIONS * pairs + rotated_floats + work_floats);
  if (scratch == NULL) return -1;
  c.scratch = scratch + POSITIONS * pairs + rotated_floats;
  c.u = transformed_filter(v, cin, cout, filter, rotated, scratch, scratch + POSITIONS * pairs);
  if (staged) {
    parallel_for(block_count(&c), staged_inputs_part, &c);
    parallel_for(POSITIONS * block_count(&c), staged_products_part, &c);
    parallel_for(block_count(&c), staged_outputs_part, &c);
  } else {
    parallel_for(block_count(&c), winograd_part, &c);
  }
  return 0;
}

/* The variant for the geometry's square filter (conv2d.c checks it is 3×3 or 5×5). */
static const winograd_variant *variant_for(const conv_geometry *g) {
  return g->k_h == 5 ? &F2x2_5x5 : &F4x4_3x3;
}

int winograd_forward(const conv_geometry *g, const float *x, const float *w,
                     const conv_epilogue *epilogue, float *y) {
  return run(variant_for(g), g->batch, g->in_h, g->in_w, g->in_c, g->out_c, x, w, 0, epilogue,
             y);
}

int winograd_backprop_input(const conv_geometry *g, const float *dy, const float *w, float *dx) {
  return run(variant_for(g), g->batch, g->out_h, g->out_w, g->out_c, g->in_c, dy, w, 1, NULL,
             dx);
}
