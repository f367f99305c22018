/*
 * 2-D convolution in TensorFlow's NHWC / HWIO layouts, as im2col + one SGEMM per chunk of images.
 *
 * With K = kh·kw·cin, the filter [kh, kw, cin, cout] read row-major IS the matrix W [K, cout],
 * and an im2col row holds, for one output pixel, the kh·kw input pixels it sees, cin floats each,
 * in the same (kh, kw, ci) order. So for the rows R = n·oh·ow of a chunk:
 *   forward          y  [R, cout] = cols [R, K] · W [K, cout]
 *   input gradient   dcols [R, K] = dy [R, cout] · Wᵀ, then col2im adds each row back to the
 *                    input pixels it came from (the adjoint of im2col)
 *   filter gradient  dW [K, cout] = Σ_chunks colsᵀ [K, R] · dy [R, cout]
 * Out-of-image taps (padding) read as zeros and their gradients are dropped.
 */
#ifndef RFW_CONV2D_H
#define RFW_CONV2D_H

typedef struct {
  int batch, in_h, in_w, in_c;
  int out_h, out_w, out_c;
  int k_h, k_w;
  int stride_h, stride_w;
  int dil_h, dil_w;
  int pad_top, pad_left;
} conv_geometry;

/*
 * What the forward pass adds on its output tile while it is still in cache (tfjs' FusedConv2D):
 * a per-channel bias (as the GEMM's starting value, β = 1) and then ReLU. NULL: neither.
 */
typedef struct {
  const float *bias; /* [out_c] or NULL */
  int relu;
} conv_epilogue;

/*
 * Which algorithm a call takes: im2col + SGEMM always works; Winograd (winograd.h: F(4×4, 3×3)
 * and F(2×2, 5×5)) takes over the 3×3 and 5×5 stride-1 'same' layers with at least 16 channels
 * on both sides of the GEMMs, forward and input gradient, unless turned off for the calling
 * thread (to compare the two, or to rule Winograd's rounding out). The filter gradient is always im2col.
 */
typedef enum { CONV_IM2COL = 0, CONV_WINOGRAD = 1 } conv_algorithm;
void conv2d_allow_winograd(int allow); /* per calling thread; on by default */
conv_algorithm conv2d_forward_algorithm(const conv_geometry *g);
conv_algorithm conv2d_input_gradient_algorithm(const conv_geometry *g);

/* Each returns 0 on success, or -1 when scratch memory could not be had (outputs then undefined). */
int conv2d_forward(const conv_geometry *g, const float *x, const float *w,
                   const conv_epilogue *epilogue, float *y);
int conv2d_backprop_input(const conv_geometry *g, const float *dy, const float *w, float *dx);
int conv2d_backprop_filter(const conv_geometry *g, const float *x, const float *dy, float *dw);

#endif
