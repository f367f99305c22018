/*
 * Batched matrix product as TensorFlow's BatchMatMul defines it, on row-major operands:
 *   out[i] = op(a[i or 0]) · op(b[i or 0]),  op = transpose where asked,
 * a batch of 1 on either side being broadcast against the other's.
 */
#ifndef RFW_MATMUL_H
#define RFW_MATMUL_H

typedef struct {
  int batch_a, batch_b;
  int m, n, k;
  int transpose_a, transpose_b;
} matmul_geometry;

void batch_matmul(const matmul_geometry *g, const float *a, const float *b, float *out);

#endif
