#include "napi-args.h"

#include <stdio.h>
#include <string.h>

void throw_error(napi_env env, const char *message) { napi_throw_error(env, NULL, message); }

static void throw_type_error(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
}

int read_args(napi_env env, napi_callback_info info, size_t expected, napi_value *args) {
  size_t count = expected;
  if (napi_get_cb_info(env, info, &count, args, NULL, NULL) != napi_ok || count != expected) {
    char message[96];
    snprintf(message, sizeof message, "expected %zu arguments, got %zu", expected, count);
    throw_type_error(env, message);
    return -1;
  }
  return 0;
}

static int read_typed_array(napi_env env, napi_value value, const char *name,
                            napi_typedarray_type want, void **data, size_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  char message[128];
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) != napi_ok ||
      type != want) {
    snprintf(message, sizeof message, "%s must be a %s", name,
             want == napi_float32_array ? "Float32Array" : "Int32Array");
    throw_type_error(env, message);
    return -1;
  }
  return 0;
}

int read_float32_array(napi_env env, napi_value value, const char *name, float **data,
                       size_t *length) {
  return read_typed_array(env, value, name, napi_float32_array, (void **)data, length);
}

int read_int32_array(napi_env env, napi_value value, const char *name, size_t expected_length,
                     int32_t **data) {
  size_t length = 0;
  if (read_typed_array(env, value, name, napi_int32_array, (void **)data, &length) != 0) return -1;
  if (length != expected_length) {
    char message[128];
    snprintf(message, sizeof message, "%s must hold %zu integers, got %zu", name, expected_length,
             length);
    throw_type_error(env, message);
    return -1;
  }
  return 0;
}

int require_length(napi_env env, const char *name, size_t length, size_t needed) {
  if (length >= needed) return 0;
  char message[160];
  snprintf(message, sizeof message, "%s holds %zu floats but the geometry needs %zu", name, length,
           needed);
  napi_throw_range_error(env, NULL, message);
  return -1;
}

int checked_floats(napi_env env, const char *name, const int32_t *dims, size_t count,
                   size_t *floats) {
  size_t product = 1, bytes = 0;
  int overflow = 0;
  for (size_t i = 0; i < count; i++) {
    /* Callers have refused negative sizes; a negative here would be a bug, refused all the same. */
    overflow |= dims[i] < 0 || __builtin_mul_overflow(product, (size_t)dims[i], &product);
  }
  /* The kernels also form byte counts and offsets, so the size in bytes must fit as well. */
  overflow |= __builtin_mul_overflow(product, sizeof(float), &bytes);
  if (!overflow) {
    *floats = product;
    return 0;
  }
  char message[256];
  int used = snprintf(message, sizeof message, "%s = ", name);
  for (size_t i = 0; i < count && used > 0 && (size_t)used < sizeof message; i++) {
    used += snprintf(message + used, sizeof message - used, i == 0 ? "%d" : "·%d", (int)dims[i]);
  }
  if (used > 0 && (size_t)used < sizeof message) {
    snprintf(message + used, sizeof message - used, " floats does not fit in memory (size_t)");
  }
  napi_throw_range_error(env, NULL, message);
  return -1;
}

int require_disjoint(napi_env env, const char *out_name, const float *out, size_t out_length,
                     const char *in_name, const float *in, size_t in_length) {
  /* Compared as addresses: [out, out + out_length) and [in, in + in_length), empty never overlaps. */
  const uintptr_t out_begin = (uintptr_t)out, in_begin = (uintptr_t)in;
  const uintptr_t out_end = out_begin + out_length * sizeof(float);
  const uintptr_t in_end = in_begin + in_length * sizeof(float);
  if (out_length == 0 || in_length == 0 || out_end <= in_begin || in_end <= out_begin) return 0;
  char message[192];
  snprintf(message, sizeof message,
           "%s overlaps %s in memory: the kernels write their output while reading their inputs, "
           "so the output must be a separate buffer",
           out_name, in_name);
  napi_throw_range_error(env, NULL, message);
  return -1;
}
