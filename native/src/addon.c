/*
 * rfw_kernels: the engine's native CPU kernels (N-API, so one build serves Node and Electron).
 * Every function is synchronous and works in place on caller-owned Float32Arrays (for the wasm
 * backend, views into its heap), so no tensor data is copied on the way in or out.
 *
 *   conv2dForward(x, w, y, geometry, bias | null, relu)   (bias and relu: FusedConv2D)
 *   conv2dBackpropInput(dy, w, dx, geometry)
 *   conv2dBackpropFilter(x, dy, dw, geometry)   batchMatMul(a, b, out, geometry)
 *   maxPoolBackprop(dy, x, dx, geometry)
 *   sumLeadingAxes(x, out, rows, cols): out[c] = Σ_r x[r, c]
 *   relu(x, out)   step(x, out, alpha)   reluGradient(dy, x, out): out = dy · step(x)
 *   add(a, b, out)   multiply(a, b, out): b as long as a, or a per-channel b cycling along a
 *   setThreads(n): threads for this calling thread's kernels (parallel.h)
 *   allowWinograd(bool): whether this calling thread's 3×3 and 5×5 stride-1 'same' convolutions
 *     may use Winograd (conv2d.h; on by default)
 *   conv2dAlgorithms(geometry) → { forward, inputGradient }: 'winograd' or 'im2col', what the
 *     two kernels would run for this geometry on this thread
 *   blasInfo() → { config, coreName, threads }
 *   functionNames: the names of all of the above, from FUNCTIONS (the table at the end)
 * geometry: Int32Array, the fields of conv_geometry (15) and then pad_bottom, pad_right (17, the
 * last two only to check out_h and out_w), matmul_geometry (7) or pool_geometry (12) in order.
 *
 * OpenBLAS itself is held at one thread: the kernels split their work over their own threads
 * (parallel.h), and two BLAS thread pools on top of that would only fight over the cores.
 */
#include <cblas.h>
#include <limits.h>
#include <node_api.h>
#include <stdio.h>
#include <string.h>

#include "conv2d.h"
#include "filter-cache.h"
#include "matmul.h"
#include "napi-args.h"
#include "parallel.h"
#include "pool.h"
#include "reduce.h"
#include "scratch.h"
#include "elementwise.h"

/* OpenBLAS extensions (declared in its cblas.h, repeated so the intent is visible here). */
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);
extern void openblas_set_num_threads(int);

#define CONV_FIELDS 17 /* conv_geometry's 15, then pad_bottom and pad_right */
#define MATMUL_FIELDS 7
#define POOL_FIELDS 12
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * One spatial axis of a window geometry (convolution or pooling) must be self-consistent, so a
 * caller's slip cannot make the kernels walk a different image than the one it sized. With the
 * window's extent e = dil·(k − 1) + 1 and a bottom (or right) padding p_b, there are
 *   count(p_b) = floor((in + pad_before + p_b − e) / stride) + 1   windows, or 0 when
 *   in + pad_before + p_b < e.
 * The kernels never read p_b (they skip taps outside the image), so a caller gives the range it
 * may lie in, [after_min, after_max], and out must be a count one of those gives. count never
 * falls as p_b grows and rises by at most one per step, so the admissible outs are exactly the
 * integers from count(after_min) to count(after_max). In 64 bits, since pads and e may be near
 * INT_MAX; the padded extent in + pad_before + after_max + e + stride must also fit in an int,
 * the type of the kernels' pixel coordinates.
 */
typedef struct {
  const char *kind; /* "convolution" or "pooling" */
  char axis;        /* 'h' or 'w' */
  int in, out, k, dil, stride, pad_before;
  long long after_min, after_max;
} window_axis;

static long long window_count(const window_axis *a, long long extent, long long after) {
  const long long span = (long long)a->in + a->pad_before + after - extent;
  return span < 0 ? 0 : span / a->stride + 1;
}

