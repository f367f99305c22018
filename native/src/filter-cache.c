#include "filter-cache.h"

#include <stdlib.h>
#include <string.h>

#include "parallel.h"

/*
 * The most one thread keeps: PGD through a CIFAR ResNet-18 needs about 375 MiB (U is 4× its
 * 3×3 filter, once forward and once rotated for the input gradient, plus the copies). A model
 * whose working set is larger keeps what fits and transforms the rest on every call, as it
 * would with no cache.
 */
#define FILTER_CACHE_BYTES ((size_t)512 << 20)

typedef struct cache_entry {
  filter_key key;
  float *copy; /* the filter's floats when U was made: [filter_floats] */
  float *u;    /* [u_floats] */
  size_t bytes;
  unsigned long long last_used;
  struct cache_entry *next;
} cache_entry;

static _Thread_local cache_entry *entries = NULL;
static _Thread_local size_t total_bytes = 0;
static _Thread_local unsigned long long clock_now = 0;

static int same_slot(const filter_key *a, const filter_key *b) {
  return a->filter == b->filter && a->role == b->role;
}

static int same_shape(const filter_key *a, const filter_key *b) {
  return a->filter_floats == b->filter_floats && a->cin == b->cin && a->cout == b->cout;
}

/* Filters run to millions of floats: the comparison is split over the kernel threads. */
#define COMPARE_CHUNKS 64

typedef struct {
  const float *a, *b;
  size_t floats;
  int differs[COMPARE_CHUNKS];
} compare_call;

static void compare_part(void *context, int part, int first, int last) {
  (void)part;
  compare_call *c = context;
  const size_t chunk = (c->floats + COMPARE_CHUNKS - 1) / COMPARE_CHUNKS;
  for (int i = first; i < last; i++) {
    const size_t begin = (size_t)i * chunk;
    if (begin >= c->floats) break;
    const size_t count = c->floats - begin < chunk ? c->floats - begin : chunk;
    c->differs[i] = memcmp(c->a + begin, c->b + begin, count * sizeof(float)) != 0;
  }
}

static int same_floats(const float *a, const float *b, size_t floats) {
  compare_call c = {a, b, floats, {0}};
  parallel_for(COMPARE_CHUNKS, compare_part, &c);
  for (int i = 0; i < COMPARE_CHUNKS; i++) {
    if (c.differs[i]) return 0;
  }
  return 1;
}

static void unlink_entry(cache_entry *gone) {
  for (cache_entry **at = &entries; *at != NULL; at = &(*at)->next) {
    if (*at == gone) {
      *at = gone->next;
      break;
    }
  }
  total_bytes -= gone->bytes;
  free(gone->copy);
  free(gone->u);
  free(gone);
}

const float *filter_cache_find(const filter_key *key) {
  for (cache_entry *e = entries; e != NULL; e = e->next) {
    if (!same_slot(&e->key, key)) continue;
    if (!same_shape(&e->key, key) || !same_floats(e->copy, key->filter, key->filter_floats)) {
      return NULL; /* the address now holds other weights: insert replaces this entry */
    }
    e->last_used = ++clock_now;
    return e->u;
  }
  return NULL;
}

static cache_entry *least_recently_used(void) {
  cache_entry *oldest = entries;
  for (cache_entry *e = entries; e != NULL; e = e->next) {
    if (e->last_used < oldest->last_used) oldest = e;
  }
  return oldest;
}

float *filter_cache_insert(const filter_key *key, size_t u_floats) {
  for (cache_entry *e = entries; e != NULL; e = e->next) {
    if (same_slot(&e->key, key)) {
      unlink_entry(e);
      break;
    }
  }
  const size_t bytes = (key->filter_floats + u_floats) * sizeof(float);
  if (bytes > FILTER_CACHE_BYTES) return NULL;
  while (total_bytes + bytes > FILTER_CACHE_BYTES && entries != NULL) {
    unlink_entry(least_recently_used());
  }
  cache_entry *e = malloc(sizeof *e);
  float *copy = malloc(key->filter_floats * sizeof(float));
  float *u = malloc(u_floats * sizeof(float));
  if (e == NULL || copy == NULL || u == NULL) {
    free(e);
    free(copy);
    free(u);
    return NULL;
  }
  memcpy(copy, key->filter, key->filter_floats * sizeof(float));
  *e = (cache_entry){*key, copy, u, bytes, ++clock_now, entries};
  entries = e;
  total_bytes += bytes;
  return u;
}

void filter_cache_release(void) {
  while (entries != NULL) unlink_entry(entries);
  clock_now = 0;
}
