/*
 * The addon's own threading. OpenBLAS is held at one thread (see addon.c) and each kernel splits
 * its work into contiguous ranges that run at once, one per thread, so that im2col, col2im and
 * pooling run in parallel too, not only the GEMMs; each range owns its slice of the output, so
 * no two threads ever write the same float.
 *
 * The thread count is per calling thread (one per engine worker): a job sharded over two
 * workers runs each worker's kernels on one thread, a job on one worker uses every core. Each
 * calling thread keeps its helper threads between calls (parallel.c says why).
 */
#ifndef RFW_PARALLEL_H
#define RFW_PARALLEL_H

typedef void (*range_fn)(void *context, int part, int begin, int end);

void set_kernel_threads(int threads);
int kernel_threads(void);

/*
 * Splits [0, count) into at most kernel_threads() near-equal parts and calls fn(context, part,
 * begin, end) for each, part 0 on the calling thread. Returns the number of parts used.
 * Falls back to fewer threads (down to the caller alone) when a thread cannot be started.
 */
int parallel_for(int count, range_fn fn, void *context);

/*
 * Stops and joins the calling thread's helper threads (parallel_for keeps them between calls)
 * and frees their pool. The addon calls it from each Node environment's cleanup hook: a worker
 * thread's exit unloads the addon, and a helper still polling inside it would then crash.
 */
void release_kernel_helpers(void);

/* How many parts parallel_for will use for `count` items (to size per-part scratch). */
int parallel_parts(int count);

#endif