static int check_axis(napi_env env, const window_axis *a) {
  const long long extent = (long long)a->dil * (a->k - 1) + 1;
  const char *before = a->axis == 'h' ? "pad_top" : "pad_left";
  const char *after = a->axis == 'h' ? "pad_bottom" : "pad_right";
  char message[320];
  if ((long long)a->in + a->pad_before + a->after_max + extent + a->stride > INT_MAX) {
    snprintf(message, sizeof message,
             "%s geometry: in_%c %d + %s %d + %s %lld + the window's extent %lld + stride_%c %d "
             "overflows an int",
             a->kind, a->axis, a->in, before, a->pad_before, after, a->after_max, extent, a->axis,
             a->stride);
    napi_throw_range_error(env, NULL, message);
    return -1;
  }
  const long long out_min = window_count(a, extent, a->after_min);
  const long long out_max = window_count(a, extent, a->after_max);
  if (a->out >= out_min && a->out <= out_max) return 0;
  int used = snprintf(message, sizeof message,
                      "%s geometry: out_%c = %d does not follow from in_%c %d, k_%c %d, dil_%c %d, "
                      "stride_%c %d, %s %d, ",
                      a->kind, a->axis, a->out, a->axis, a->in, a->axis, a->k, a->axis, a->dil,
                      a->axis, a->stride, before, a->pad_before);
  if (a->after_min == a->after_max) {
    snprintf(message + used, sizeof message - used, "%s %lld (which give out_%c = %lld)", after,
             a->after_max, a->axis, out_max);
  } else {
    snprintf(message + used, sizeof message - used, "%s %lld to %lld (which give out_%c %lld to %lld)",
             after, a->after_min, a->after_max, a->axis, out_min, out_max);
  }
  napi_throw_range_error(env, NULL, message);
  return -1;
}

static int read_conv_geometry(napi_env env, napi_value value, conv_geometry *g) {
  int32_t *f = NULL;
  if (read_int32_array(env, value, "geometry", CONV_FIELDS, &f) != 0) return -1;
  *g = (conv_geometry){f[0], f[1],  f[2],  f[3],  f[4],  f[5],  f[6], f[7],
                       f[8], f[9], f[10], f[11], f[12], f[13], f[14]};
  int sizes_ok = g->batch >= 0 && g->in_h > 0 && g->in_w > 0 && g->in_c > 0 && g->out_h > 0 &&
                 g->out_w > 0 && g->out_c > 0 && g->k_h > 0 && g->k_w > 0;
  int steps_ok = g->stride_h > 0 && g->stride_w > 0 && g->dil_h > 0 && g->dil_w > 0 &&
                 g->pad_top >= 0 && g->pad_left >= 0;
  if (!sizes_ok || !steps_ok) {
    napi_throw_range_error(env, NULL, "convolution geometry has a non-positive size or step");
    return -1;
  }
  /* The last two fields, pad_bottom and pad_right, are only checked: tfjs' explicit pads may make
   * them anything, so out_h and out_w are exact functions of all four pads. */
  const int32_t pad_bottom = f[15], pad_right = f[16];
  if (pad_bottom < 0 || pad_right < 0) {
    napi_throw_range_error(env, NULL, "convolution geometry has a negative pad_bottom or pad_right");
    return -1;
  }
  const window_axis rows = {"convolution", 'h', g->in_h, g->out_h, g->k_h, g->dil_h,
                            g->stride_h, g->pad_top, pad_bottom, pad_bottom};
  const window_axis columns = {"convolution", 'w', g->in_w, g->out_w, g->k_w, g->dil_w,
                               g->stride_w, g->pad_left, pad_right, pad_right};
  return check_axis(env, &rows) || check_axis(env, &columns);
}

/* A RangeError and -1 unless a·b·c fits in an int: conv2d.c hands the im2col matrix's sides,
 * k_h·k_w·in_c and (per image) out_h·out_w, to cblas_sgemm, whose sizes are ints. */
