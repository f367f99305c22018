#include "matmul.h"

#include <cblas.h>

#include "parallel.h"

/*
 * One product out = op(a)·op(b) of m×n, cut along the longer of its two output dimensions into
 * blocks of BLOCK rows (or columns) that threads take whole: rows i0..i1 of op(a) start at
 * a + i0·(transposed ? 1 : lda), columns j0..j1 of op(b) at b + j0·(transposed ? ldb : 1), and
 * each block writes its own part of out. Blocks depend on the shape only, so the result is the
 * same for any thread count (see conv2d.c on why that matters).
 */
#define BLOCK 128
typedef struct {
  const float *a, *b;
  float *out;
  int m, n, k, lda, ldb, ldc;
  int transpose_a, transpose_b;
  int split_rows;
} product;

static void product_rows_or_columns(const product *p, int begin, int end) {
  const CBLAS_TRANSPOSE op_a = p->transpose_a ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE op_b = p->transpose_b ? CblasTrans : CblasNoTrans;
  if (p->split_rows) {
    const float *a = p->a + (size_t)begin * (p->transpose_a ? 1 : (size_t)p->lda);
    cblas_sgemm(CblasRowMajor, op_a, op_b, end - begin, p->n, p->k, 1.0f, a, p->lda, p->b, p->ldb,
                0.0f, p->out + (size_t)begin * p->ldc, p->ldc);
  } else {
    const float *b = p->b + (size_t)begin * (p->transpose_b ? (size_t)p->ldb : 1);
    cblas_sgemm(CblasRowMajor, op_a, op_b, p->m, end - begin, p->k, 1.0f, p->a, p->lda, b, p->ldb,
                0.0f, p->out + begin, p->ldc);
  }
}

/* Blocks [first, last), one GEMM call each (never merged: see above). */
static void product_blocks(void *context, int part, int first, int last) {
  (void)part;
  const product *p = context;
  const int extent = p->split_rows ? p->m : p->n;
  for (int block = first; block < last; block++) {
    int end = (block + 1) * BLOCK;
    product_rows_or_columns(p, block * BLOCK, end < extent ? end : extent);
  }
}

static int block_count(const product *p) {
  return ((p->split_rows ? p->m : p->n) + BLOCK - 1) / BLOCK;
}

static void parallel_product(product *p) {
  p->split_rows = p->m >= p->n;
  parallel_for(block_count(p), product_blocks, p);
}

/* Batches of products: each part takes whole products, each still computed block by block. */
typedef struct {
  const matmul_geometry *g;
  const float *a, *b;
  float *out;
} batch_call;

static product batch_item(const matmul_geometry *g, const float *a, const float *b, float *out,
                          int i) {
  const size_t a_size = (size_t)g->m * g->k, b_size = (size_t)g->k * g->n;
  return (product){
      .a = a + (g->batch_a == 1 ? 0 : (size_t)i * a_size),
      .b = b + (g->batch_b == 1 ? 0 : (size_t)i * b_size),
      .out = out + (size_t)i * g->m * g->n,
      .m = g->m,
      .n = g->n,
      .k = g->k,
      .lda = g->transpose_a ? g->m : g->k,
      .ldb = g->transpose_b ? g->k : g->n,
      .ldc = g->n,
      .transpose_a = g->transpose_a,
      .transpose_b = g->transpose_b,
  };
}

static void batch_part(void *context, int part, int begin, int end) {
  (void)part;
  const batch_call *c = context;
  for (int i = begin; i < end; i++) {
    product p = batch_item(c->g, c->a, c->b, c->out, i);
    p.split_rows = p.m >= p.n;
    product_blocks(&p, 0, 0, block_count(&p));
  }
}

void batch_matmul(const matmul_geometry *g, const float *a, const float *b, float *out) {
  const int batch = g->batch_a > g->batch_b ? g->batch_a : g->batch_b;
  if (batch > 1 && g->batch_b == 1 && !g->transpose_a) {
    /* A stack of untransposed a against one shared b is a single taller product. */
    product p = batch_item(g, a, b, out, 0);
    p.m = batch * g->m;
    parallel_product(&p);
  } else if (batch >= kernel_threads()) {
    batch_call call = {g, a, b, out};
    parallel_for(batch, batch_part, &call);
  } else {
    for (int i = 0; i < batch; i++) {
      product p = batch_item(g, a, b, out, i);
      parallel_product(&p);
    }
  }
}
