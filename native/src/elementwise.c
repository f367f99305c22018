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

__attribute__((target_clones("avx2", "default"))) static void same_shape_range(
    int op, const float *a, const float *b, float *out, size_t n) {
  if (op == BINARY_ADD) {
    for (size_t i = 0; i < n; i++) out[i] = a[i] + b[i];
  } else {
    for (size_t i = 0; i < n; i++) out[i] = a[i] * b[i];
  }
}

/* Chunks start at multiples of CHUNK; a per-channel b restarts at each row of b_length. */
static void binary_range(const elementwise_call *c, size_t begin, size_t end) {
  if (c->b_length == c->n) {
    same_shape_range(c->op, c->a + begin, c->b + begin, c->out + begin, end - begin);
    return;
  }
  size_t i = begin;
  while (i < end) {
    const size_t channel = i % c->b_length;
    size_t run = c->b_length - channel;
    if (run > end - i) run = end - i;
    same_shape_range(c->op, c->a + i, c->b + channel, c->out + i, run);
    i += run;
  }
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

static void binary_chunks(void *context, int part, int first, int last) {
  (void)part;
  const elementwise_call *c = context;
  const size_t end = (size_t)last * CHUNK < c->n ? (size_t)last * CHUNK : c->n;
  binary_range(c, (size_t)first * CHUNK, end);
}

static int chunk_count(size_t n) { return (int)((n + CHUNK - 1) / CHUNK); }

void unary(unary_op op, const float *x, float *out, size_t n, float alpha) {
  elementwise_call call = {(int)op, x, NULL, out, n, 0, alpha};
  if (n > 0) parallel_for(chunk_count(n), unary_chunks, &call);
}

void binary(binary_op op, const float *a, const float *b, float *out, size_t n, size_t b_length) {
  elementwise_call call = {(int)op, a, b, out, n, b_length, 0.0f};
  if (n > 0 && b_length > 0) parallel_for(chunk_count(n), binary_chunks, &call);
}
