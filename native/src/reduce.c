#include "reduce.h"

#include <string.h>

#include "parallel.h"
#include "scratch.h"

/*
 * Rows are summed in fixed tiles of TILE_ROWS, each into its own partial row, and the partials
 * are then added in tile order: the same additions in the same order for any thread count.
 */
#define TILE_ROWS 512

typedef struct {
  int rows, cols;
  const float *x;
  float *partials; /* tiles × cols */
} sum_call;

static void sum_tiles(void *context, int part, int first, int last) {
  (void)part;
  const sum_call *call = context;
  const size_t cols = (size_t)call->cols;
  for (int tile = first; tile < last; tile++) {
    float *partial = call->partials + (size_t)tile * cols;
    const int end = (tile + 1) * TILE_ROWS < call->rows ? (tile + 1) * TILE_ROWS : call->rows;
    memset(partial, 0, cols * sizeof(float));
    for (int r = tile * TILE_ROWS; r < end; r++) {
      const float *row = call->x + (size_t)r * cols;
      for (size_t c = 0; c < cols; c++) partial[c] += row[c];
    }
  }
}

int sum_leading_axes(int rows, int cols, const float *x, float *out) {
  const int tiles = (rows + TILE_ROWS - 1) / TILE_ROWS;
  memset(out, 0, (size_t)cols * sizeof(float));
  if (tiles == 0 || cols == 0) return 0;
  float *partials = scratch_floats((size_t)tiles * cols);
  if (partials == NULL) return -1;
  sum_call call = {rows, cols, x, partials};
  parallel_for(tiles, sum_tiles, &call);
  for (int tile = 0; tile < tiles; tile++) {
    const float *partial = partials + (size_t)tile * cols;
    for (int c = 0; c < cols; c++) out[c] += partial[c];
  }
  return 0;
}