static int require_int_product(napi_env env, const char *name, int a, int b, int c) {
  int product;
  if (!__builtin_mul_overflow(a, b, &product) && !__builtin_mul_overflow(product, c, &product)) {
    return 0;
  }
  char message[192], factors[48];
  snprintf(factors, sizeof factors, c == 1 ? "%d·%d" : "%d·%d·%d", a, b, c);
  snprintf(message, sizeof message,
           "convolution geometry: %s = %s exceeds an int, the matrix size OpenBLAS takes", name,
           factors);
  napi_throw_range_error(env, NULL, message);
  return -1;
}

/* The floats of x [batch, in_h, in_w, in_c], y [batch, out_h, out_w, out_c] and the filter
 * [k_h, k_w, in_c, out_c], each checked against overflow (checked_floats). */
static int conv_sizes(napi_env env, const conv_geometry *g, size_t *x, size_t *y, size_t *w) {
  const int32_t x_dims[] = {g->batch, g->in_h, g->in_w, g->in_c};
  const int32_t y_dims[] = {g->batch, g->out_h, g->out_w, g->out_c};
  const int32_t w_dims[] = {g->k_h, g->k_w, g->in_c, g->out_c};
  return checked_floats(env, "input (batch·in_h·in_w·in_c)", x_dims, 4, x) ||
         checked_floats(env, "output (batch·out_h·out_w·out_c)", y_dims, 4, y) ||
         checked_floats(env, "filter (k_h·k_w·in_c·out_c)", w_dims, 4, w) ||
         require_int_product(env, "k_h·k_w·in_c", g->k_h, g->k_w, g->in_c) ||
         require_int_product(env, "out_h·out_w", g->out_h, g->out_w, 1);
}

typedef enum { CONV_FORWARD, CONV_INPUT_GRADIENT, CONV_FILTER_GRADIENT } conv_kind;

/* Reads the forward pass's (bias | null, relu) arguments. */
static int read_epilogue(napi_env env, napi_value bias_value, napi_value relu_value, int channels,
                         conv_epilogue *epilogue) {
  napi_valuetype type;
  bool relu = false;
  size_t length = 0;
  float *bias = NULL;
  napi_typeof(env, bias_value, &type);
  if (type != napi_null && (read_float32_array(env, bias_value, "bias", &bias, &length) != 0 ||
                            require_length(env, "bias", length, (size_t)channels) != 0)) {
    return -1;
  }
  if (napi_get_value_bool(env, relu_value, &relu) != napi_ok) {
    napi_throw_type_error(env, NULL, "relu must be a boolean");
    return -1;
  }
  *epilogue = (conv_epilogue){bias, relu};
  return 0;
}

/* All three convolutions take (first, second, out, geometry); only the roles differ. The
 * forward pass takes (bias | null, relu) after them. */
static napi_value run_conv(napi_env env, napi_callback_info info, conv_kind kind) {
  napi_value args[6];
  float *first, *second, *out;
  size_t first_length, second_length, out_length;
  conv_geometry g;
  conv_epilogue epilogue = {NULL, 0};
  if (read_args(env, info, kind == CONV_FORWARD ? 6 : 4, args) != 0 ||
      read_float32_array(env, args[0], "first operand", &first, &first_length) != 0 ||
      read_float32_array(env, args[1], "second operand", &second, &second_length) != 0 ||
      read_float32_array(env, args[2], "output", &out, &out_length) != 0 ||
      read_conv_geometry(env, args[3], &g) != 0 ||
      (kind == CONV_FORWARD && read_epilogue(env, args[4], args[5], g.out_c, &epilogue) != 0)) {
    return NULL;
  }
  size_t x, y, w;
  if (conv_sizes(env, &g, &x, &y, &w) != 0) return NULL;
  size_t needs[3][3] = {{x, w, y}, {y, w, x}, {x, y, w}};
  if (require_length(env, "first operand", first_length, needs[kind][0]) != 0 ||
      require_length(env, "second operand", second_length, needs[kind][1]) != 0 ||
      require_length(env, "output", out_length, needs[kind][2]) != 0 ||
      require_disjoint(env, "output", out, out_length, "first operand", first, first_length) ||
      require_disjoint(env, "output", out, out_length, "second operand", second, second_length) ||
      (epilogue.bias != NULL &&
       require_disjoint(env, "output", out, out_length, "bias", epilogue.bias, (size_t)g.out_c))) {
    return NULL;
  }
  int status = kind == CONV_FORWARD          ? conv2d_forward(&g, first, second, &epilogue, out)
               : kind == CONV_INPUT_GRADIENT ? conv2d_backprop_input(&g, first, second, out)
                                             : conv2d_backprop_filter(&g, first, second, out);
  if (status != 0) throw_error(env, "native convolution: out of memory for its im2col buffer");
  return NULL;
}

