#include "scratch.h"

#include <stdlib.h>

static _Thread_local float *buffer = NULL;
static _Thread_local size_t capacity = 0;

float *scratch_floats(size_t count) {
  if (count <= capacity) return buffer;
  /* free + malloc rather than realloc: the old contents are scratch and need no copy. */
  free(buffer);
  buffer = malloc(count * sizeof(float));
  capacity = buffer == NULL ? 0 : count;
  return buffer;
}

void scratch_release(void) {
  free(buffer);
  buffer = NULL;
  capacity = 0;
}
