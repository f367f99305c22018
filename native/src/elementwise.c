#include "elementwise.h"

#include <math.h>

#include "parallel.h"

/* Elements per chunk: large enough to amortize a thread's start, small enough to share out. */
#define CHUNK ((size_t)32768)

typedef struct {
  int op;
  const float *a, *b;
  float *out;
  size_t n, b_length;
  float alpha;
} elementwise_call;

__attribute__((target_clones("avx2", "default"))) static void relu_range(const float *x,
                                                                          float *out, size_t n) {
  /* x > 0 ? x : 0, except that NaN stays NaN (a plain max would drop it). */
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0.0f ? x[i] : (x[i] != x[i] ? x[i] : 0.0f);
}

__attribute__((target_clones("avx2", "default"))) static void step_range(const float *x, float *out,
                                                                          size_t n, float alpha) {
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0.0f ? 1.0f : (x[i] != x[i] ? x[i] : alpha);
}

/*
 * The ReLU's gradient in one pass: out = dy · step(x), step(x) = 1 for x > 0, NaN for NaN, else 0
 * — the product tfjs' own Relu gradient forms from a Step and a Multiply kernel (two passes and
 * a temporary), so results are the same to the bit (0·∞ and 0·NaN included). x may be the
 * ReLU's input or its output: both are > 0 at the same places and NaN at the same places.
 */
__attribute__((target_clones("avx2", "default"))) static void relu_gradient_range(
    const float *dy, const float *x, float *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const float step = x[i] > 0.0f ? 1.0f : (x[i] != x[i] ? x[i] : 0.0f);
    out[i] = dy[i] * step;
  }
}

/*
 * out = a op b over `rows` rows of `cols` floats, b one row that repeats (cols = b_length):
 * cols = n is the same-shape case (one row), cols = 1 a scalar, anything between per channel.
 * One call per range, loops inside, so that a scalar or a 3-channel operand costs no call per
 * element or row.
 */
__attribute__((target_clones("avx2", "default"))) static void rows_range(
    int op, const float *a, const float *b, float *out, size_t rows, size_t cols) {
  if (cols == 1) {
    const float scalar = b[0];
    if (op == BINARY_ADD) {
      for (size_t i = 0; i < rows; i++) out[i] = a[i] + scalar;
    } else {
      for (size_t i = 0; i < rows; i++) out[i] = a[i] * scalar;
    }
    return;
  }
  for (size_t r = 0; r < rows; r++) {
    const float *ar = a + r * cols;
    float *outr = out + r * cols;
    if (op == BINARY_ADD) {
      for (size_t c = 0; c < cols; c++) outr[c] = ar[c] + b[c];
    } else {
      for (size_t c = 0; c < cols; c++) outr[c] = ar[c] * b[c];
    }
  }
}

/* Binary chunks are whole rows of b_length, about CHUNK floats each. */
static size_t rows_per_chunk(const elementwise_call *c) {
  size_t rows = CHUNK / c->b_length;
  return rows < 1 ? 1 : rows;
}

static void binary_chunks(void *context, int part, int first, int last) {
  (void)part;
  const elementwise_call *c = context;
  const size_t total_rows = c->n / c->b_length;
  const size_t per_chunk = rows_per_chunk(c);
  const size_t begin = (size_t)first * per_chunk;
  const size_t end = (size_t)last * per_chunk < total_rows ? (size_t)last * per_chunk : total_rows;
  const size_t offset = begin * c->b_length;
  rows_range(c->op, c->a + offset, c->b, c->out + offset, end - begin, c->b_length);
}

/* Same shapes: element chunks, each one "row" as long as the chunk. */
static void same_shape_chunks(void *context, int part, int first, int last) {
  (void)part;
  const elementwise_call *c = context;
  const size_t begin = (size_t)first * CHUNK;
  const size_t end = (size_t)last * CHUNK < c->n ? (size_t)last * CHUNK : c->n;
  rows_range(c->op, c->a + begin, c->b + begin, c->out + begin, 1, end - begin);
}

static void unary_chunks(void *context, int part, int first, int last) {
  (void)part;
  const elementwise_call *c = context;
  const size_t begin = (size_t)first * CHUNK;
  const size_t end = (size_t)last * CHUNK < c->n ? (size_t)last * CHUNK : c->n;
  if (c->op == UNARY_RELU) {
    relu_range(c->a + begin, c->out + begin, end - begin);
  } else {
    step_range(c->a + begin, c->out + begin, end - begin, c->alpha);
  }
}

static void relu_gradient_chunks(void *context, int part, int first, int last) {
  (void)part;
  const elementwise_call *c = context;
  const size_t begin = (size_t)first * CHUNK;
  const size_t end = (size_t)last * CHUNK < c->n ? (size_t)last * CHUNK : c->n;
  relu_gradient_range(c->a + begin, c->b + begin, c->out + begin, end - begin);
}

static int chunk_count(size_t n) { return (int)((n + CHUNK - 1) / CHUNK); }

void unary(unary_op op, const float *x, float *out, size_t n, float alpha) {
  elementwise_call call = {(int)op, x, NULL, out, n, 0, alpha};
  if (n > 0) parallel_for(chunk_count(n), unary_chunks, &call);
}

void binary(binary_op op, const float *a, const float *b, float *out, size_t n, size_t b_length) {
  elementwise_call call = {(int)op, a, b, out, n, b_length, 0.0f};
  if (n == 0 || b_length == 0) return;
  if (b_length == n) {
    parallel_for(chunk_count(n), same_shape_chunks, &call);
    return;
  }
  /* A scalar is a "row" of one float: its chunks are CHUNK rows long. */
  const size_t chunks = (n / b_length + rows_per_chunk(&call) - 1) / rows_per_chunk(&call);
  parallel_for((int)chunks, binary_chunks, &call);
}

void relu_gradient(const float *dy, const float *x, float *out, size_t n) {
  elementwise_call call = {0, dy, x, out, n, n, 0.0f};
  if (n > 0) parallel_for(chunk_count(n), relu_gradient_chunks, &call);
}