static napi_value conv2d_forward_js(napi_env env, napi_callback_info info) {
  return run_conv(env, info, CONV_FORWARD);
}
static napi_value conv2d_backprop_input_js(napi_env env, napi_callback_info info) {
  return run_conv(env, info, CONV_INPUT_GRADIENT);
}
static napi_value conv2d_backprop_filter_js(napi_env env, napi_callback_info info) {
  return run_conv(env, info, CONV_FILTER_GRADIENT);
}

static napi_value batch_matmul_js(napi_env env, napi_callback_info info) {
  napi_value args[4];
  float *a, *b, *out;
  size_t a_length, b_length, out_length;
  int32_t *f = NULL;
  if (read_args(env, info, 4, args) != 0 || read_float32_array(env, args[0], "a", &a, &a_length) ||
      read_float32_array(env, args[1], "b", &b, &b_length) ||
      read_float32_array(env, args[2], "output", &out, &out_length) ||
      read_int32_array(env, args[3], "geometry", MATMUL_FIELDS, &f)) {
    return NULL;
  }
  matmul_geometry g = {f[0], f[1], f[2], f[3], f[4], f[5], f[6]};
  int batch = g.batch_a > g.batch_b ? g.batch_a : g.batch_b;
  int batches_ok = g.batch_a > 0 && g.batch_b > 0 &&
                   (g.batch_a == g.batch_b || g.batch_a == 1 || g.batch_b == 1);
  if (!batches_ok || g.m < 0 || g.n < 0 || g.k < 0) {
    napi_throw_range_error(env, NULL, "matmul geometry: bad sizes or unbroadcastable batches");
    return NULL;
  }
  const int32_t a_dims[] = {g.batch_a, g.m, g.k}, b_dims[] = {g.batch_b, g.k, g.n};
  const int32_t out_dims[] = {batch, g.m, g.n};
  size_t a_floats, b_floats, out_floats;
  if (checked_floats(env, "a (batch_a·m·k)", a_dims, 3, &a_floats) ||
      checked_floats(env, "b (batch_b·k·n)", b_dims, 3, &b_floats) ||
      checked_floats(env, "output (batch·m·n)", out_dims, 3, &out_floats) ||
      require_length(env, "a", a_length, a_floats) != 0 ||
      require_length(env, "b", b_length, b_floats) != 0 ||
      require_length(env, "output", out_length, out_floats) != 0 ||
      require_disjoint(env, "output", out, out_length, "a", a, a_length) ||
      require_disjoint(env, "output", out, out_length, "b", b, b_length)) {
    return NULL;
  }
  if (g.k == 0) {
    memset(out, 0, out_floats * sizeof(float));
  } else if (g.m > 0 && g.n > 0) {
    batch_matmul(&g, a, b, out);
  }
  return NULL;
}

static napi_value blas_info_js(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, config, core, threads;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config);
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &core);
  napi_create_int32(env, kernel_threads(), &threads);
  napi_set_named_property(env, result, "config", config);
  napi_set_named_property(env, result, "coreName", core);
  napi_set_named_property(env, result, "threads", threads);
  return result;
}

