/*
 * Winograd convolution for the 3×3 and 5×5, stride-1, dilation-1, 'same'-padded ((k − 1)/2 on
 * every side) layers that dominate the CIFAR CNN (3×3) and the Madry MNIST CNN (5×5), forward and
 * input gradient. For 3×3, with output tiles of m×m pixels and input tiles of α×α = (m+2)×(m+2)
 * pixels (overlapping by 2), F(m×m, 3×3) computes, per tile and for every (input channel ci,
 * output channel co) pair at once,
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A          g: the 3×3 filter, d: the α×α input tile
 * and the elementwise product summed over ci is, for each of the α² positions p = (ξ, ν), one
 * matrix product over a block of T tiles:
 *   M_p [T, Cout] = V_p [T, Cin] · U_p [Cin, Cout]    V = Bᵀ d B per tile, U = G g Gᵀ per (ci, co)
 * (cblas_sgemm), after which Aᵀ M A turns each tile's α² vectors back into its m×m outputs.
 * F(4×4, 3×3) does 36 products where im2col does 16·9 = 144: 4× fewer multiplications, at the
 * price of rounding in the transforms (measured in the tests against the cpu backend).
 *
 * The input gradient of such a convolution is itself one: dx = conv(dy, w'), 'same', with the
 * filter rotated by 180° and its channel axes swapped, w'[a, b, co, ci] = w[k−1−a, k−1−b, ci, co].
 * The Madry MNIST CNN's 5×5 layers run as F(2×2, 5×5): 36 products per 4 outputs where im2col
 * does 4·25 = 100.
 */
#ifndef RFW_WINOGRAD_H
#define RFW_WINOGRAD_H

#include "conv2d.h"

/*
 * This file is compiled with AVX2 and FMA on x86-64 (binding.gyp), so it may only be entered on
 * a CPU that has them: conv2d.c checks (conv2d_forward_algorithm) before calling.
 * Each returns 0 on success, or -1 when scratch memory could not be had. Only for 3×3 (F(4×4, 3×3))
 * and 5×5 (F(2×2, 5×5), the same α = 6 and Bᵀ) stride-1, dilation-1 geometries padded by (k − 1)/2
 * on every side (out_h = in_h, out_w = in_w).
 */
int winograd_forward(const conv_geometry *g, const float *x, const float *w,
                     const conv_epilogue *epilogue, float *y);
int winograd_backprop_input(const conv_geometry *g, const float *dy, const float *w, float *dx);

#endif
