/*
 * Winograd's transformed filters U = G g Gᵀ (winograd.c), kept between calls on one thread.
 *
 * An attack runs the same weights forward and backward many times (PGD-10 through a ResNet-18:
 * 11 forward and 10 input-gradient calls per layer), and on the deep layers the transform costs
 * as much as the products themselves: for 4×4 maps of 512 channels it took 12 of the 24 ms of a
 * batch-32 call. A cached U is returned only for a filter at the same address, of the same
 * shape and role, whose floats are bit-for-bit those it was computed from (compared against a
 * copy kept with it), so weights that changed in place, or a buffer reused for other weights,
 * can never be served a stale transform.
 *
 * Per calling thread (each engine worker is one), so no lock; least recently used entries go
 * first once the total passes FILTER_CACHE_BYTES.
 */
#ifndef RFW_FILTER_CACHE_H
#define RFW_FILTER_CACHE_H
#include <stddef.h>

typedef struct {
  const float *filter;  /* the caller's weights, as passed in */
  size_t filter_floats; /* their count */
  int role;             /* which transform: the variant and whether the filter is rotated */
  int cin, cout;        /* the channel counts it was read with */
} filter_key;

/* The cached U for this key and these exact filter contents, or NULL. */
const float *filter_cache_find(const filter_key *key);

/*
 * Room for a new U of u_floats under this key (replacing any entry at the same address and
 * role), with a copy of the filter taken now; the caller writes U into it before the next call
 * on this thread. NULL when it does not fit (the caller transforms into scratch instead).
 */
float *filter_cache_insert(const filter_key *key, size_t u_floats);

/* Frees every entry of the calling thread (its environment is going away). */
void filter_cache_release(void);

#endif