static napi_value set_threads_js(napi_env env, napi_callback_info info) {
  napi_value args[1];
  int32_t threads = 0;
  if (read_args(env, info, 1, args) != 0) return NULL;
  if (napi_get_value_int32(env, args[0], &threads) != napi_ok || threads < 1) {
    napi_throw_range_error(env, NULL, "setThreads takes a positive integer");
    return NULL;
  }
  set_kernel_threads(threads);
  return NULL;
}

static napi_value allow_winograd_js(napi_env env, napi_callback_info info) {
  napi_value args[1];
  bool allow = true;
  if (read_args(env, info, 1, args) != 0) return NULL;
  if (napi_get_value_bool(env, args[0], &allow) != napi_ok) {
    napi_throw_type_error(env, NULL, "allowWinograd takes a boolean");
    return NULL;
  }
  conv2d_allow_winograd(allow);
  return NULL;
}

static napi_value algorithm_name(napi_env env, conv_algorithm algorithm) {
  napi_value name;
  napi_create_string_utf8(env, algorithm == CONV_WINOGRAD ? "winograd" : "im2col",
                          NAPI_AUTO_LENGTH, &name);
  return name;
}

static napi_value conv2d_algorithms_js(napi_env env, napi_callback_info info) {
  napi_value args[1], result;
  conv_geometry g;
  if (read_args(env, info, 1, args) != 0 || read_conv_geometry(env, args[0], &g) != 0) return NULL;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "forward", algorithm_name(env, conv2d_forward_algorithm(&g)));
  napi_set_named_property(env, result, "inputGradient",
                          algorithm_name(env, conv2d_input_gradient_algorithm(&g)));
  return result;
}

static napi_value max_pool_backprop_js(napi_env env, napi_callback_info info) {
  napi_value args[4];
  float *dy, *x, *dx;
  size_t dy_length, x_length, dx_length;
  int32_t *f = NULL;
  if (read_args(env, info, 4, args) != 0 ||
      read_float32_array(env, args[0], "dy", &dy, &dy_length) != 0 ||
      read_float32_array(env, args[1], "x", &x, &x_length) != 0 ||
      read_float32_array(env, args[2], "output", &dx, &dx_length) != 0 ||
      read_int32_array(env, args[3], "geometry", POOL_FIELDS, &f) != 0) {
    return NULL;
  }
  pool_geometry g = {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]};
  if (g.batch < 0 || g.in_h < 1 || g.in_w < 1 || g.channels < 1 || g.out_h < 1 || g.out_w < 1 ||
      g.k_h < 1 || g.k_w < 1 || g.stride_h < 1 || g.stride_w < 1 || g.pad_top < 0 ||
      g.pad_left < 0) {
    napi_throw_range_error(env, NULL, "pooling geometry has a non-positive size or step");
    return NULL;
  }
  const int32_t in_dims[] = {g.batch, g.in_h, g.in_w, g.channels};
  const int32_t out_dims[] = {g.batch, g.out_h, g.out_w, g.channels};
  size_t in, out;
  /*
   * The pooling geometry has no bottom and right pads; tfjs pools pad 'valid' 0, 'same' at most
   * e − 1 in all (total = max(0, (out − 1)·stride + e − in) with out = ceil(in / stride)), or a
   * number p on both sides, to which dimRoundingMode 'ceil' adds up to stride − 1 at the bottom.
   * So the bottom pad lies in 0 … max(k − 1, pad_top + stride − 1) (e = k: no dilation).
   */
  const window_axis rows = {"pooling", 'h', g.in_h, g.out_h, g.k_h, 1, g.stride_h, g.pad_top, 0,
                            MAX(g.k_h - 1LL, g.pad_top + g.stride_h - 1LL)};
  const window_axis columns = {"pooling", 'w', g.in_w, g.out_w, g.k_w, 1, g.stride_w, g.pad_left,
                               0, MAX(g.k_w - 1LL, g.pad_left + g.stride_w - 1LL)};
  if (check_axis(env, &rows) || check_axis(env, &columns) ||
      checked_floats(env, "input (batch·in_h·in_w·channels)", in_dims, 4, &in) ||
      checked_floats(env, "output (batch·out_h·out_w·channels)", out_dims, 4, &out) ||
      require_length(env, "dy", dy_length, out) != 0 ||
      require_length(env, "x", x_length, in) != 0 ||
      require_length(env, "output", dx_length, in) != 0 ||
      require_disjoint(env, "output", dx, dx_length, "dy", dy, dy_length) ||
      require_disjoint(env, "output", dx, dx_length, "x", x, x_length)) {
    return NULL;
  }
  if (max_pool_backprop(&g, dy, x, dx) != 0) throw_error(env, "max-pool gradient: out of memory");
  return NULL;
}

