/*
 * The elementwise kernels every step runs over whole activations (ReLU, its gradient as
 * step·dy, the bias add), split over the kernel threads in fixed chunks. On wasm these are
 * single-threaded 128-bit loops; here they are multi-threaded and, on CPUs that have it, AVX2
 * (target_clones picks the variant when the addon loads).
 */
#ifndef RFW_ELEMENTWISE_H
#define RFW_ELEMENTWISE_H
#include <stddef.h>

typedef enum { UNARY_RELU, UNARY_STEP } unary_op;
typedef enum { BINARY_ADD, BINARY_MULTIPLY } binary_op;

/* out = relu(x) or step(x) = x > 0 ? 1 : alpha (NaN stays NaN, as in tfjs). */
void unary(unary_op op, const float *x, float *out, size_t n, float alpha);

/* out[i] = a[i] op b[i mod b_length]: b_length = n for same shapes, or the channel count for a
 * per-channel operand (a bias [C] against an NHWC [.., C] tensor). */
void binary(binary_op op, const float *a, const float *b, float *out, size_t n, size_t b_length);

/* out[i] = dy[i] · step(x[i]) (the ReLU's gradient; x its input or output, all of length n). */
void relu_gradient(const float *dy, const float *x, float *out, size_t n);

#endif
