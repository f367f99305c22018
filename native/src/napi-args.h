/* Argument reading for the addon's functions: each helper throws a JS TypeError and returns -1
 * when the argument is not what it must be, so a caller can simply `return NULL` on failure. */
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
void throw_error(napi_env env, const char *message);

#endif