static napi_value sum_leading_axes_js(napi_env env, napi_callback_info info) {
  napi_value args[4];
  float *x, *out;
  size_t x_length, out_length;
  int32_t rows = 0, cols = 0;
  if (read_args(env, info, 4, args) != 0 ||
      read_float32_array(env, args[0], "x", &x, &x_length) != 0 ||
      read_float32_array(env, args[1], "output", &out, &out_length) != 0) {
    return NULL;
  }
  if (napi_get_value_int32(env, args[2], &rows) != napi_ok ||
      napi_get_value_int32(env, args[3], &cols) != napi_ok || rows < 0 || cols < 0) {
    napi_throw_range_error(env, NULL, "sumLeadingAxes takes non-negative rows and cols");
    return NULL;
  }
  const int32_t dims[] = {rows, cols};
  size_t x_floats;
  if (checked_floats(env, "x (rows·cols)", dims, 2, &x_floats) ||
      require_length(env, "x", x_length, x_floats) != 0 ||
      require_length(env, "output", out_length, (size_t)cols) != 0 ||
      require_disjoint(env, "output", out, out_length, "x", x, x_length)) {
    return NULL;
  }
  if (sum_leading_axes(rows, cols, x, out) != 0) throw_error(env, "sum: out of memory");
  return NULL;
}

/* relu(x, out) and step(x, out, alpha): out must be as long as x. */
static napi_value run_unary(napi_env env, napi_callback_info info, unary_op op) {
  napi_value args[3];
  size_t count = op == UNARY_STEP ? 3 : 2;
  float *x, *out;
  size_t x_length, out_length;
  double alpha = 0;
  if (read_args(env, info, count, args) != 0 ||
      read_float32_array(env, args[0], "x", &x, &x_length) != 0 ||
      read_float32_array(env, args[1], "output", &out, &out_length) != 0 ||
      require_length(env, "output", out_length, x_length) != 0 ||
      require_disjoint(env, "output", out, out_length, "x", x, x_length)) {
    return NULL;
  }
  if (op == UNARY_STEP && napi_get_value_double(env, args[2], &alpha) != napi_ok) {
    napi_throw_type_error(env, NULL, "step takes a numeric alpha");
    return NULL;
  }
  unary(op, x, out, x_length, (float)alpha);
  return NULL;
}

static napi_value relu_js(napi_env env, napi_callback_info info) {
  return run_unary(env, info, UNARY_RELU);
}
static napi_value step_js(napi_env env, napi_callback_info info) {
  return run_unary(env, info, UNARY_STEP);
}

static napi_value relu_gradient_js(napi_env env, napi_callback_info info) {
  napi_value args[3];
  float *dy, *x, *out;
  size_t dy_length, x_length, out_length;
  if (read_args(env, info, 3, args) != 0 ||
      read_float32_array(env, args[0], "dy", &dy, &dy_length) != 0 ||
      read_float32_array(env, args[1], "x", &x, &x_length) != 0 ||
      read_float32_array(env, args[2], "output", &out, &out_length) != 0 ||
      require_length(env, "x", x_length, dy_length) != 0 ||
      require_length(env, "output", out_length, dy_length) != 0 ||
      require_disjoint(env, "output", out, out_length, "dy", dy, dy_length) ||
      require_disjoint(env, "output", out, out_length, "x", x, x_length)) {
    return NULL;
  }
  relu_gradient(dy, x, out, dy_length);
  return NULL;
}

