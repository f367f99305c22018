#include "napi-args.h"

#include <stdio.h>

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
