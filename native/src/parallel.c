#include "parallel.h"

#include <pthread.h>

#define MAX_THREADS 64

static _Thread_local int threads_setting = 1;

void set_kernel_threads(int threads) {
  threads_setting = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
}

int kernel_threads(void) { return threads_setting; }

int parallel_parts(int count) {
  if (count <= 0) return 1;
  return count < threads_setting ? count : threads_setting;
}

typedef struct {
  range_fn fn;
  void *context;
  int part, begin, end;
} range_task;

static void *run_task(void *argument) {
  range_task *task = argument;
  task->fn(task->context, task->part, task->begin, task->end);
  return NULL;
}

int parallel_for(int count, range_fn fn, void *context) {
  const int parts = parallel_parts(count);
  range_task tasks[MAX_THREADS];
  pthread_t threads[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  for (int p = 0; p < parts; p++) {
    /* Part p covers [p·count/parts, (p+1)·count/parts): sizes differ by at most one. */
    tasks[p] = (range_task){fn, context, p, (int)((long)count * p / parts),
                            (int)((long)count * (p + 1) / parts)};
  }
  for (int p = 1; p < parts; p++) {
    started[p] = pthread_create(&threads[p], NULL, run_task, &tasks[p]) == 0;
  }
  run_task(&tasks[0]);
  for (int p = 1; p < parts; p++) {
    if (started[p]) {
      pthread_join(threads[p], NULL);
    } else {
      run_task(&tasks[p]); /* could not start a thread: do its part here */
    }
  }
  return parts;
}