static napi_value run_binary(napi_env env, napi_callback_info info, binary_op op) {
  napi_value args[3];
  float *a, *b, *out;
  size_t a_length, b_length, out_length;
  if (read_args(env, info, 3, args) != 0 ||
      read_float32_array(env, args[0], "a", &a, &a_length) != 0 ||
      read_float32_array(env, args[1], "b", &b, &b_length) != 0 ||
      read_float32_array(env, args[2], "output", &out, &out_length) != 0 ||
      require_length(env, "output", out_length, a_length) != 0 ||
      require_disjoint(env, "output", out, out_length, "a", a, a_length) ||
      require_disjoint(env, "output", out, out_length, "b", b, b_length)) {
    return NULL;
  }
  if (b_length == 0 || a_length % b_length != 0) {
    napi_throw_range_error(env, NULL, "b must be as long as a or divide its length (per channel)");
    return NULL;
  }
  binary(op, a, b, out, a_length, b_length);
  return NULL;
}

static napi_value add_js(napi_env env, napi_callback_info info) {
  return run_binary(env, info, BINARY_ADD);
}
static napi_value multiply_js(napi_env env, napi_callback_info info) {
  return run_binary(env, info, BINARY_MULTIPLY);
}

/*
 * This environment (the main thread or one engine worker) is going away: so are its helpers, its
 * cached Winograd filters and its scratch buffer. The hook runs on the environment's own thread,
 * the one whose thread-local cache and scratch these are (helpers never call scratch_floats).
 */
static void release_helpers_hook(void *unused) {
  (void)unused;
  release_kernel_helpers();
  filter_cache_release();
  scratch_release();
}

/*
 * The one list of the addon's functions: the module defines these and exports their names as
 * `functionNames`, which the TypeScript load check (native-addon.ts) holds against the names its
 * NativeKernelAddon interface declares, so neither side can gain or lose a function unnoticed.
 */
typedef struct {
  const char *name;
  napi_callback function;
} addon_function;

static const addon_function FUNCTIONS[] = {
    {"conv2dForward", conv2d_forward_js},
    {"conv2dBackpropInput", conv2d_backprop_input_js},
    {"conv2dBackpropFilter", conv2d_backprop_filter_js},
    {"batchMatMul", batch_matmul_js},
    {"maxPoolBackprop", max_pool_backprop_js},
    {"sumLeadingAxes", sum_leading_axes_js},
    {"relu", relu_js},
    {"step", step_js},
    {"reluGradient", relu_gradient_js},
    {"add", add_js},
    {"multiply", multiply_js},
    {"blasInfo", blas_info_js},
    {"setThreads", set_threads_js},
    {"allowWinograd", allow_winograd_js},
    {"conv2dAlgorithms", conv2d_algorithms_js},
};
#define FUNCTION_COUNT (sizeof FUNCTIONS / sizeof FUNCTIONS[0])

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[FUNCTION_COUNT + 1];
  napi_value names;
  napi_create_array_with_length(env, FUNCTION_COUNT, &names);
  for (size_t i = 0; i < FUNCTION_COUNT; i++) {
    napi_value name;
    napi_create_string_utf8(env, FUNCTIONS[i].name, NAPI_AUTO_LENGTH, &name);
    napi_set_element(env, names, (uint32_t)i, name);
    properties[i] = (napi_property_descriptor){
        FUNCTIONS[i].name, NULL, FUNCTIONS[i].function, NULL, NULL, NULL, napi_enumerable, NULL};
  }
  properties[FUNCTION_COUNT] = (napi_property_descriptor){
      "functionNames", NULL, NULL, NULL, NULL, names, napi_enumerable, NULL};
  openblas_set_num_threads(1);
  napi_add_env_cleanup_hook(env, release_helpers_hook, NULL);
  napi_define_properties(env, exports, FUNCTION_COUNT + 1, properties);
  return exports;
}
