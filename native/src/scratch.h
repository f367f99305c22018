/*
 * Per-thread scratch memory for the im2col matrices. Each engine worker is its own thread, so a
 * thread-local buffer needs no lock; it only grows, which keeps steady-state calls free of
 * malloc/free and of the page faults a fresh large allocation costs.
 */
#ifndef RFW_SCRATCH_H
#define RFW_SCRATCH_H
#include <stddef.h>

/* Returns a buffer of at least `count` floats, or NULL when memory is exhausted. */
float *scratch_floats(size_t count);

#endif
