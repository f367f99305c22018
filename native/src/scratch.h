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

/* Frees the calling thread's buffer (the addon's environment cleanup hook: a worker that ends
 * would otherwise leave it allocated; the next scratch_floats starts a new one). */
void scratch_release(void);

#endif
