/* Argument reading for the addon's functions: each helper throws a JS TypeError (wrong type or
 * count) or RangeError (wrong size, overflow, overlap) and returns -1 when the argument is not
 * what it must be, so a caller can simply `return NULL` on failure. */
#ifndef RFW_NAPI_ARGS_H
#define RFW_NAPI_ARGS_H
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

int read_args(napi_env env, napi_callback_info info, size_t expected, napi_value *args);
int read_float32_array(napi_env env, napi_value value, const char *name, float **data,
                       size_t *length);
int read_int32_array(napi_env env, napi_value value, const char *name, size_t expected_length,
                     int32_t **data);
int require_length(napi_env env, const char *name, size_t length, size_t needed);

/*
 * The product of `count` dimensions into *floats, once per call before any work: a RangeError
 * naming `name` (say "input (batch·in_h·in_w·in_c)") and -1 when it, or its size in bytes,
 * overflows size_t, so no later product of the same dimensions can wrap around.
 */
int checked_floats(napi_env env, const char *name, const int32_t *dims, size_t count,
                   size_t *floats);

/* A RangeError and -1 when the output's floats overlap the input's (views of one buffer). */
int require_disjoint(napi_env env, const char *out_name, const float *out, size_t out_length,
                     const char *in_name, const float *in, size_t in_length);
void throw_error(napi_env env, const char *message);

#endif
